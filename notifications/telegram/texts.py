"""What the bot says, in English msgids translated by Django's gettext.

Call these inside ``translation.override(dealer_user.language)`` (the handlers'
``session`` does); nothing here is an f-string, so every sentence is translatable.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.money import format_money


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else format_money(amount)


def bilingual(zh: str, en: str, language: str) -> str:
    return zh if language.startswith("zh") else (en or zh)


HELP = gettext_lazy(
    "Commands:\n"
    "/promos – promotions you can get\n"
    "/order – build an order (or type lines like “TEA-A-01 10”)\n"
    "/orders – your recent orders\n"
    "/track ORDER – where an order is\n"
    "/balance – credit and balances\n"
    "/statement – this month’s statement\n"
    "/ask QUESTION – ask your sales organisation (or reply to any message)\n"
    "/language – 中文 / English\n"
    "/unlink – disconnect this chat"
)


def welcome(name: str, dealer: str) -> str:
    return _("Hello %(name)s, this chat is now connected to %(dealer)s.") % {
        "name": name,
        "dealer": dealer,
    }


def not_linked() -> str:
    return _(
        "This chat is not connected to a dealer account yet. On the portal, open "
        "Account → Connect Telegram, then tap the link or send /link CODE here."
    )


def link_usage() -> str:
    return _("Send /link followed by the code shown on the portal.")


def unlinked() -> str:
    return _("This chat is disconnected. Your portal account is unchanged.")


def language_prompt() -> str:
    return _("Choose your language:")


def language_set(name: str) -> str:
    return _("Language: %(name)s") % {"name": name}


def something_wrong() -> str:
    return _("Sorry, something went wrong. Please try again in a moment.")


def stale_button() -> str:
    return _("This button is no longer valid.")


def cannot_order() -> str:
    return _("Your role can browse but not order.")


# --- Promotions -------------------------------------------------------------------------


def no_promotions() -> str:
    return _("No promotions for you right now.")


def promotions_title() -> str:
    return _("Promotions you can get:")


def promotion_ends(ends: str) -> str:
    return _("Until %(date)s") % {"date": ends}


def order_this() -> str:
    return _("Order this")


def back() -> str:
    return _("Back")


def unknown_promotion() -> str:
    return _("This promotion is not available to you.")


def pick_products() -> str:
    return _("Pick products for this promotion:")


# --- Orders -----------------------------------------------------------------------------


def no_orders() -> str:
    return _("You have no orders yet.")


def recent_orders() -> str:
    return _("Your recent orders:")


def order_card(number: str, status: str, total: str, placed: str) -> str:
    return _("%(number)s · %(status)s\nTotal %(total)s · placed %(placed)s") % {
        "number": number,
        "status": status,
        "total": total,
        "placed": placed,
    }


def track_usage() -> str:
    return _("Send /track followed by an order number, e.g. /track SO-000123.")


def unknown_order() -> str:
    return _("No order with that number in your account.")


def eta_title(number: str) -> str:
    return _("When order %(number)s arrives:") % {"number": number}


def eta_line(name: str, quantity: int, unit: str, day: str) -> str:
    return _("%(name)s × %(quantity)s %(unit)s: arrives %(date)s") % {
        "name": name,
        "quantity": quantity,
        "unit": unit,
        "date": day,
    }


def eta_unknown(name: str, quantity: int, unit: str) -> str:
    return _("%(name)s × %(quantity)s %(unit)s: no date yet") % {
        "name": name,
        "quantity": quantity,
        "unit": unit,
    }


def eta_nothing_open() -> str:
    return _("Everything on this order has shipped or was cancelled.")


def track_title(number: str) -> str:
    return _("Order %(number)s") % {"number": number}


def progress(fulfilment: str, payment: str, shipped: int, ordered: int) -> str:
    return _(
        "Goods: %(fulfilment)s (%(shipped)s of %(ordered)s shipped)\n"
        "Payment: %(payment)s"
    ) % {
        "fulfilment": fulfilment,
        "payment": payment,
        "shipped": shipped,
        "ordered": ordered,
    }


def shipment_line(number: str, when: str, carrier: str, tracking: str) -> str:
    return _("Shipment %(number)s left on %(when)s %(carrier)s %(tracking)s") % {
        "number": number,
        "when": when,
        "carrier": carrier,
        "tracking": tracking,
    }


def delivered_on(when: str) -> str:
    return _("delivered on %(when)s") % {"when": when}


FULFILMENT = {
    "unshipped": gettext_lazy("not shipped yet"),
    "partially_shipped": gettext_lazy("partly shipped"),
    "shipped": gettext_lazy("shipped"),
    "delivered": gettext_lazy("delivered"),
}
PAYMENT = {
    "unpaid": gettext_lazy("unpaid"),
    "partially_paid": gettext_lazy("partly paid"),
    "paid": gettext_lazy("paid"),
    "overdue": gettext_lazy("overdue"),
}


def track_button() -> str:
    return _("Track")


# --- Money ------------------------------------------------------------------------------


def balances(b) -> str:
    return _(
        "Credit limit: %(limit)s\n"
        "Available credit: %(available)s\n"
        "Open receivables: %(open)s\n"
        "Overdue: %(overdue)s\n"
        "Orders not shipped yet: %(unshipped)s\n"
        "Prepayment: %(prepayment)s\n"
        "Expense credit: %(expense)s"
    ) % {
        "limit": money(b.credit_limit),
        "available": money(b.available_credit),
        "open": money(b.open_receivables),
        "overdue": money(b.overdue),
        "unshipped": money(b.unshipped_orders),
        "prepayment": money(b.prepayment),
        "expense": money(b.expense_credit),
    }


def statement_head(start: str, end: str, opening: str) -> str:
    return _("Statement %(start)s – %(end)s\nOpening balance %(opening)s") % {
        "start": start,
        "end": end,
        "opening": opening,
    }


def statement_closing(closing: str) -> str:
    return _("Closing balance %(closing)s") % {"closing": closing}


def order_money(o) -> str:
    """One order four ways, as the statement's "By order" shows it."""
    return _(
        "%(order)s: billed %(billed)s · invoiced %(invoiced)s · paid %(paid)s · "
        "open %(open)s"
    ) % {
        "order": o.order,
        "billed": money(o.billed),
        "invoiced": money(o.invoiced),
        "paid": money(o.paid),
        "open": money(o.open),
    }


