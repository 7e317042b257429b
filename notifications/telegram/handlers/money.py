"""/balance and /statement."""

from asgiref.sync import sync_to_async
from django.utils import timezone

from notifications.telegram import texts
from notifications.telegram.handlers.common import handler, say
from orders import selectors as order_selectors

MOVEMENTS_SHOWN = 15
ORDERS_SHOWN = 10


@handler()
async def balance(update, context, dealer_user):
    balances = await sync_to_async(order_selectors.balances_get)(
        dealer=dealer_user.dealer
    )
    await say(update, texts.balances(balances))


@handler()
async def statement(update, context, dealer_user):
    """This month's movements with opening and closing balance (invoices and credit
    notes among them), then each order billed, invoiced, paid and open."""
    today = timezone.localdate()
    start = today.replace(day=1)
    found = await sync_to_async(order_selectors.statement_get)(
        dealer=dealer_user.dealer, period_from=start, period_to=today
    )
    lines = [
        texts.statement_head(
            start.isoformat(), today.isoformat(), texts.money(found.opening_balance)
        )
    ]
    movements = found.movements[-MOVEMENTS_SHOWN:]
    for m in movements:
        if m.invoiced:  # an invoice or credit note: no money moves
            lines.append(
                f"{m.date.isoformat()} {m.label} {m.reference} {texts.money(m.invoiced)}"
            )
            continue
        amount = m.debit if m.debit else -m.credit
        lines.append(
            f"{m.date.isoformat()} {m.reference} {texts.money(amount)} → "
            f"{texts.money(m.balance)}"
        )
    if not movements:
        lines.append(texts.statement_empty())
    lines.append(texts.statement_closing(texts.money(found.closing_balance)))
    if found.orders:
        lines.append("")
        lines += [texts.order_money(o) for o in found.orders[-ORDERS_SHOWN:]]
    await say(update, "\n".join(lines))
