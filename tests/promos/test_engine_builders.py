"""Builders shared by the engine tests (this module holds no tests)."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from promos.engine import (
    Candidate,
    Cart,
    CartLine,
    DealerContext,
    GiftProduct,
    HistoryTotal,
    Item,
    Quote,
    Rule,
    Usage,
    evaluate,
    parse_definition,
)

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 10, 10, 0, tzinfo=CST)

ITEMS = {
    "TEA-A-01": Item("TEA-A-01", "龙井 A", "Tea A", ("TEA", "TEA-A"), "箱", "case"),
    "TEA-A-02": Item("TEA-A-02", "龙井 A2", "Tea A2", ("TEA", "TEA-A"), "箱", "case"),
    "TEA-B-01": Item("TEA-B-01", "碧螺春", "Tea B", ("TEA", "TEA-B"), "箱", "case"),
    "TEA-Y-01": Item("TEA-Y-01", "茶盒", "Tea box", ("TEA", "TEA-Y"), "盒", "box"),
    "CUP-01": Item("CUP-01", "茶杯套装", "Cup set", ("WARE",), "套", "set"),
}
GIFTS = {
    "GIFT-CUP": GiftProduct(
        Item("GIFT-CUP", "杯子", "Cup", ("GIFT",), "个", "piece", gift_only=True),
        Decimal("15.00"),
        in_stock=True,
    ),
    "GIFT-BAG": GiftProduct(
        Item("GIFT-BAG", "手提袋", "Bag", ("GIFT",), "个", "piece", gift_only=True),
        Decimal("4.50"),
        in_stock=False,
    ),
}

SEED: dict[str, Any] = {
    "code": "P2026-0042",
    "name": "New tea line launch: loyal dealers",
    "sales_org": "EAST",
    "starts_at": "2026-12-01T00:00:00+08:00",
    "ends_at": "2027-01-01T00:00:00+08:00",
    "priority": 50,
    "exclusive": False,
    "audience": {
        "sales_orgs": ["EAST-SH"],
        "tiers": ["gold", "silver"],
        "regions": [],
        "dealers": [],
        "min_tenure_years": 3,
        "history": [
            {"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}
        ],
    },
    "condition": {"type": "quantity", "items": {"categories": ["TEA-A"]}, "min": 10},
    "reward": {
        "type": "gift",
        "options": [
            {"sku": "GIFT-CUP", "quantity": 1},
            {"sku": "GIFT-BAG", "quantity": 2},
        ],
    },
    "repeat": True,
    "max_applications_per_order": 5,
    "limits": {"budget": "50000.00", "max_applications_per_dealer": 20},
}


def seed() -> dict[str, Any]:
    """Return a fresh copy of the seed example of promotions.md."""
    return copy.deepcopy(SEED)


def definition(**fields: Any) -> dict[str, Any]:
    """A minimal valid definition: 10 units of category TEA-A earn a cup."""
    data: dict[str, Any] = {
        "code": "P1",
        "name": "Test promotion",
        "sales_org": "EAST",
        "starts_at": "2026-12-01T00:00:00+08:00",
        "ends_at": "2027-01-01T00:00:00+08:00",
        "condition": {
            "type": "quantity",
            "items": {"categories": ["TEA-A"]},
            "min": 10,
        },
        "reward": {"type": "gift", "options": [{"sku": "GIFT-CUP", "quantity": 1}]},
    }
    data.update(fields)
    return data


def rule(**fields: Any) -> Rule:
    """Parse ``definition(**fields)``."""
    return parse_definition(definition(**fields))


def candidate(
    the_rule: Rule,
    *,
    version: int = 1,
    budget: str | None = None,
    times_left: int | None = None,
) -> Candidate:
    """Wrap a rule with its remaining usage."""
    usage = Usage(None if budget is None else Decimal(budget), times_left)
    return Candidate(the_rule, version, usage)


def dealer(**fields: Any) -> DealerContext:
    """A gold dealer of EAST-SH, customer since 2020, with no purchase history."""
    values: dict[str, Any] = {
        "code": "D1",
        "sales_org_path": ("HQ", "EAST", "EAST-SH"),
        "tier": "gold",
        "region": "SH",
        "customer_since": date(2020, 1, 1),
        "history": {},
    }
    values.update(fields)
    return DealerContext(**values)


def line(sku: str, quantity: int, price: str = "100.00") -> CartLine:
    """A cart line of a known item at ``price``."""
    return CartLine(ITEMS[sku], quantity, Decimal(price))


def cart(*lines: CartLine) -> Cart:
    """A cart of these lines."""
    return Cart(tuple(lines))


def run(
    the_cart: Cart,
    *promotions: Rule | Candidate,
    the_dealer: DealerContext | None = None,
    **options: Any,
) -> Quote:
    """Evaluate the cart at ``AT`` with these rules (unlimited) or candidates."""
    candidates = [p if isinstance(p, Candidate) else candidate(p) for p in promotions]
    return evaluate(
        cart=the_cart,
        dealer=the_dealer or dealer(),
        candidates=candidates,
        gifts=GIFTS,
        at=options.pop("at", AT),
        **options,
    )


def history(amount: str, quantity: int = 0) -> dict:
    """A history map with a TEA-C 365-day total."""
    return {("category", "TEA-C", 365): HistoryTotal(quantity, Decimal(amount))}


def by_code(quote: Quote) -> dict[str, Any]:
    """Index a quote's applied promotions by code."""
    return {a.promotion: a for a in quote.applied}


def reasons(quote: Quote) -> dict[str, str]:
    """Map each not-applied promotion to its reason."""
    return {n.promotion: n.reason for n in quote.not_applied}


def line_of(quote: Quote, sku: str) -> Any:
    """The quote line of ``sku``."""
    return next(x for x in quote.lines if x.sku == sku)


D = Decimal
