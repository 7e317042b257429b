"""What the order must contain: matching lines, measuring them, counting times."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType

from .money import ZERO, quantize_money
from .rules import Condition, ItemSelector
from .state import LineState

Measure = Decimal | int
Picks = tuple[list[LineState], ...]
NOTHING_EXCLUDED: Mapping[str, int] = MappingProxyType({})


def matched(selector: ItemSelector, lines: Sequence[LineState]) -> list[LineState]:
    """Return the lines the selector picks, in line (SKU) order."""
    return [line for line in lines if selector.matches(line.item)]


def pick(condition: Condition, lines: Sequence[LineState]) -> Picks:
    """Return each component's matched lines (match once, measure many times)."""
    return tuple(matched(c.items, lines) for c in condition.components)


def targets(picks: Picks) -> list[LineState]:
    """Return the lines any component picked (the condition's "matched lines")."""
    if len(picks) == 1:
        return list(picks[0])
    union = {line.sku: line for picked in picks for line in picked}
    return [union[sku] for sku in sorted(union)]


def measure(
    condition: Condition,
    picks: Picks,
    excluded: Mapping[str, int] = NOTHING_EXCLUDED,
) -> list[Measure]:
    """Measure each component: matched quantity, or net amount for an amount condition.

    ``excluded`` maps a SKU to units that must not count (add-on units taken
    by the promotion being measured); their share of the net is left out too.
    """
    result: list[Measure] = []
    for picked in picks:
        if condition.type == "amount":
            amount = ZERO
            for line in picked:
                units = min(excluded.get(line.sku, 0), line.quantity)
                left_out = ZERO
                if units:
                    left_out = quantize_money(line.net * units / line.quantity)
                amount += line.net - left_out
            result.append(amount)
        else:
            result.append(
                sum(
                    line.quantity - min(excluded.get(line.sku, 0), line.quantity)
                    for line in picked
                )
            )
    return result


def earned_times(
    condition: Condition, measures: Sequence[Measure], repeat: bool
) -> int:
    """Count the times earned by a condition's measures.

    0 unless every component reaches its min; then 1, or the smallest
    floor(measure / min) over the components when the promotion repeats.
    """
    counts = [
        int(m // c.min) for m, c in zip(measures, condition.components, strict=True)
    ]
    smallest = min(counts)
    if smallest <= 0:
        return 0
    return smallest if repeat else 1


def shortfalls(
    condition: Condition, measures: Sequence[Measure], times: int
) -> list[tuple[int, Measure]]:
    """Return (component index, missing) for each component short of ``times`` mins."""
    result = []
    for i, (m, c) in enumerate(zip(measures, condition.components, strict=True)):
        missing = c.min * times - m
        if missing > 0:
            result.append((i, missing))
    return result


def weakest(condition: Condition, measures: Sequence[Measure]) -> int:
    """Index of the component furthest from its min (ties: the first)."""
    ratios = [
        Decimal(m) / Decimal(c.min)
        for m, c in zip(measures, condition.components, strict=True)
    ]
    return ratios.index(min(ratios))


def at_least_half(condition: Condition, measures: Sequence[Measure]) -> bool:
    """Tell whether every component has reached half its min."""
    return all(
        2 * m >= c.min for m, c in zip(measures, condition.components, strict=True)
    )
