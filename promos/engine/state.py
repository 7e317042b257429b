"""The running state of one evaluation: cart lines with the discounts given so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .money import ZERO, quantize_money
from .types import Cart, Item


@dataclass(slots=True)
class LineState:
    """One merged cart line while promotions are applied to it (engine-internal)."""

    item: Item
    quantity: int
    unit_price: Decimal
    amount: Decimal
    discount: Decimal = ZERO
    given: dict[str, Decimal] = field(default_factory=dict)
    claimed_by: str | None = None
    addon_taken: int = 0

    @property
    def sku(self) -> str:
        """The line's SKU."""
        return self.item.sku

    @property
    def net(self) -> Decimal:
        """What is left to pay on the line after the discounts given so far."""
        return self.amount - self.discount

    def give(self, promotion: str, discount: Decimal) -> None:
        """Take ``discount`` off the line on behalf of ``promotion``."""
        if discount <= 0:
            return
        self.discount += discount
        self.given[promotion] = self.given.get(promotion, ZERO) + discount


def build_lines(cart: Cart) -> list[LineState]:
    """Merge the cart's lines by SKU and price them, sorted by SKU.

    Lines of one SKU must agree on the item and the unit price; anything else
    is a caller's bug and raises ``ValueError``.
    """
    merged: dict[str, LineState] = {}
    for line in cart.lines:
        price = quantize_money(line.unit_price)
        state = merged.get(line.item.sku)
        if state is None:
            merged[line.item.sku] = LineState(line.item, line.quantity, price, ZERO)
            continue
        if state.unit_price != price or state.item != line.item:
            raise ValueError(f"lines of {line.item.sku} disagree on item or unit price")
        state.quantity += line.quantity
    lines = [merged[sku] for sku in sorted(merged)]
    for state in lines:
        state.amount = quantize_money(state.unit_price * state.quantity)
    return lines
