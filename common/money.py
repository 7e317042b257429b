"""Money in one place: rounding, adding and writing amounts of CNY.

Standard library only. Every module outside the promotion engine rounds, sums and
formats money through these functions; the engine (which may import the standard
library only) keeps its own ``quantize_money`` with the same rule, and a test holds
the two to the same answers.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MINUS = "\u2212"  # the minus sign, not a hyphen: "−¥12.00"


def quantize(value: Decimal | int | str) -> Decimal:
    """Round to two places, half up: the one rounding rule for money.

    Floats are refused (a float has already lost the cents), so are booleans.
    """
    if isinstance(value, float | bool):
        raise TypeError(
            f"money must be a Decimal, int or str, not {type(value).__name__}"
        )
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal | int | str]) -> Decimal:
    """The sum of amounts, each rounded first, so a total is always the sum of the
    figures shown for its lines."""
    return sum((quantize(value) for value in values), ZERO)


def parse(value) -> Decimal | None:
    """An amount from whatever a template, an event or a form carried (a Decimal, an
    int, a decimal string), or None when it is not one. Floats go through ``str``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return quantize(amount) if amount.is_finite() else None


def format_money(value: Decimal | int | str, *, negative: bool = False) -> str:
    """Write an amount as a dealer reads it: ``¥1,280.00``, and ``−¥12.00`` below zero
    (or for any non-zero amount with ``negative=True``, as a discount)."""
    amount = quantize(value)
    text = f"¥{abs(amount):,.2f}"
    return f"{MINUS}{text}" if amount < 0 or (negative and amount) else text


def display(value, *, negative: bool = False, empty: str = "") -> str:
    """``format_money`` for templates and messages: ``empty`` for None or "", and the
    value as it came when it is not an amount (never an exception in a page)."""
    if value is None or value == "":
        return empty
    amount = parse(value)
    return str(value) if amount is None else format_money(amount, negative=negative)


def as_str(value: Decimal | int | str) -> str:
    """Write an amount for JSON and events: ``"1280.00"`` (rounded half up)."""
    return str(quantize(value))
