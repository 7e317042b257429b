"""The cart page: a live quote swapped in place, steppers, gifts, hints, quick order."""

import re
from decimal import Decimal

import pytest

from orders import selectors, services
from orders.models import AccountMovement, CartItem
from tests.orders.factories import (
    addon_definition,
    approve,
    definition,
    percent_definition,
)
from tests.portal.conftest import html, hx


def _add(world, sku="TEA-A-01", quantity=8, who="buyer"):
    services.cart_add(dealer_user=world[who], sku=sku, quantity=quantity)


def _lines(world, who="buyer") -> dict[str, int]:
    return dict(selectors.cart_lines(dealer_user=world[who]))


def test_empty_cart_offers_the_next_steps(buyer_client):
    page = html(buyer_client.get("/cart/"))
    assert "Your cart is empty" in page
    for link in ('href="/promotions/"', 'href="/catalog/"', 'href="/cart/quick/"'):
        assert link in page
    assert 'id="cart-summary"' not in page


def test_cart_shows_prices_gift_hint_and_credit(world, buyer_client):
    """16 units: line at the gold price, the earned cup, a hint for the next one."""
    approve(definition())
    _add(world, quantity=16)
    page = html(buyer_client.get("/cart/"))
    assert "Longjing A" in page
    assert "¥110.00 / case" in page
    assert "¥1,760.00" in page
    assert 'data-testid="gift-now">Tea cup × 1' in page
    assert "Add 4 more cases of Tea A" in page
    assert 'name="quantity" value="4"' in page  # the one-tap "+4"
    assert "Available credit" in page
    assert "¥200,000.00" in page
    assert 'href="/checkout/"' in page
    assert "1 gift earned" in page


def test_gift_picker_offers_every_option_and_a_decline(world, buyer_client):
    approve(definition())
    _add(world, quantity=10)
    page = html(buyer_client.get("/cart/"))
    picker = re.search(r'<form class="gift__picker".*?</form>', page, re.S).group(0)
    assert 'value="0" aria-pressed="true"' in picker
    assert 'value="1" aria-pressed="false"' in picker
    assert 'value="decline"' in picker


def test_choosing_the_other_gift_requotes_in_place(world, buyer_client):
    approve(definition())
    _add(world, quantity=10)
    response = buyer_client.post(
        "/cart/gift/", {"promotion": "P-GIFT", "option": "1"}, **hx("cart-body")
    )
    part = html(response)
    assert "<html" not in part
    assert part.lstrip().startswith('<section id="cart-body"')
    assert 'data-testid="gift-now">Canvas bag × 2' in part
    assert response.headers["HX-Trigger"] == '{"cart-changed": {}}'


def test_declining_the_gift(world, buyer_client):
    approve(definition())
    _add(world, quantity=10)
    part = html(
        buyer_client.post(
            "/cart/gift/",
            {"promotion": "P-GIFT", "option": "decline"},
            **hx("cart-body"),
        )
    )
    assert "You declined this gift" in part
    assert "gift earned" not in part


def test_stepper_moves_and_types_the_quantity(world, buyer_client):
    """+ and − step by one, a typed value replaces, 0 removes the line."""
    _add(world, quantity=8)
    data = {"sku": "TEA-A-01", "quantity": "8"}
    part = html(
        buyer_client.post("/cart/set/", {**data, "delta": "1"}, **hx("cart-body"))
    )
    assert 'value="9"' in part
    assert _lines(world) == {"TEA-A-01": 9}
    buyer_client.post(
        "/cart/set/", {**data, "quantity": "9", "delta": "-1"}, **hx("cart-body")
    )
    assert _lines(world) == {"TEA-A-01": 8}
    buyer_client.post("/cart/set/", {**data, "quantity": "25"}, **hx("cart-body"))
    assert _lines(world) == {"TEA-A-01": 25}
    part = html(
        buyer_client.post("/cart/set/", {**data, "quantity": "0"}, **hx("cart-body"))
    )
    assert _lines(world) == {}
    assert "Your cart is empty" in part


