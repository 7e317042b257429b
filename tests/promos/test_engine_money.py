"""The one rounding rule and how amounts are split."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from promos.engine import Quote, quantize_money
from promos.engine.money import ceil_div, format_money, spread


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.005"), "0.01"),
        (Decimal("2.675"), "2.68"),
        (Decimal("2.665"), "2.67"),
        (Decimal("-0.005"), "-0.01"),
        ("12", "12.00"),
        (7, "7.00"),
    ],
)
def test_quantize_money_rounds_half_up(value, expected):
    """Two places, ROUND_HALF_UP (not banker's rounding)."""
    assert str(quantize_money(value)) == expected


@pytest.mark.parametrize("value", [0.1, True])
def test_quantize_money_refuses_floats(value):
    """A float has already lost the cents: refused."""
    with pytest.raises(TypeError):
        quantize_money(value)


def test_format_money():
    """Money for dealers: yuan sign, thousands separators, two places."""
    assert format_money(Decimal("1280")) == "¥1,280.00"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (Decimal("280"), Decimal("120"), 3),
        (Decimal("240"), Decimal("120"), 2),
        (0, 5, 0),
    ],
)
def test_ceil_div(numerator, denominator, expected):
    """Ceiling division, exact for Decimals."""
    assert ceil_div(numerator, denominator) == expected


weights = st.lists(
    st.decimals(min_value="0.00", max_value="10000.00", places=2),
    min_size=1,
    max_size=12,
)


@given(
    weights=weights, total=st.decimals(min_value="0.00", max_value="50000.00", places=2)
)
def test_spread_sums_to_the_total_within_each_weight(weights, total):
    """Shares sum to min(total, Σ weights), each between zero and its weight."""
    shares = spread(total, weights)
    assert sum(shares, Decimal(0)) == min(total, sum(weights, Decimal(0)))
    for share, weight in zip(shares, weights, strict=True):
        assert Decimal(0) <= share <= weight
        assert share == quantize_money(share)


def test_empty_quote_is_zero():
    """A quote with nothing in it is all zeros and empty lists, never None."""
    data = Quote().to_dict()
    assert (data["subtotal"], data["discount_total"], data["total"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert data["lines"] == data["gifts"] == data["applied"] == []
    assert Quote().cost_of("P1") == Decimal("0.00")
