"""Money arithmetic: the one rounding rule of the engine and how amounts are split."""

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def quantize_money(value: Decimal | int | str) -> Decimal:
    """Round a money value to two places, half up: the only rounding the engine does.

    Floats are refused (a float has already lost the cents), so are booleans.
    """
    if isinstance(value, float | bool):
        raise TypeError(
            f"money must be a Decimal, int or str, not {type(value).__name__}"
        )
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def spread(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` over ``weights`` in proportion, each share within [0, weight].

    ``total`` is capped at the sum of the weights. Each share is rounded with
    ``quantize_money``; the cents left over (or taken back) go to the largest
    weight first, ties to the earliest, so the shares always sum to the total.
    """
    weights = [quantize_money(w) for w in weights]
    weight_sum = sum(weights, ZERO)
    total = min(quantize_money(total), weight_sum)
    if total <= 0:
        return [ZERO for _ in weights]
    if total == weight_sum:
        return weights
    shares = [quantize_money(total * w / weight_sum) for w in weights]
    left = total - sum(shares, ZERO)
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        if left == 0:
            break
        step = min(left, weights[i] - shares[i]) if left > 0 else max(left, -shares[i])
        shares[i] += step
        left -= step
    return shares


def largest_within(fits: Callable[[int], bool], cap: int) -> int:
    """Return the largest t in [0, cap] with ``fits(t)``, for a monotone ``fits``.

    ``fits(0)`` is taken as true. Binary search keeps a large number of earned
    times cheap to cut down to a budget.
    """
    low, high = 0, max(cap, 0)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def money_str(value: Decimal | None) -> str | None:
    """Write money for JSON: ``"1280.00"`` (``None`` stays ``None``)."""
    return None if value is None else str(quantize_money(value))


def ceil_div(numerator: Decimal | int, denominator: Decimal | int) -> int:
    """Return the smallest whole number >= numerator / denominator (both >= 0).

    Exact for Decimals, whose ``//`` truncates toward zero (so the ``-(-a // b)``
    idiom is wrong for them).
    """
    quotient, remainder = divmod(numerator, denominator)
    return int(quotient) + (1 if remainder > 0 else 0)


def format_money(value: Decimal) -> str:
    """Format an amount for a dealer: ``¥1,280.00``."""
    return f"¥{quantize_money(value):,.2f}"


def plain_decimal(value: Decimal) -> str:
    """Write a Decimal without exponent or trailing zeros: ``5``, ``0.01``, ``12.5``."""
    return format(value.normalize(), "f")
