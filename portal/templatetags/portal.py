"""Money, quantities and thumbnails as a dealer reads them."""

import hashlib

from django import template
from django.utils.html import format_html

from common import money as money_module
from portal import fragments
from portal.when import when_text

register = template.Library()

_PALETTE = ["#f2994a", "#27ae60", "#2d9cdb", "#9b51e0", "#eb5757", "#219653", "#b8860b"]


@register.filter
def money(value, sign: str = "") -> str:
    """¥1,280.00; ``money:'-'`` prints a discount as −¥12.00."""
    return money_module.display(value, negative=sign == "-")


@register.simple_tag
def thumb(product, size: int = 72):
    """The product's picture, or a coloured tile with its first character."""
    image = getattr(product, "image", None)
    name = getattr(product, "display_name", "") or getattr(product, "sku", "?")
    if image:
        return format_html(
            '<img class="product__thumb" src="{}" alt="" width="{}" height="{}" loading="lazy" decoding="async">',
            image.url,
            size,
            size,
        )
    colour = _PALETTE[
        int(hashlib.md5(product.sku.encode(), usedforsecurity=False).hexdigest(), 16)
        % len(_PALETTE)
    ]
    return format_html(
        '<span class="product__thumb" aria-hidden="true" style="display:flex;align-items:center;'
        'justify-content:center;background:{};color:#fff;font-size:{}px;width:{}px;height:{}px">{}</span>',
        colour,
        size // 2,
        size,
        size,
        name[:1],
    )


@register.filter
def duration_short(seconds) -> str:
    """A wait as people say it: 45 s, 12 min, 3 h 20 min, 2 d 4 h."""
    from django.utils.translation import gettext as _

    if seconds is None or seconds == "":
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return _("%(n)s s") % {"n": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return _("%(n)s min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)s d %(h)s h") % {"d": days, "h": hours}


@register.simple_tag(takes_context=True)
def when(context, moment) -> str:
    """ "3 minutes ago" within a day, else the date; in a cached page a mark that
    each request turns into the words of its own moment (``portal.fragments``)."""
    if context.get(fragments.LATE):
        return fragments.when_mark(moment)
    return when_text(moment)
