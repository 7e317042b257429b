"""/agreement: the year's targets, progress and the nearest rebate tier."""

from asgiref.sync import sync_to_async

from notifications.telegram import texts
from notifications.telegram.handlers.common import handler, say
from orders import selectors as order_selectors


@handler()
async def agreement(update, context, dealer_user):
    report = await sync_to_async(order_selectors.agreement_report)(
        dealer=dealer_user.dealer
    )
    await say(update, await sync_to_async(texts.agreement)(report))
