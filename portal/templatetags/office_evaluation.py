"""Filters of the evaluation pages: ratios as percentages."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def percent(value, places: int = 2) -> str:
    """A ratio as a percentage: Decimal("0.0523") → "5.23%"; empty stays "—"."""
    if value in (None, ""):
        return "—"
    try:
        number = (Decimal(value) * 100).quantize(
            Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP
        )
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{number}%"


@register.filter
def sort_flip(sort: str, key: str) -> str:
    """The ``?sort=`` value a column header links to: ascending, or flipped when the
    table is already sorted by it ascending."""
    return f"-{key}" if sort == key else key