def statement_empty() -> str:
    return _("No movements in this period.")


# --- Draft ------------------------------------------------------------------------------


def draft_empty() -> str:
    return _(
        "Your draft order is empty. Type lines like “TEA-A-01 10”, a product name, "
        "or tap a button below."
    )


def draft_title() -> str:
    return _("Draft order")


def unavailable_line(sku: str) -> str:
    return _("%(sku)s can no longer be ordered: remove it or order without it.") % {
        "sku": sku
    }


def quote_totals(subtotal: str, discount: str, total: str) -> str:
    return _("Subtotal %(subtotal)s · discount %(discount)s\nTotal %(total)s") % {
        "subtotal": subtotal,
        "discount": discount,
        "total": total,
    }


def gift_line(name: str, quantity: int) -> str:
    return _("Gift: %(name)s × %(quantity)s") % {"name": name, "quantity": quantity}


def gift_choose(promotion: str) -> str:
    return _("Choose the gift of %(promotion)s:") % {"promotion": promotion}


def credit_short() -> str:
    return _("Over your available credit: the order will wait on credit hold.")


def confirm() -> str:
    return _("Confirm order")


def discard() -> str:
    return _("Discard")


def reorder() -> str:
    return _("Reorder last")


def promotions_button() -> str:
    return _("From a promotion")


def discarded() -> str:
    return _("Draft discarded.")


def placed(number: str, total: str) -> str:
    return _("Order %(number)s placed. Total %(total)s.") % {
        "number": number,
        "total": total,
    }


def already_placed(number: str) -> str:
    return _("This draft was already placed as order %(number)s.") % {"number": number}


def search_results() -> str:
    return _("Products found — tap to add 1:")


def nothing_found() -> str:
    return _("No product matches that. Try a SKU, a name, or /help.")


def added() -> str:
    return _("Added.")


def agreement(report) -> str:
    """The dealer's agreement in a few lines: targets with progress, the rebate."""
    if report is None:
        return _(
            "You have no agreement yet. Your sales rep sets up the year's agreement "
            "with you."
        )
    lines = [
        _("Agreement %(code)s, %(starts)s – %(ends)s")
        % {
            "code": report.agreement.code,
            "starts": report.version.starts.isoformat(),
            "ends": report.version.ends.isoformat(),
        }
    ]
    for item in report.progress:
        if item.target_amount is not None:
            figures = f"{money(item.achieved)} / {money(item.target_amount)}"
        else:
            figures = f"{item.achieved_quantity} / {item.target_quantity}"
        lines.append(
            f"{item.period.name} {item.category_name}: {figures} ({item.percent}%)"
        )
    rebate = report.rebate
    if rebate is not None:
        lines.append(
            _("Rebate accrued: %(accrued)s") % {"accrued": money(report.accrued_total)}
        )
        if rebate.next_tier is not None and rebate.settlement is None:
            lines.append(
                _("%(money)s more shipped in %(period)s for a %(percent)s%% rebate")
                % {
                    "money": money(rebate.next_remaining),
                    "period": rebate.period.name,
                    "percent": rebate.next_tier.rebate_percent.normalize(),
                }
            )
    return "\n".join(lines)


def reply_hint() -> str:
    return _("↩ Reply to this message to answer your sales organisation.")


def ask_how() -> str:
    return _(
        "Write your question after /ask, for example “/ask When does my order "
        "arrive?”, or reply to any of my messages. You can send a photo too."
    )


def message_posted(subject: str) -> str:
    return _(
        "Sent to your sales organisation (“%(subject)s”). Reply to this message to "
        "add more; their answer comes here and in the portal."
    ) % {"subject": subject}


def photo_unreadable() -> str:
    return _("I could not read that photo; please send it again.")
