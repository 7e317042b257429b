"""Rows as the API shows them (api-v1.md), shared by every router."""

from decimal import Decimal

from django.utils import timezone

from catalog.models import Product
from common import money as common_money
from dealers.models import Dealer
from orders import selectors as order_selectors
from orders.models import Order, Receipt, Receivable, Shipment
from promos.models import Promotion


def money(value: Decimal | None) -> str | None:
    return None if value is None else common_money.as_str(value)


def product_dict(product: Product) -> dict:
    return {
        "sku": product.sku,
        "name": product.name,
        "name_en": product.name_en,
        "category": product.category.code,
        "unit": product.unit,
        "unit_name": product.get_unit_display(),
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


def _gift_dict(line) -> dict:
    return {
        "sku": line.sku,
        "quantity": line.effective_quantity,
        "ordered": line.quantity,
        "promotion": line.gift_version.promotion.code if line.gift_version else None,
        "version": line.gift_version.number if line.gift_version else None,
        "defaulted": line.gift_defaulted,
        "option_index": line.gift_option,
        "shipped": line.shipped_quantity,
        "owed": line.owed_quantity,
        "debt": line.debt_quantity,
        "settled": line.settled_quantity,
    }


def shipment_dict(shipment: Shipment, gifts_owed) -> dict:
    """A shipment as api-v1.md spells it: goods and gifts, gifts still owed, receivable."""
    receivables = list(shipment.receivables.all())
    return {
        "number": shipment.number,
        "external_id": shipment.external_id,
        "order": shipment.order.number,
        "warehouse": shipment.warehouse.code,
        "carrier": shipment.carrier,
        "tracking_no": shipment.tracking_no,
        "shipped_at": timezone.localtime(shipment.shipped_at).isoformat(),
        "delivered_at": timezone.localtime(shipment.delivered_at).isoformat()
        if shipment.delivered_at
        else None,
        "confirmed_at": timezone.localtime(shipment.confirmed_at).isoformat()
        if shipment.confirmed_at
        else None,
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "gift": line.is_gift,
                "order": line.order_line.order.number,
            }
            for line in shipment.lines.select_related("order_line__order")
        ],
        "gifts_owed": [
            {
                "sku": line.sku,
                "quantity": line.owed_quantity,
                "order": line.order.number,
            }
            for line in gifts_owed
        ],
        "receivable": _receivable_dict(receivables[0])
        if len(receivables) == 1
        else None,
        "receivables": [_receivable_dict(r) for r in receivables],
    }


def _receivable_dict(receivable: Receivable) -> dict:
    allocations = list(receivable.invoice_allocations.all())
    return {
        "number": receivable.number,
        "kind": receivable.kind,
        "amount": money(receivable.amount),
        "open_amount": money(receivable.open_amount),
        "due_date": receivable.due_date.isoformat() if receivable.due_date else None,
        "invoiced": money(sum((a.amount for a in allocations), Decimal("0.00"))),
        "invoices": sorted({a.invoice.number for a in allocations}),
    }


def invoice_dict(invoice) -> dict:
    return {
        "external_id": invoice.external_id,
        "dealer": invoice.dealer.code,
        "number": invoice.number,
        "kind": invoice.kind,
        "date": invoice.date.isoformat(),
        "amount": money(invoice.amount),
        "tax_amount": money(invoice.tax_amount),
        "receivables": [
            {"number": a.receivable.number, "amount": money(abs(a.amount))}
            for a in invoice.allocations.all()
        ],
        "reverses": invoice.reverses.number if invoice.reverses_id else None,
    }


def receipt_dict(receipt: Receipt) -> dict:
    return {
        "external_id": receipt.external_id,
        "dealer": receipt.dealer.code,
        "amount": money(receipt.amount),
        "date": receipt.date.isoformat(),
        "method": receipt.method,
        "written_off": [
            {"receivable": w.receivable.number, "amount": money(w.amount)}
            for w in receipt.writeoffs.select_related("receivable")
        ],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def erp_dict(order: Order) -> dict | None:
    """Where the order is in the ERP; null when no ERP connector handles it."""
    if not order.erp_system:
        return None
    return {
        "system": order.erp_system,
        "number": order.erp_number or None,
        "status": order.erp_status,
        "error": order.erp_error or None,
    }


def order_dict(order: Order) -> dict:
    """The order as api-v1.md spells it: the quote's shape plus document state,
    progress, shipments and receivables."""
    lines, gifts = [], []
    for line in order.lines.all():
        if line.is_gift:
            gifts.append(_gift_dict(line))
            continue
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
                "promised_date": _iso(line.promised_date),
                "estimated_date": _iso(line.estimated_date),
            }
        )
    quote = order.quote.get("repriced") or order.quote
    progress = order_selectors.order_progress(order=order)
    return {
        "number": order.number,
        "dealer": order.dealer.code,
        "status": order.status,
        "fulfilment": progress.fulfilment,
        "payment": progress.payment,
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
        "payment_plan": order.payment_plan,
        "erp": erp_dict(order),
        "shipments": [shipment_dict(s, ()) for s in order.shipments.all()],
        "receivables": [_receivable_dict(r) for r in order.receivables.all()],
        "events": [
            {"kind": e.kind, "at": timezone.localtime(e.at).isoformat(), "data": e.data}
            for e in order.events.all()
        ],
    }
