"""Rows as the API shows them (api-v1.md), shared by every router."""

from decimal import Decimal

from django.utils import timezone

from catalog.models import Product
from dealers.models import Dealer
from orders.models import Order
from promos.models import Promotion


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def product_dict(product: Product) -> dict:
    return {
        "sku": product.sku,
        "name": product.name,
        "name_en": product.name_en,
        "category": product.category.code,
        "unit": product.unit,
        "price": money(product.list_price),
        "cost": money(product.cost),
        "gift_only": product.gift_only,
        "active": product.active,
    }


def dealer_dict(dealer: Dealer) -> dict:
    return {
        "code": dealer.code,
        "name": dealer.name,
        "sales_org": dealer.sales_org.code,
        "tier": dealer.tier.code,
        "region": dealer.region.code,
        "customer_since": dealer.customer_since.isoformat(),
        "credit_limit": money(dealer.credit_limit),
        "payment_terms_days": dealer.payment_terms_days,
        "active": dealer.active,
    }


def promotion_dict(promotion: Promotion, latest=None) -> dict:
    live = promotion.live_version
    budget = promotion.budget
    shown = live or latest
    return {
        "code": promotion.code,
        "sales_org": promotion.sales_org.code,
        "status": promotion.status,
        "version": live.number if live else None,
        "latest_version": latest.number if latest else None,
        "latest_version_status": latest.status if latest else None,
        "definition": shown.definition if shown else None,
        "pending_definition": latest.definition if latest and latest != live else None,
        "budget": {
            "limit": money(budget.limit),
            "used": money(budget.used),
            "remaining": money(budget.remaining),
        },
        "applications": budget.applications,
    }


def order_dict(order: Order) -> dict:
    """The order as api-v1.md spells it: the quote's shape plus document state."""
    lines, gifts = [], []
    for line in order.lines.all():
        if line.is_gift:
            gifts.append(
                {
                    "sku": line.sku,
                    "quantity": line.quantity
                    - line.cancelled_quantity
                    - line.short_closed_quantity,
                    "ordered": line.quantity,
                    "promotion": line.gift_version.promotion.code
                    if line.gift_version
                    else None,
                    "version": line.gift_version.number if line.gift_version else None,
                    "defaulted": line.gift_defaulted,
                    "option_index": line.gift_option,
                    "shipped": line.shipped_quantity,
                    "owed": 0,
                    "debt": 0,
                }
            )
        else:
            lines.append(
                {
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": money(line.unit_price),
                    "amount": money(line.amount),
                    "discount": money(line.discount),
                    "net_amount": money(line.net_amount),
                    "promotions": [
                        {
                            "promotion": d.version.promotion.code,
                            "version": d.version.number,
                            "discount": money(d.amount),
                        }
                        for d in line.discounts.all()
                    ],
                    "shipped": line.shipped_quantity,
                    "cancelled": line.cancelled_quantity,
                    "short_closed": line.short_closed_quantity,
                }
            )
    quote = order.quote.get("repriced") or order.quote
    return {
        "number": order.number,
        "dealer": order.dealer.code,
        "status": order.status,
        "fulfilment": "unshipped",
        "payment": "unpaid",
        "placed_at": timezone.localtime(order.placed_at).isoformat(),
        "lines": lines,
        "gifts": gifts,
        "applied": quote.get("applied", []),
        "not_applied": order.quote.get("not_applied", []),
        "hints": [],
        "subtotal": money(order.subtotal),
        "discount_total": money(order.discount_total),
        "expense_credit_used": money(order.expense_credit_used),
        "expense_credit_earned": money(order.expense_credit_earned),
        "total": money(order.total),
        "note": order.note,
        "shipments": [],
        "receivables": [],
        "events": [
            {"kind": e.kind, "at": timezone.localtime(e.at).isoformat(), "data": e.data}
            for e in order.events.all()
        ],
    }