def test_stepper_works_without_javascript(world, buyer_client):
    """A plain post redirects back to the cart, which shows the new quantity."""
    _add(world, quantity=8)
    response = buyer_client.post(
        "/cart/set/", {"sku": "TEA-A-01", "quantity": "8", "delta": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    assert 'value="9"' in html(buyer_client.get("/cart/"))


def test_a_bad_quantity_says_what_to_do_and_changes_nothing(world, buyer_client):
    _add(world, quantity=8)
    response = buyer_client.post(
        "/cart/set/", {"sku": "TEA-A-01", "quantity": "lots"}, **hx("cart-body")
    )
    part = html(response, 422)
    assert 'role="alert"' in part
    assert _lines(world) == {"TEA-A-01": 8}
    assert "HX-Trigger" not in response.headers


def test_add_from_another_page_answers_with_a_toast_and_an_event(world, buyer_client):
    """From a promotion or the catalog, htmx swaps #toast and announces cart-changed."""
    response = buyer_client.post(
        "/cart/add/", {"sku": "TEA-A-01", "quantity": "8"}, **hx("toast")
    )
    part = html(response)
    assert part.startswith('<div id="toast"')
    assert "Added 8 × Longjing A" in part
    assert response.headers["HX-Trigger"] == '{"cart-changed": {}}'
    assert _lines(world) == {"TEA-A-01": 8}


def test_add_without_javascript_goes_back_where_it_came_from(world, buyer_client):
    response = buyer_client.post(
        "/cart/add/",
        {"sku": "TEA-A-01", "quantity": "2", "next": "/promotions/P-GIFT/"},
    )
    assert response["Location"] == "/promotions/P-GIFT/"
    response = buyer_client.post(
        "/cart/add/",
        {"sku": "TEA-A-01", "quantity": "2", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/cart/"


def test_adding_a_gift_product_is_refused_with_a_message(world, buyer_client):
    response = buyer_client.post(
        "/cart/add/", {"sku": "GIFT-CUP", "quantity": "1"}, **hx("toast")
    )
    assert "is a gift and cannot be ordered" in html(response, 422)
    assert not CartItem.objects.exists()


def test_addon_offer_is_one_tap(world, buyer_client):
    """5 Longjing earn one Biluochun at ¥1.00: a "+1" adds it, priced as the add-on."""
    approve(addon_definition())
    _add(world, quantity=5)
    page = html(buyer_client.get("/cart/"))
    assert "Add-on deals you earned" in page
    assert "at ¥1.00 each" in page
    part = html(
        buyer_client.post(
            "/cart/add/", {"sku": "TEA-A-02", "quantity": "1"}, **hx("cart-body")
        )
    )
    assert "Add-on price" in part
    assert "−¥89.00" in part


def test_discounts_show_in_red_orange_with_a_minus(world, buyer_client):
    approve(percent_definition())
    _add(world, sku="TEA-C-01", quantity=5)
    page = html(buyer_client.get("/cart/"))
    assert '<span class="money money--discount">−¥20.00</span>' in page
    assert "¥380.00" in page


def test_promotions_not_applied_say_why(world, buyer_client):
    """A silver-only promotion tells this gold dealer which criterion failed."""
    approve(
        definition(
            "P-SILVER", audience={"sales_orgs": ["EAST-SH"], "tiers": ["silver"]}
        )
    )
    _add(world, quantity=10)
    page = html(buyer_client.get("/cart/"))
    assert "Promotions not applied" in page
    assert "Only for dealers of tier silver" in page


def test_expense_credit_can_be_used(world, buyer_client):
    AccountMovement.objects.create(
        dealer=world["dealer"],
        account=AccountMovement.Account.EXPENSE_CREDIT,
        kind=AccountMovement.Kind.EARNED,
        amount=Decimal("100.00"),
    )
    _add(world, quantity=1)
    assert "You have ¥100.00 to use" in html(buyer_client.get("/cart/"))
    part = html(buyer_client.post("/cart/credit/", {"amount": "30"}, **hx("cart-body")))
    assert "−¥30.00" in part
    assert "¥80.00" in part
    part = html(
        buyer_client.post("/cart/credit/", {"amount": "300"}, **hx("cart-body")), 422
    )
    assert "You have ¥100.00" in part or "100.00" in part


def test_over_credit_the_cart_warns_of_credit_hold(world, buyer_client):
    world["dealer"].credit_limit = Decimal("500.00")
    world["dealer"].save()
    _add(world, quantity=10)
    assert "it waits on credit hold" in html(buyer_client.get("/cart/"))


def test_remove_and_clear(world, buyer_client):
    _add(world, quantity=3)
    _add(world, sku="TEA-C-01", quantity=2)
    buyer_client.post("/cart/remove/", {"sku": "TEA-C-01"}, **hx("cart-body"))
    assert _lines(world) == {"TEA-A-01": 3}
    response = buyer_client.post("/cart/clear/")
    assert response["Location"] == "/cart/"
    assert _lines(world) == {}


def test_cart_partial_on_its_own(world, buyer_client):
    _add(world, quantity=3)
    part = html(buyer_client.get("/cart/", **hx("cart-body")))
    assert part.lstrip().startswith('<section id="cart-body"')
    assert "<nav" not in part


def test_summary_and_badge_partials(world, buyer_client):
    approve(definition())
    _add(world, quantity=10)
    summary = html(buyer_client.get("/cart/summary/", **hx()))
    assert 'id="cart-summary"' in summary
    assert 'hx-trigger="cart-changed from:body"' in summary
    assert "¥1,100.00" in summary
    assert "1 gift earned" in summary
    badge = html(buyer_client.get("/cart/badge/", **hx()))
    assert re.fullmatch(r'<span id="cart-badge"[^>]*>1</span>', badge.strip())


def test_each_users_cart_is_their_own(world, buyer_client, owner_client):
    _add(world, quantity=3, who="owner")
    assert "Your cart is empty" in html(buyer_client.get("/cart/"))
    assert "Longjing A" in html(owner_client.get("/cart/"))


def test_quick_order_page(buyer_client):
    page = html(buyer_client.get("/cart/quick/"))
    assert '<textarea name="text"' in page
    assert 'for="id_text"' in page


def test_quick_order_adds_pasted_lines(world, buyer_client):
    response = buyer_client.post(
        "/cart/quick/add/", {"text": "TEA-A-01 10\ntea-c-01\t4箱"}
    )
    assert response["Location"] == "/cart/"
    assert _lines(world) == {"TEA-A-01": 10, "TEA-C-01": 4}


def test_quick_order_with_htmx_redirects_the_client(world, buyer_client):
    response = buyer_client.post("/cart/quick/add/", {"text": "TEA-A-01 1"}, **hx())
    assert response.headers["HX-Redirect"] == "/cart/"


def test_quick_order_names_each_bad_line_and_adds_nothing(world, buyer_client):
    page = html(
        buyer_client.post(
            "/cart/quick/add/", {"text": "TEA-A-01 10\nNOPE 2\nTEA-C-01"}
        ),
        422,
    )
    assert "Nothing was added" in page
    assert "Line 2" in page
    assert "NOPE" in page
    assert "Line 3" in page
    assert "TEA-A-01 10\nNOPE 2\nTEA-C-01" in page  # kept for fixing
    assert _lines(world) == {}


@pytest.mark.parametrize("url", ["/cart/add/", "/cart/set/", "/cart/gift/"])
def test_cart_changes_are_post_only(buyer_client, url):
    assert buyer_client.get(url).status_code == 405


def test_an_addon_of_a_gift_only_product_is_taken_as_the_promotion_allows(
    world, buyer_client
):
    """ "Buy 5 Longjing, add 2 cups at ¥1.00": the cup is gift-only for ordinary
    ordering, but the add-on the promotion earns is one tap, priced at ¥1.00; a third
    cup, or cups without the 5 Longjing, are refused with the reason, and the cart
    says what to remove when the Longjing go."""
    approve(
        definition(
            "P-CUPS",
            name="买龙井加购茶杯",
            condition={"type": "quantity", "items": {"skus": ["TEA-A-01"]}, "min": 5},
            reward={"type": "addon", "sku": "GIFT-CUP", "price": "1.00", "quantity": 2},
            repeat=False,
        )
    )
    _add(world, quantity=5)
    part = html(
        buyer_client.post(
            "/cart/add/", {"sku": "GIFT-CUP", "quantity": "2"}, **hx("cart-body")
        )
    )
    in_cart = dict(
        CartItem.objects.filter(cart__user=world["buyer"].user).values_list(
            "product__sku", "quantity"
        )
    )
    assert in_cart == {"TEA-A-01": 5, "GIFT-CUP": 2}
    assert "Add-on price" in part
    assert "−¥38.00" in part  # 2 × (¥20.00 list − ¥1.00)
    quote = services.cart_quote(dealer_user=world["buyer"]).quote
    cup = next(line for line in quote.priced.lines if line.sku == "GIFT-CUP")
    assert cup.net_amount == Decimal("2.00")

    refused = buyer_client.post(
        "/cart/add/", {"sku": "GIFT-CUP", "quantity": "1"}, **hx("toast")
    )
    assert "Only 2 × GIFT-CUP can be added" in html(refused, 422)
    # from the cart itself the refusal also shows as a toast (out of band), since
    # the control may be scrolled far below the top of the cart
    below = html(
        buyer_client.post(
            "/cart/add/", {"sku": "GIFT-CUP", "quantity": "1"}, **hx("cart-body")
        ),
        422,
    )
    assert 'id="toast" class="toast toast--error"' in below
    assert 'hx-swap-oob="true">Only 2 × GIFT-CUP' in below
    assert CartItem.objects.get(product__sku="GIFT-CUP").quantity == 2

    services.cart_set_quantity(dealer_user=world["buyer"], sku="TEA-A-01", quantity=1)
    cart = services.cart_quote(dealer_user=world["buyer"])
    assert [item.product.sku for item in cart.unavailable] == ["GIFT-CUP"]
    assert [line.sku for line in cart.quote.priced.lines] == ["TEA-A-01"]


def test_a_gift_only_product_no_promotion_earns_stays_refused_everywhere(world, api):
    """Without an add-on earning it, a gift-only SKU is refused in the API's quote
    (and so in every channel that quotes through the one service)."""
    response = api.post(
        f"/api/v1/dealers/{world['dealer'].code}/quote",
        {
            "lines": [
                {"sku": "TEA-A-01", "quantity": 5},
                {"sku": "GIFT-CUP", "quantity": 1},
            ]
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "GIFT-CUP is a gift and cannot be ordered."
    )
