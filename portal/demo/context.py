"""What the demo seed steps share: the arguments, a random generator, what was created."""

import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tqdm import tqdm


@dataclass
class SeedContext:
    """Handed to every step, in order. A step reads what earlier steps created and adds
    its own objects, so later steps (promotions, orders…) can build on them."""

    seed: int
    dealers: int
    products: int
    months: int
    today: date
    progress: bool = True
    rng: random.Random = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Filled by the steps (by code, SKU or username).
    orgs: dict[str, Any] = field(default_factory=dict)
    tiers: dict[str, Any] = field(default_factory=dict)
    regions: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)
    products_by_sku: dict[str, Any] = field(default_factory=dict)
    sellables: list[Any] = field(default_factory=list)
    warehouses: dict[str, Any] = field(default_factory=dict)
    dealer_list: list[Any] = field(default_factory=list)
    reps: dict[str, list[Any]] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def rng_for(self, step: str) -> random.Random:
        """A generator of its own for each step: changing one step (or adding one)
        never reshuffles what the others generate."""
        return random.Random(f"{self.seed}:{step}")

    def bar(
        self, iterable: Iterable | None = None, *, total=None, desc: str, unit="it"
    ) -> tqdm:
        """A progress bar on stderr; silent when progress is off or stderr is no TTY."""
        return tqdm(
            iterable,
            total=total,
            desc=desc,
            unit=unit,
            file=sys.stderr,
            disable=None if self.progress else True,
            leave=False,
            dynamic_ncols=True,
            mininterval=0.5,
        )

    def count(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number
