"""What the engine answers: a priced quote with gifts, reasons and hints."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .money import ZERO
from .money import money_str as _m


@dataclass(frozen=True, slots=True)
class LineDiscount:
    """The part of a line's discount that one promotion gave."""

    promotion: str
    discount: Decimal


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """A priced line: amount = unit_price × quantity, net = amount − discount."""

    sku: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    discount: Decimal = ZERO
    net_amount: Decimal = ZERO
    promotions: tuple[LineDiscount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the API form of the line."""
        return {
            "sku": self.sku,
            "quantity": self.quantity,
            "unit_price": _m(self.unit_price),
            "amount": _m(self.amount),
            "discount": _m(self.discount),
            "net_amount": _m(self.net_amount),
            "promotions": [
                {"promotion": p.promotion, "discount": _m(p.discount)}
                for p in self.promotions
            ],
        }


@dataclass(frozen=True, slots=True)
class GiftOption:
    """One option of a gift promotion as the dealer can pick it now.

    ``quantity`` is per time earned; ``value`` is the value of one unit (the
    gift product's cost, else list price), so one time costs value × quantity.
    """

    index: int
    sku: str
    quantity: int
    in_stock: bool
    value: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the API form of the option."""
        return {
            "index": self.index,
            "sku": self.sku,
            "quantity": self.quantity,
            "in_stock": self.in_stock,
            "value": _m(self.value),
        }


@dataclass(frozen=True, slots=True)
class GiftGrant:
    """The gift an applied promotion gives (quantity 0 and no SKU when declined)."""

    promotion: str
    sku: str
    quantity: int
    option_index: int | None
    defaulted: bool
    declined: bool
    in_stock: bool
    options: tuple[GiftOption, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the API form of the gift."""
        return {
            "sku": self.sku,
            "quantity": self.quantity,
            "promotion": self.promotion,
            "defaulted": self.defaulted,
            "declined": self.declined,
            "in_stock": self.in_stock,
            "option_index": self.option_index,
            "options": [o.to_dict() for o in self.options],
        }


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    """A promotion that applied, how many times, and what it cost."""

    promotion: str
    version: int
    times: int
    discount: Decimal = ZERO
    gift_cost: Decimal = ZERO
    expense_credit: Decimal = ZERO
    exclusive: bool = False

    @property
    def cost(self) -> Decimal:
        """Discount + gift value + expense credit: what the budget is charged."""
        return self.discount + self.gift_cost + self.expense_credit

    def to_dict(self) -> dict[str, Any]:
        """Return the API form."""
        return {
            "promotion": self.promotion,
            "version": self.version,
            "times": self.times,
            "discount": _m(self.discount),
            "gift_cost": _m(self.gift_cost),
            "expense_credit": _m(self.expense_credit),
            "exclusive": self.exclusive,
        }


@dataclass(frozen=True, slots=True)
class AddonOffer:
    """Units of a SKU the dealer may buy at ``price`` (earned) and bought (taken)."""

    promotion: str
    sku: str
    price: Decimal
    quantity_earned: int
    quantity_taken: int

    def to_dict(self) -> dict[str, Any]:
        """Return the API form."""
        return {
            "promotion": self.promotion,
            "sku": self.sku,
            "price": _m(self.price),
            "quantity_earned": self.quantity_earned,
            "quantity_taken": self.quantity_taken,
        }


@dataclass(frozen=True, slots=True)
class NotApplied:
    """Why a promotion that concerns the cart did not apply.

    ``reason`` is one of audience, condition, exclusive, budget, dealer_limit.
    """

    promotion: str
    reason: str
    message_zh: str
    message_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the API form ("message" is the English sentence)."""
        return {
            "promotion": self.promotion,
            "reason": self.reason,
            "message": self.message_en,
            "message_zh": self.message_zh,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Hint:
    """What to add to get a promotion (or one more time of it)."""

    promotion: str
    message_zh: str
    message_en: str
    missing_quantity: int | None = None
    missing_amount: Decimal | None = None
    sku_suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the API form ("message" is the English sentence)."""
        return {
            "promotion": self.promotion,
            "message": self.message_en,
            "message_zh": self.message_zh,
            "missing_quantity": self.missing_quantity,
            "missing_amount": _m(self.missing_amount),
            "sku_suggestion": self.sku_suggestion,
        }


@dataclass(frozen=True, slots=True)
class Note:
    """What the dealer should know about an applied promotion (a cut, a default)."""

    promotion: str
    kind: str  # "invalid_gift_choice" | "budget_cut" | "dealer_limit_cut"
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        """Return the API form ("message" is the English sentence)."""
        return {
            "promotion": self.promotion,
            "kind": self.kind,
            "message": self.message_en,
            "message_zh": self.message_zh,
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """The priced cart: lines, gifts, applied promotions, reasons and hints.

    ``total`` = ``subtotal`` − ``discount_total`` = Σ line net amounts; the
    expense credit is credited on shipment, never deducted here. ``notes`` say
    what the dealer should know about applied promotions (times cut by the
    budget or the dealer's limit, an invalid gift choice replaced).
    """

    lines: tuple[QuoteLine, ...] = ()
    gifts: tuple[GiftGrant, ...] = ()
    applied: tuple[AppliedPromotion, ...] = ()
    addon_offers: tuple[AddonOffer, ...] = ()
    not_applied: tuple[NotApplied, ...] = ()
    hints: tuple[Hint, ...] = ()
    notes: tuple[Note, ...] = ()
    subtotal: Decimal = ZERO
    discount_total: Decimal = ZERO
    expense_credit_total: Decimal = ZERO
    total: Decimal = ZERO

    def cost_of(self, code: str) -> Decimal:
        """Return what promotion ``code`` costs in this quote (0.00 if not applied)."""
        return sum((a.cost for a in self.applied if a.promotion == code), ZERO)

    def to_dict(self) -> dict[str, Any]:
        """Return the quote in the JSON shape of the integration API (api-v1.md)."""
        return {
            "lines": [line.to_dict() for line in self.lines],
            "gifts": [g.to_dict() for g in self.gifts],
            "applied": [a.to_dict() for a in self.applied],
            "addon_offers": [o.to_dict() for o in self.addon_offers],
            "not_applied": [n.to_dict() for n in self.not_applied],
            "hints": [h.to_dict() for h in self.hints],
            "notes": [n.to_dict() for n in self.notes],
            "subtotal": _m(self.subtotal),
            "discount_total": _m(self.discount_total),
            "expense_credit_total": _m(self.expense_credit_total),
            "total": _m(self.total),
        }
