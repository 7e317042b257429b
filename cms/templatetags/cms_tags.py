"""Formatting for content pages (kept here: ``cms`` does not lean on the portal)."""

from django import template
from django.utils.translation import gettext_lazy as _

from common import money

register = template.Library()

AVAILABILITY = {
    "in_stock": _("In stock"),
    "low": _("Low stock"),
    "out": _("Out of stock"),
}


@register.filter
def cms_money(value) -> str:
    """¥1,280.00."""
    return money.display(value)


@register.filter
def availability_label(value: str) -> str:
    return str(AVAILABILITY.get(value, value))
