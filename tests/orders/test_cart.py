"""The cart: quantities, gift choices, quick order, reorder, quote and checkout."""

from decimal import Decimal

import pytest

from common.errors import Forbidden, InvalidInput, NotFound
from orders import selectors, services
from orders.models import AccountMovement, Cart, CartItem, Order
from tests.orders.factories import approve, build_world, definition, place


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def buyer(world):
    return world["buyer"]


def _items(dealer_user) -> dict[str, int]:
    return dict(selectors.cart_lines(dealer_user=dealer_user))


def test_add_accumulates_and_set_replaces(buyer):
    """Adding twice adds up; setting a quantity replaces it; 0 removes the line."""
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=8)
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity="2")
    assert _items(buyer) == {"TEA-A-01": 10}
    services.cart_set_quantity(dealer_user=buyer, sku="TEA-A-01", quantity=3)
    assert _items(buyer) == {"TEA-A-01": 3}
    services.cart_set_quantity(dealer_user=buyer, sku="TEA-A-01", quantity=0)
    assert _items(buyer) == {}


@pytest.mark.parametrize(
    ("sku", "quantity", "code"),
    [
        ("NOPE", 1, "unknown_product"),
        ("GIFT-CUP", 1, "gift_only"),
        ("TEA-A-01", 0, "invalid_quantity"),
        ("TEA-A-01", "ten", "invalid_quantity"),
        ("TEA-A-01", 100_001, "invalid_quantity"),
    ],
)
def test_add_refuses_what_cannot_be_ordered(buyer, sku, quantity, code):
    """Unknown products, gifts and silly quantities are refused and change nothing."""
    with pytest.raises(InvalidInput) as error:
        services.cart_add(dealer_user=buyer, sku=sku, quantity=quantity)
    assert error.value.code == code
    assert not CartItem.objects.exists()


def test_viewer_cannot_change_a_cart(world):
    with pytest.raises(Forbidden):
        services.cart_add(dealer_user=world["viewer"], sku="TEA-A-01", quantity=1)


def test_each_dealer_user_has_their_own_cart(world):
    """The owner's and the buyer's carts are separate rows."""
    services.cart_add(dealer_user=world["owner"], sku="TEA-A-01", quantity=1)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-C-01", quantity=2)
    assert _items(world["owner"]) == {"TEA-A-01": 1}
    assert _items(world["buyer"]) == {"TEA-C-01": 2}


def test_a_login_moved_to_another_dealer_starts_with_an_empty_cart(world):
    buyer = world["buyer"]
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=4)
    buyer.dealer = world["other"]
    buyer.save()
    cart = services.cart_get_or_create(dealer_user=buyer)
    assert cart.dealer == world["other"]
    assert not cart.items.exists()


def test_gift_choice_is_validated_against_the_live_version(buyer):
    approve(definition())
    services.cart_set_gift_choice(dealer_user=buyer, promotion="P-GIFT", option=1)
    services.cart_set_gift_choice(dealer_user=buyer, promotion="P-GIFT", option=None)
    assert Cart.objects.get().gift_choices == {"P-GIFT": None}
    with pytest.raises(InvalidInput):
        services.cart_set_gift_choice(dealer_user=buyer, promotion="P-GIFT", option=2)
    with pytest.raises(NotFound):
        services.cart_set_gift_choice(dealer_user=buyer, promotion="P-NO", option=0)


def test_gift_choice_of_a_promotion_the_dealer_cannot_get_is_refused(buyer):
    """A gift promotion for another tier is refused (as the bot always did)."""
    approve(definition("P-SILVER", audience={"tiers": ["silver"]}))
    with pytest.raises(InvalidInput) as error:
        services.cart_set_gift_choice(dealer_user=buyer, promotion="P-SILVER", option=0)
    assert error.value.code == "promotion_not_live"


def test_adjust_steps_a_line_and_removes_it_at_zero(buyer):
    services.cart_adjust(dealer_user=buyer, sku="TEA-A-01", delta=10)
    services.cart_adjust(dealer_user=buyer, sku="TEA-A-01", delta=-1)
    assert _items(buyer) == {"TEA-A-01": 9}
    services.cart_adjust(dealer_user=buyer, sku="TEA-A-01", delta=-10)
    assert _items(buyer) == {}


def test_quote_prices_the_cart_with_gifts_and_hints(buyer):
    """8 units hint at the cup; 10 earn it; the chosen option is what the quote gives."""
    approve(definition())
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=8)
    state = services.cart_quote(dealer_user=buyer)
    hint = state.quote.priced.hints[0]
    assert (hint.missing_quantity, hint.sku_suggestion) == (2, "TEA-A-01")
    assert state.gift_count == 0
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=2)
    services.cart_set_gift_choice(dealer_user=buyer, promotion="P-GIFT", option=1)
    state = services.cart_quote(dealer_user=buyer)
    gift = state.quote.priced.gifts[0]
    assert (gift.sku, gift.quantity) == ("GIFT-BAG", 2)
    assert state.total == Decimal("1100.00")
    assert (state.count, state.gift_count) == (1, 2)


def test_quote_of_an_empty_cart_is_none(buyer):
    state = services.cart_quote(dealer_user=buyer)
    assert state.quote is None
    assert state.total == Decimal("0.00")


def test_retired_products_are_shown_but_not_priced(world, buyer):
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=1)
    services.cart_add(dealer_user=buyer, sku="TEA-C-01", quantity=1)
    world["products"]["TEA-C-01"].active = False
    world["products"]["TEA-C-01"].save()
    state = services.cart_quote(dealer_user=buyer)
    assert [item.product.sku for item in state.unavailable] == ["TEA-C-01"]
    assert [line.sku for line in state.quote.priced.lines] == ["TEA-A-01"]


