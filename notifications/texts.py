"""What a notification says and where it leads, in the reader's language.

Every kind announced through ``common.outbox`` reads well here, the known ones with
their own sentence and unknown ones (a kind that arrives with a later issue) with a
sensible title built from the kind and the data, so they work the day they arrive.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override

from common import i18n
from common import money as common_money

# Topics group kinds for preferences; a kind belongs to the topic of its prefix.
TOPICS = {
    "orders": gettext_lazy("Orders"),
    "shipments": gettext_lazy("Shipments and deliveries"),
    "payments": gettext_lazy("Payments and receipts"),
    "promotions": gettext_lazy("Promotions and recommendations"),
    "conversations": gettext_lazy("Answers from your sales organisation"),
}
_TOPIC_OF_PREFIX = {
    "order": "orders",
    "shipment": "shipments",
    "receipt": "payments",
    "payment": "payments",
    "promotion": "promotions",
    "campaign": "promotions",
    "conversation": "conversations",
}
_TOPIC_OF_KIND = {"order.shipped": "shipments", "order.delayed": "shipments"}
# Always critical, whatever the announcer said: these ignore quiet hours and mutes.
CRITICAL_KINDS = frozenset({"order.credit_hold", "payment.overdue"})

CAMPAIGN = "campaign.message"
RECOMMENDATION = "promotion.recommended"
REPLY = "conversation.reply"
# Kinds a dealer may answer by replying to them in Telegram (conversations).
ANSWERABLE_KINDS = frozenset({CAMPAIGN, RECOMMENDATION, REPLY})


def topic_of(kind: str) -> str:
    """The preference topic of a kind (``other`` for a prefix nobody knows yet)."""
    return _TOPIC_OF_KIND.get(kind) or _TOPIC_OF_PREFIX.get(
        kind.split(".", 1)[0], "other"
    )


@dataclass(frozen=True)
class Rendered:
    """A notification as a person reads it."""

    title: str
    body: str
    url: str = ""  # where "open" leads (an order, a promotion)
    action_url: str = ""  # "order now": the promotion pre-filled in the cart
    action_label: str = ""


def money(value) -> str:
    """¥1,280.00 from whatever the event carried."""
    return common_money.display(value)


def _reverse_first(names: tuple[str, ...], arg: str, fallback: str) -> str:
    for name in names:
        try:
            return reverse(name, args=[arg])
        except NoReverseMatch:
            continue
    return fallback


def order_url(number: str) -> str:
    return _reverse_first(
        ("portal:orders-detail", "portal:order-detail"), number, f"/orders/{number}/"
    )


def promotion_url(code: str) -> str:
    return _reverse_first(
        ("portal:promotions-detail", "portal:promotion-detail"),
        code,
        f"/promotions/{code}/",
    )


def thread_url(pk) -> str:
    """A conversation as the dealer reads it."""
    return _reverse_first(("conversations:thread",), str(pk), f"/conversations/{pk}/")


def statement_url(start: str, end: str) -> str:
    """The statement page for one period."""
    return f"{reverse('portal:statement')}?{urlencode({'start': start, 'end': end})}"


def day(value: str, language: str) -> str:
    """An ISO date as UX.md writes it: 2026年11月26日 / 26 Nov 2026."""
    try:
        parsed = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value or "")
    return date_format(parsed, i18n.date_format(language))


def order_now_url(code: str) -> str:
    """The promotion's page, asked to put its items in the cart."""
    return f"{promotion_url(code)}?add=1"


class _Safe(dict):
    def __missing__(self, key):
        return ""


def _event_words(kind: str) -> str:
    return kind.rsplit(".", 1)[-1].replace("_", " ")


