"""/orders (recent orders as cards) and /track ORDER (the shipment timeline)."""

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
