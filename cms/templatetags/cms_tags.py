"""Formatting for content pages (kept here: ``cms`` does not lean on the portal)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

AVAILABILITY = {
    "in_stock": _("In stock"),
    "low": _("Low stock"),
    "out": _("Out of stock"),
}


@register.filter
def cms_money(value) -> str:
    """¥1,280.00."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"¥{abs(amount):,.2f}"
    return f"−{text}" if amount < 0 else text


@register.filter
def availability_label(value: str) -> str:
    return str(AVAILABILITY.get(value, value))