def test_expense_credit_is_capped_by_the_balance(world, buyer):
    AccountMovement.objects.create(
        dealer=world["dealer"],
        account=AccountMovement.Account.EXPENSE_CREDIT,
        kind=AccountMovement.Kind.EARNED,
        amount=Decimal("50.00"),
    )
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=1)
    with pytest.raises(InvalidInput):
        services.cart_set_expense_credit(dealer_user=buyer, amount="60")
    services.cart_set_expense_credit(dealer_user=buyer, amount="30")
    assert services.cart_quote(dealer_user=buyer).total == Decimal("80.00")


def test_expense_credit_rounds_half_up_like_all_money(world, buyer):
    """A typed 0.125 is ¥0.13 (half up), as the quote and every page would round it."""
    AccountMovement.objects.create(
        dealer=world["dealer"],
        account=AccountMovement.Account.EXPENSE_CREDIT,
        kind=AccountMovement.Kind.EARNED,
        amount=Decimal("50.00"),
    )
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=1)
    cart = services.cart_set_expense_credit(dealer_user=buyer, amount="0.125")
    assert cart.use_expense_credit == Decimal("0.13")


def test_paste_adds_every_line_in_many_formats(buyer):
    """Tabs, commas, ×, full-width digits, units and lower case all read."""
    text = "TEA-A-01 10\ntea-c-01\t５箱\n\n# a comment\nTEA-A-02×3\nTEA-A-01, 2"
    result = services.cart_paste(dealer_user=buyer, text=text)
    assert result.ok
    assert _items(buyer) == {"TEA-A-01": 12, "TEA-C-01": 5, "TEA-A-02": 3}


def test_paste_with_a_bad_line_adds_nothing_and_names_each_bad_line(buyer):
    text = "TEA-A-01 10\nNOPE 3\nGIFT-CUP 1\nTEA-C-01\nTEA-C-01 0"
    result = services.cart_paste(dealer_user=buyer, text=text)
    assert [error.line for error in result.errors] == [2, 3, 4, 5]
    assert "NOPE" in result.errors[0].message
    assert _items(buyer) == {}


def test_paste_of_nothing_is_an_error(buyer):
    assert not services.cart_paste(dealer_user=buyer, text="  \n").ok


def test_reorder_copies_goods_not_gifts_and_flags_what_is_gone(world, buyer):
    approve(definition())
    order = place(buyer, [("TEA-A-01", 10), ("TEA-C-01", 2)])
    assert order.lines.filter(is_gift=True).exists()
    world["products"]["TEA-C-01"].active = False
    world["products"]["TEA-C-01"].save()
    result = services.cart_reorder(dealer_user=buyer, number=order.number)
    assert result.added == [("TEA-A-01", 10)]
    assert result.unavailable == [("TEA-C-01", 2)]
    assert _items(buyer) == {"TEA-A-01": 10}


def test_reorder_of_another_dealers_order_is_not_found(world, buyer):
    order = place(world["other_user"], [("TEA-A-01", 1)])
    with pytest.raises(NotFound):
        services.cart_reorder(dealer_user=buyer, number=order.number)


def test_checkout_places_once_and_empties_the_cart(buyer):
    """The same key twice (a double tap) makes one order; the cart is emptied."""
    approve(definition())
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=10)
    services.cart_set_gift_choice(dealer_user=buyer, promotion="P-GIFT", option=1)
    first = services.cart_checkout(
        dealer_user=buyer,
        idempotency_key="k-1",
        expected_total="1100.00",
        expected_lines={"TEA-A-01": 10},
        note="后门卸货",
    )
    again = services.cart_checkout(
        dealer_user=buyer, idempotency_key="k-1", expected_total="1100.00"
    )
    assert first.created
    assert not again.created
    assert again.order == first.order
    assert Order.objects.count() == 1
    gift = first.order.lines.get(is_gift=True)
    assert (gift.sku, gift.quantity, first.order.note) == ("GIFT-BAG", 2, "后门卸货")
    assert _items(buyer) == {}
    assert Cart.objects.get().gift_choices == {}


def test_checkout_with_another_total_places_nothing(buyer):
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=10)
    with pytest.raises(services.QuoteChanged) as error:
        services.cart_checkout(
            dealer_user=buyer, idempotency_key="k-2", expected_total="999.00"
        )
    assert error.value.payload["quote"]["total"] == "1100.00"
    assert not Order.objects.exists()
    assert _items(buyer) == {"TEA-A-01": 10}


def test_checkout_of_a_cart_changed_since_review_places_nothing(buyer):
    services.cart_add(dealer_user=buyer, sku="TEA-A-01", quantity=10)
    with pytest.raises(services.QuoteChanged):
        services.cart_checkout(
            dealer_user=buyer,
            idempotency_key="k-3",
            expected_total="1100.00",
            expected_lines={"TEA-A-01": 9},
        )
    assert not Order.objects.exists()


def test_checkout_of_an_empty_cart_is_refused(buyer):
    with pytest.raises(InvalidInput) as error:
        services.cart_checkout(dealer_user=buyer, idempotency_key="k-4")
    assert error.value.code == "cart_empty"


def test_viewer_cannot_check_out(world):
    with pytest.raises(Forbidden):
        services.cart_checkout(dealer_user=world["viewer"], idempotency_key="k-5")


def test_order_card_list_sums_goods_and_gifts(buyer):
    approve(definition())
    place(buyer, [("TEA-A-01", 20), ("TEA-C-01", 3)])
    card = selectors.order_card_list(dealer=buyer.dealer).get()
    assert (card.goods_quantity, card.shipped_quantity, card.gift_quantity) == (
        23,
        0,
        2,
    )
    assert selectors.order_status_counts(dealer=buyer.dealer) == {"placed": 1}
