"""/orders (recent orders as cards), /track ORDER (the shipment timeline) and
"when will SO-000123 arrive?" (the per-line estimate)."""

import re

from asgiref.sync import sync_to_async
from django.utils import formats, timezone

from common.errors import NotFound
from notifications.telegram import keyboards, texts
from notifications.telegram.handlers.common import arg, handler, say
from orders import selectors as order_selectors

RECENT = 5


def _cards(dealer):
    return [
        (order.number, order.get_status_display(), order.total, order.placed_at)
        for order in order_selectors.order_card_list(dealer=dealer)[:RECENT]
    ]


@handler()
async def orders(update, context, dealer_user):
    cards = await sync_to_async(_cards)(dealer_user.dealer)
    if not cards:
        await say(update, texts.no_orders())
        return
    await say(update, texts.recent_orders())
    for number, status, total, placed in cards:
        when = formats.date_format(timezone.localtime(placed), "Y-m-d H:i")
        await say(
            update,
            texts.order_card(number, str(status), texts.money(total), when),
            keyboards.markup([[keyboards.button(texts.track_button(), f"t:{number}")]]),
        )


def _timeline(dealer, number: str) -> str:
    """The order's progress and shipments, scoped to ``dealer`` (NotFound else)."""
    order = order_selectors.order_get(number=number, dealer=dealer)
    progress = order_selectors.order_progress(order=order)
    lines = [
        texts.track_title(order.number) + f" · {order.get_status_display()}",
        texts.progress(
            str(texts.FULFILMENT.get(progress.fulfilment, progress.fulfilment)),
            str(texts.PAYMENT.get(progress.payment, progress.payment)),
            progress.shipped,
            progress.ordered,
        ),
    ]
    for event in order.events.all():
        when = formats.date_format(timezone.localtime(event.at), "Y-m-d H:i")
        lines.append(f"• {when} {event.get_kind_display()}")
    for shipment in order.shipments.all():
        when = formats.date_format(timezone.localtime(shipment.shipped_at), "Y-m-d")
        line = texts.shipment_line(
            shipment.number, when, shipment.carrier, shipment.tracking_no
        ).strip()
        if shipment.delivered_at:
            delivered = formats.date_format(
                timezone.localtime(shipment.delivered_at), "Y-m-d"
            )
            line += ", " + texts.delivered_on(delivered)
        lines.append("🚚 " + line)
    return "\n".join(lines)


async def _track(update, dealer_user, number: str, *, edit: bool = False):
    number = number.strip().upper()[:32]
    try:
        text = await sync_to_async(_timeline)(dealer_user.dealer, number)
    except NotFound:
        raise NotFound(texts.unknown_order(), code="unknown_order") from None
    await say(update, text, edit=edit)


@handler()
async def track(update, context, dealer_user):
    if not context.args:
        await say(update, texts.track_usage())
        return
    await _track(update, dealer_user, context.args[0])


@handler(callback=True)
async def track_pressed(update, context, dealer_user):
    await _track(update, dealer_user, arg(update.callback_query.data))


ORDER_NUMBER = re.compile(r"\bSO-\d{1,12}\b", re.IGNORECASE)


def _arrival(dealer, number: str) -> str:
    """Each open line's estimated arrival, scoped to ``dealer`` (NotFound else)."""
    order = order_selectors.order_get(number=number, dealer=dealer)
    rows = []
    for line in order.lines.all():
        if line.is_gift or not line.open_quantity:
            continue
        name, unit = line.product.display_name, line.product.get_unit_display()
        if line.estimated_date:
            day = formats.date_format(line.estimated_date)
            rows.append("📦 " + texts.eta_line(name, line.open_quantity, unit, day))
        else:
            rows.append("📦 " + texts.eta_unknown(name, line.open_quantity, unit))
    if not rows:
        return texts.track_title(order.number) + "\n" + texts.eta_nothing_open()
    return "\n".join([texts.eta_title(order.number), *rows])


@handler()
async def arrival_asked(update, context, dealer_user):
    """A message naming an order ("when will SO-000123 arrive?"): its estimates."""
    number = ORDER_NUMBER.search(update.effective_message.text or "").group(0).upper()
    try:
        text = await sync_to_async(_arrival)(dealer_user.dealer, number)
    except NotFound:
        raise NotFound(texts.unknown_order(), code="unknown_order") from None
    await say(update, text)
