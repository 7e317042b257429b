"""Order now for every kind of promotion: exactly what earns it once, per component,
never more on a repeat (the P2026-0052 combo filled 4,096 cases of one drink)."""

import pytest

from orders import selectors as order_selectors
from orders import services as order_services
from promos import selectors
from tests.orders.factories import (
    addon_definition,
    approve,
    build_world,
    combo_discount_definition,
    combo_gift_definition,
    definition,
    order_discount_definition,
    percent_definition,
)


@pytest.fixture
def shop(db):
    return build_world()


def times(dealer, lines, code) -> int:
    quote, _inputs = selectors.promotion_quote(dealer=dealer, lines=lines)
    return sum(a.times for a in quote.applied if a.promotion == code)


def test_a_combo_adds_each_components_minimum_once(shop):
    """3 Longjing A + 2 Pu'er C: exactly that, not thousands of one of them."""
    approve(combo_gift_definition())
    added = selectors.promotion_fill(dealer=shop["dealer"], code="P-COMBO-GIFT")
    assert added == {"TEA-A-01": 3, "TEA-C-01": 2}
    assert times(shop["dealer"], list(added.items()), "P-COMBO-GIFT") == 1


def test_a_combo_tops_up_what_the_cart_holds(shop):
    approve(combo_gift_definition())
    added = selectors.promotion_fill(
        dealer=shop["dealer"], code="P-COMBO-GIFT", lines=[("TEA-C-01", 1)]
    )
    assert added == {"TEA-A-01": 3, "TEA-C-01": 1}


def test_a_combo_over_categories_takes_the_cheapest_product_in_stock(shop):
    """Tea A holds Longjing (¥110 for gold) and Biluochun (¥90): Biluochun it is."""
    approve(
        definition(
            "P-CAT-COMBO",
            condition={
                "type": "combo",
                "components": [
                    {"items": {"categories": ["TEA-A"]}, "min": 5},
                    {"items": {"categories": ["TEA-C"]}, "min": 5},
                ],
            },
            reward={"type": "amount_off", "amount": "20.00"},
        )
    )
    added = selectors.promotion_fill(dealer=shop["dealer"], code="P-CAT-COMBO")
    assert added == {"TEA-A-02": 5, "TEA-C-01": 5}


@pytest.mark.parametrize(
    ("make", "code", "expected"),
    [
        (definition, "P-GIFT", {"TEA-A-02": 10}),  # Tea A's cheapest
        (addon_definition, "P-ADDON", {"TEA-A-01": 5, "TEA-A-02": 1}),
        (percent_definition, "P-PCT", {"TEA-C-01": 5}),
        (combo_discount_definition, "P-COMBO-OFF", {"TEA-A-02": 2, "TEA-C-01": 3}),
    ],
)
def test_every_kind_fills_exactly_its_threshold(shop, make, code, expected):
    approve(make())
    added = selectors.promotion_fill(dealer=shop["dealer"], code=code)
    assert added == expected
    assert times(shop["dealer"], list(added.items()), code) == 1


def test_a_whole_order_discount_fills_just_past_its_amount(shop):
    """3 % off orders from ¥500: the cheapest product, one unit short would not do."""
    approve(order_discount_definition())
    added = selectors.promotion_fill(dealer=shop["dealer"], code="P-ORDER")
    ((sku, quantity),) = added.items()
    assert times(shop["dealer"], [(sku, quantity)], "P-ORDER") == 1
    assert times(shop["dealer"], [(sku, quantity - 1)], "P-ORDER") == 0


def test_order_now_never_grows_on_reload_or_repeat(shop):
    """The cart's order-now (ensure) adds once; pressing or reloading again adds
    nothing, so the cart still earns the promotion exactly once."""
    approve(combo_gift_definition())
    buyer = shop["buyer"]
    first = order_services.cart_fill(
        dealer_user=buyer, promotion="P-COMBO-GIFT", ensure=True
    )
    again = order_services.cart_fill(
        dealer_user=buyer, promotion="P-COMBO-GIFT", ensure=True
    )
    assert first == {"TEA-A-01": 3, "TEA-C-01": 2}
    assert again == {}
    assert dict(order_selectors.cart_lines(dealer_user=buyer)) == first
