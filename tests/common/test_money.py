"""Money in one place: one rounding rule (half up) that the engine shares, totals that
are the sums of their rounded lines, one way to write ¥ everywhere."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import money
from notifications import texts as notification_texts
from notifications.telegram import texts as bot_texts
from portal.templatetags.portal import money as money_filter
from promos.engine import quantize_money
from promos.engine.money import format_money as engine_format_money

amounts = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False
)


@given(amounts)
def test_common_rounding_is_the_engines(value):
    """common.money and the engine (which may not import it) round alike."""
    assert money.quantize(value) == quantize_money(value)
    assert money.format_money(value) == engine_format_money(value) or value < 0


@given(st.lists(amounts, max_size=30))
def test_a_total_is_the_sum_of_its_rounded_lines(values):
    """Every figure shown for a line adds up to the total shown."""
    assert money.total(values) == sum((money.quantize(v) for v in values), Decimal(0))
    assert money.total(values) == money.quantize(money.total(values))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1280"), "¥1,280.00"),
        (Decimal("0.125"), "¥0.13"),  # half up, not half even
        (Decimal("2.675"), "¥2.68"),
        ("-12", "−¥12.00"),
        (7, "¥7.00"),
    ],
)
def test_every_place_writes_money_the_same_way(value, text):
    """The template filter, the notification texts and the bot write one format."""
    assert money.display(value) == text
    assert money_filter(value) == text
    assert notification_texts.money(value) == text
    assert bot_texts.money(Decimal(value)) == text


def test_display_is_forgiving_in_pages():
    assert money.display(None) == ""
    assert money.display("") == ""
    assert money.display("n/a") == "n/a"
    assert money.display(Decimal("12"), negative=True) == "−¥12.00"
    assert money.display(Decimal("0"), negative=True) == "¥0.00"
    with pytest.raises(TypeError):
        money.quantize(0.1)
    assert money.as_str(Decimal("0.005")) == "0.01"
