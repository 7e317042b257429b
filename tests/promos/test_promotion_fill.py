"""Order now: what to add to a cart so that a promotion applies (promotion_fill)."""

import pytest

from common.errors import NotFound
from promos import selectors
from tests.orders.factories import approve, credit_definition, definition


def quote_times(dealer, lines, code):
    quote, _inputs = selectors.promotion_quote(dealer=dealer, lines=lines)
    return sum(a.times for a in quote.applied if a.promotion == code)


def test_empty_cart_gets_the_threshold_quantity(world):
    approve(definition())  # a cup for every 10 units of Tea A
    added = selectors.promotion_fill(dealer=world["dealer"], code="P-GIFT")
    assert added == {"TEA-A-01": 10}
    assert quote_times(world["dealer"], list(added.items()), "P-GIFT") == 1


def test_what_the_cart_holds_counts(world):
    approve(definition())
    added = selectors.promotion_fill(
        dealer=world["dealer"], code="P-GIFT", lines=[("TEA-A-01", 7)]
    )
    assert added == {"TEA-A-01": 3}


def test_a_repeatable_promotion_is_earned_once_more(world):
    approve(definition())
    added = selectors.promotion_fill(
        dealer=world["dealer"], code="P-GIFT", lines=[("TEA-A-01", 10)]
    )
    assert added == {"TEA-A-01": 10}
    assert quote_times(world["dealer"], [("TEA-A-01", 20)], "P-GIFT") == 2


def test_an_amount_threshold_is_reached(world):
    approve(credit_definition())  # expense support from ¥1,000 of tea
    added = selectors.promotion_fill(dealer=world["dealer"], code="P-CREDIT")
    lines = list(added.items())
    assert lines
    assert quote_times(world["dealer"], lines, "P-CREDIT") == 1
    # and not wildly more than needed: one unit less would not reach it
    sku, quantity = lines[0]
    assert quote_times(world["dealer"], [(sku, quantity - 1)], "P-CREDIT") == 0


def test_a_promotion_the_dealer_cannot_get_is_not_found(world):
    approve(definition("P-SILVER", audience={"tiers": ["silver"]}))
    with pytest.raises(NotFound):
        selectors.promotion_fill(dealer=world["dealer"], code="P-SILVER")
    with pytest.raises(NotFound):
        selectors.promotion_fill(dealer=world["dealer"], code="P-NOPE")


def test_ensure_adds_nothing_to_a_cart_that_already_earns_it(world):
    approve(definition())
    assert (
        selectors.promotion_fill(
            dealer=world["dealer"], code="P-GIFT", lines=[("TEA-A-01", 12)], ensure=True
        )
        == {}
    )
    assert selectors.promotion_fill(
        dealer=world["dealer"], code="P-GIFT", lines=[("TEA-A-01", 4)], ensure=True
    ) == {"TEA-A-01": 6}