def _order_texts(kind: str, data: _Safe) -> tuple[str, str] | None:
    values = _Safe(data, total=money(data["total"]) if data["total"] else "")
    if "amount" in data:
        values["amount"] = money(data["amount"])
    for key in ("old_date", "new_date"):
        if data[key]:
            values[key] = day(data[key], get_language() or "zh-hans")
    if (get_language() or "").startswith("en") and data["product_en"]:
        values["product"] = data["product_en"]
    texts = {
        "order.placed": (
            _("Order %(order)s placed"),
            _("Total %(total)s. We will tell you when it ships."),
        ),
        "order.credit_hold": (
            _("Order %(order)s is on credit hold"),
            _(
                "The total %(total)s is above your available credit. Pay an open "
                "invoice or ask your sales rep to release it."
            ),
        ),
        "order.cancelled": (
            _("Order %(order)s cancelled"),
            _("The order was cancelled; its promotions and credit were given back."),
        ),
        "order.partly_cancelled": (
            _("Order %(order)s partly cancelled"),
            _("The new total is %(total)s."),
        ),
        "order.released": (
            _("Order %(order)s released"),
            _("Your sales rep released it from credit hold; it is being prepared."),
        ),
        "statement.disputed": (
            _("Statement disputed"),
            _(
                "You disputed the statement from %(from)s to %(to)s: %(note)s. "
                "Your sales rep will look into it."
            ),
        ),
        "order.shipped": (
            _("Order %(order)s shipped"),
            _("Carrier %(carrier)s, tracking number %(tracking_no)s.")
            if data["carrier"] or data["tracking_no"]
            else _("Your goods are on their way."),
        ),
        "order.delayed": (
            _("Order %(order)s: new delivery date"),
            _("%(product)s now arrives %(new_date)s (was %(old_date)s).")
            if data["new_date"]
            else _("%(product)s has no delivery date for now (was %(old_date)s)."),
        ),
        "shipment.delivered": (
            _("Order %(order)s delivered"),
            _("Please check the goods and confirm receipt."),
        ),
        "receipt.posted": (
            _("Payment received"),
            _("We received %(amount)s. Thank you."),
        ),
        "payment.due": (
            _("Payment due for order %(order)s"),
            _("%(amount)s is due on %(due_date)s."),
        ),
        "payment.overdue": (
            _("Payment overdue for order %(order)s"),
            _("%(amount)s was due on %(due_date)s. Please pay it to keep ordering."),
        ),
    }
    pair = texts.get(kind)
    if pair is None:
        return None
    title, body = pair
    return title % values, body % values


def _generic(kind: str, data: dict) -> tuple[str, str]:
    words = _event_words(kind)
    if data.get("order"):
        title = _("Order %(order)s: %(event)s") % {
            "order": data["order"],
            "event": words,
        }
    else:
        title = _("Update: %(event)s") % {"event": words}
    details = [
        f"{key.replace('_', ' ')}: {value}"
        for key, value in data.items()
        if key != "order" and isinstance(value, str | int | float | Decimal)
    ]
    return title, "; ".join(details)


def _pick(zh: str, en: str, language: str) -> str:
    if language.startswith("en"):
        return en or zh
    return zh or en


def render(notification, language: str) -> Rendered:
    """The notification in ``language``: title, body, and where it leads."""
    with language_override(language):
        return _render(notification, language)


def _render(notification, language: str) -> Rendered:
    data = notification.data or {}
    kind = notification.kind
    if kind == REPLY:
        body = data.get("text") or ""
        if data.get("photos"):
            body = (body + "\n" if body else "") + _("[photo]")
        return Rendered(
            title=_("%(author)s answered: %(subject)s")
            % {
                "author": data.get("author") or _("Your sales rep"),
                "subject": data.get("subject") or "",
            },
            body=body,
            url=thread_url(data.get("thread") or 0),
        )
    promotion = data.get("promotion") or ""
    url = ""
    if data.get("order"):
        url = order_url(data["order"])
    elif promotion:
        url = promotion_url(promotion)
    elif kind.startswith("statement.") and data.get("from") and data.get("to"):
        url = statement_url(data["from"], data["to"])
        data = {
            **data,
            "from": day(data["from"], language),
            "to": day(data["to"], language),
        }
    campaign = notification.campaign if notification.campaign_id else None
    if campaign is not None:
        title = _pick(campaign.title_zh, campaign.title_en, language)
        body = _pick(campaign.body_zh, campaign.body_en, language)
        if kind == RECOMMENDATION and not title:
            title = _("A promotion for you")
        action = order_now_url(promotion) if promotion and campaign.order_now else ""
        return Rendered(
            title=title or _("A message from your sales rep"),
            body=body,
            url=url,
            action_url=action,
            action_label=_("Order now") if action else "",
        )
    texts = _order_texts(kind, _Safe(data))
    title, body = texts if texts else _generic(kind, data)
    return Rendered(title=title, body=body, url=url)
