"""Orders as cards, as a page, and what a cancellation would leave."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from orders import services
from orders.models import Order
from portal.presenters.common import ZERO
from portal.when import recent

STATUS_TONES = {
    Order.Status.PLACED: "info",
    Order.Status.CREDIT_HOLD: "warn",
    Order.Status.CONFIRMED: "info",
    Order.Status.CLOSED: "ok",
    Order.Status.CANCELLED: "muted",
}


def fulfilment(*, ordered: int, shipped: int, cancelled: int) -> dict:
    """Goods progress: "shipped 12 / 20" with a word and a colour."""
    due = max(ordered - cancelled, 0)
    if due and shipped >= due:
        state, label, tone = "shipped", _("Shipped"), "ok"
    elif shipped:
        state, label, tone = "partial", _("Partially shipped"), "warn"
    else:
        state, label, tone = "unshipped", _("Not shipped yet"), "muted"
    percent = int(shipped * 100 / due) if due else 0
    return {
        "state": state,
        "label": label,
        "tone": tone,
        "shipped": shipped,
        "due": due,
        "percent": min(percent, 100),
    }


def order_card(order) -> dict:
    """An order from ``order_card_list`` as a one-glance card."""
    return {
        "order": order,
        "tone": STATUS_TONES.get(order.status, "muted"),
        "fulfilment": fulfilment(
            ordered=order.goods_quantity,
            shipped=order.shipped_quantity,
            cancelled=order.cancelled_quantity,
        ),
        "gifts": order.gift_quantity,
    }


def order_view(order, versions: Iterable) -> dict:
    """An order from ``order_get`` for its page: lines, gifts, promotions, history."""
    lines = list(order.lines.all())
    goods = [line for line in lines if not line.is_gift]
    gifts = [line for line in lines if line.is_gift]
    quote = order.quote.get("repriced") or order.quote
    times = {a["promotion"]: a for a in quote.get("applied", [])}
    promotions = []
    for version in sorted(versions, key=lambda v: v.promotion.code):
        applied = times.get(version.promotion.code, {})
        promotions.append(
            {
                "code": version.promotion.code,
                "name": version.display_name,
                "version": version.number,
                "times": applied.get("times"),
                "discount": Decimal(applied.get("discount") or "0"),
                "gift_cost": Decimal(applied.get("gift_cost") or "0"),
            }
        )
    ordered = sum(line.quantity for line in goods)
    shipped = sum(line.shipped_quantity for line in goods)
    cancelled = sum(
        line.cancelled_quantity + line.short_closed_quantity for line in goods
    )
    open_units = sum(line.open_quantity for line in goods)
    return {
        "order": order,
        "tone": STATUS_TONES.get(order.status, "muted"),
        "goods": goods,
        "gifts": gifts,
        "promotions": promotions,
        "events": [
            {"event": event, "recent": recent(event.at)} for event in order.events.all()
        ],
        "fulfilment": fulfilment(ordered=ordered, shipped=shipped, cancelled=cancelled),
        "open_units": open_units,
    }


@dataclass
class CancelPreview:
    """What an order keeps if the asked quantities are cancelled."""

    lines: list
    gifts_before: dict
    gifts_after: dict
    discount_before: Decimal
    discount_after: Decimal
    total_before: Decimal
    total_after: Decimal
    cancelling: list

    @property
    def gift_rows(self) -> list:
        rows = []
        for key in sorted(set(self.gifts_before) | set(self.gifts_after)):
            rows.append(
                {
                    "name": key[1],
                    "sku": key[0],
                    "before": self.gifts_before.get(key, 0),
                    "after": self.gifts_after.get(key, 0),
                }
            )
        return rows


def cancel_preview(order, wanted: Mapping[int, int]) -> CancelPreview:
    """Re-price what would remain through the same ``order_reprice`` the cancellation
    runs, given the quantities that would remain (nothing is written)."""
    lines = list(order.lines.all())
    gifts_before: dict = {}
    for line in lines:
        if line.is_gift:
            key = (line.sku, line.product.display_name)
            kept = line.quantity - line.cancelled_quantity - line.short_closed_quantity
            gifts_before[key] = gifts_before.get(key, 0) + kept
    total_before, discount_before = order.total, order.discount_total
    cancelling = [
        {"line": line, "quantity": wanted[line.pk]}
        for line in lines
        if not line.is_gift and wanted.get(line.pk)
    ]
    remaining = {
        line.sku: line.effective_quantity - wanted.get(line.pk, 0)
        for line in lines
        if not line.is_gift
    }
    repriced, _versions = services.order_reprice(order=order, quantities=remaining)
    names = {line.sku: line.product.display_name for line in lines}
    gifts_after: dict = {}
    for gift in repriced.gifts:
        key = (gift.sku, names.get(gift.sku, gift.sku))
        gifts_after[key] = gifts_after.get(key, 0) + gift.quantity
    by_sku = {line.sku: line for line in repriced.lines}
    kept = []
    for line in lines:
        if line.is_gift:
            continue
        priced = by_sku.get(line.sku)
        if priced is None or not priced.quantity:
            continue
        kept.append(
            {
                "line": line,
                "quantity": priced.quantity if priced else 0,
                "net": priced.net_amount if priced else ZERO,
            }
        )
    total_after = max(repriced.total - order.expense_credit_used, ZERO)
    return CancelPreview(
        lines=kept,
        gifts_before=gifts_before,
        gifts_after=gifts_after,
        discount_before=discount_before,
        discount_after=repriced.discount_total,
        total_before=total_before,
        total_after=total_after,
        cancelling=cancelling,
    )
