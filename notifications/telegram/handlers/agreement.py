"""/agreement: the year's targets, progress and the nearest rebate tier."""

from asgiref.sync import sync_to_async

from contracts import selectors as contract_selectors
from notifications.telegram import texts
from notifications.telegram.handlers.common import handler, say


@handler()
async def agreement(update, context, dealer_user):
    report = await sync_to_async(contract_selectors.dealer_agreement_report)(
        dealer=dealer_user.dealer
    )
    await say(update, await sync_to_async(texts.agreement)(report))
