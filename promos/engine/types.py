"""What the caller hands the engine: the cart, the dealer, gift products, candidates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from .rules import HistoryKey, Rule


@dataclass(frozen=True, slots=True)
class Item:
    """A product as the engine sees it; ``category_path`` runs root → own category."""

    sku: str
    name: str
    name_en: str
    category_path: tuple[str, ...]
    unit: str
    unit_en: str
    gift_only: bool = False


@dataclass(frozen=True, slots=True)
class CartLine:
    """An order line; ``unit_price`` is this dealer's price (tier, else list)."""

    item: Item
    quantity: int
    unit_price: Decimal

    def __post_init__(self) -> None:
        """Refuse what would make the arithmetic meaningless."""
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise TypeError(f"{self.item.sku}: quantity must be an int")
        if self.quantity < 0:
            raise ValueError(f"{self.item.sku}: quantity must not be negative")
        if not isinstance(self.unit_price, Decimal | int):
            raise TypeError(f"{self.item.sku}: unit_price must be a Decimal")
        if self.unit_price < 0:
            raise ValueError(f"{self.item.sku}: unit_price must not be negative")


@dataclass(frozen=True, slots=True)
class Cart:
    """The lines to price; order does not matter, lines of one SKU are merged."""

    lines: tuple[CartLine, ...] = ()

    def __post_init__(self) -> None:
        """Accept any sequence of lines, keep a tuple."""
        object.__setattr__(self, "lines", tuple(self.lines))


@dataclass(frozen=True, slots=True)
class GiftProduct:
    """A product that can be given; ``value`` is its cost (else list price)."""

    item: Item
    value: Decimal
    in_stock: bool


@dataclass(frozen=True, slots=True)
class HistoryTotal:
    """A dealer's purchases over one window: quantity and amount."""

    quantity: int = 0
    amount: Decimal = Decimal("0.00")


NO_HISTORY: Mapping[HistoryKey, HistoryTotal] = MappingProxyType({})
NO_ACHIEVEMENT: Mapping[str, Decimal] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DealerContext:
    """The dealer facts an audience can test.

    ``history`` maps ("category" | "sku", code, window_days) to totals (a
    category's total includes its descendants); a missing key means zero.
    """

    code: str
    sales_org_path: tuple[str, ...]
    tier: str
    region: str
    customer_since: date
    history: Mapping[HistoryKey, HistoryTotal] = field(default=NO_HISTORY)
    # Percent achieved of this year's agreement targets by category code ("" for the
    # whole agreement), handed in by the caller (orders); missing: no such target.
    achievement: Mapping[str, Decimal] = field(default=NO_ACHIEVEMENT)


@dataclass(frozen=True, slots=True)
class Usage:
    """What is left of a promotion's limits for this dealer (``None``: unlimited)."""

    budget_remaining: Decimal | None = None
    dealer_times_remaining: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An approved promotion version with its remaining usage."""

    rule: Rule
    version: int = 1
    usage: Usage = Usage()
