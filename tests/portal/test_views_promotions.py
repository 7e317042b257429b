"""Promotions: what this dealer can get, filtered; one promotion in plain words."""

import re

import pytest

from orders import services
from tests.orders.factories import (
    addon_definition,
    approve,
    credit_definition,
    definition,
    percent_definition,
)
from tests.portal.conftest import html, hx


def _codes(page: str) -> list[str]:
    return re.findall(r'<a class="offer" href="/promotions/([^/]+)/"', page)


@pytest.fixture
def four_kinds(world):
    for data in (
        definition(),
        percent_definition(),
        addon_definition(),
        credit_definition(),
    ):
        approve(data)


def test_list_shows_what_the_dealer_can_get(four_kinds, buyer_client):
    page = html(buyer_client.get("/promotions/"))
    assert sorted(_codes(page)) == ["P-ADDON", "P-CREDIT", "P-GIFT", "P-PCT"]
    assert "Buy 10 units of Tea A, get Tea cup × 1 (or Canvas bag × 2)" in page
    assert "until 31 Dec 2029" in page
    assert re.search(r'aria-current="true">All <span class="chip__n">4', page)


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("gift", ["P-GIFT"]),
        ("discount", ["P-PCT"]),
        ("addon", ["P-ADDON"]),
        ("expense_credit", ["P-CREDIT"]),
    ],
)
def test_filter_by_reward_type(four_kinds, buyer_client, kind, codes):
    page = html(buyer_client.get("/promotions/", {"kind": kind}))
    assert _codes(page) == codes
    assert f'href="?kind={kind}" aria-current="true"' in page


def test_an_unknown_filter_shows_everything(four_kinds, buyer_client):
    assert len(_codes(html(buyer_client.get("/promotions/", {"kind": "x"})))) == 4


def test_no_promotions_offers_the_catalog(world, buyer_client):
    page = html(buyer_client.get("/promotions/"))
    assert "No promotions for you right now" in page
    assert 'href="/catalog/"' in page


def test_promotions_not_for_this_dealer_yet_are_listed_apart_with_why(
    world, buyer_client
):
    """A silver-only promotion is not among the gold dealer's offers: it is in a
    separate "not for you yet" section, with the engine's reason naming the tier as
    people call it; one made for named dealers stays invisible."""
    from dealers.models import Tier

    Tier.objects.create(code="silver", name="银牌", name_en="Silver")
    approve(
        definition(
            "P-SILVER", audience={"sales_orgs": ["EAST-SH"], "tiers": ["silver"]}
        )
    )
    approve(definition("P-VIP", audience={"dealers": ["D777"]}))
    page = html(buyer_client.get("/promotions/"))
    assert _codes(page) == []
    assert "No promotions for you right now" in page
    not_yet = re.search(r'data-testid="not-yet">.*?</section>', page, re.S).group(0)
    assert 'href="/promotions/P-SILVER/"' in not_yet
    assert "Only for dealers of tier Silver" in not_yet
    assert "P-VIP" not in page
    buyer_client.cookies["django_language"] = "zh-hans"
    page = html(buyer_client.get("/promotions/"))
    assert "仅限 银牌 等级的经销商" in page


def test_cart_hints_show_on_the_list(world, buyer_client):
    """The list comes first (cached); each card's hint is quoted right after, and
    again when the cart changes, and swapped into its card."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    page = html(buyer_client.get("/promotions/"))
    assert '<span class="offer__hints" id="hints-P-GIFT"></span>' in page
    assert 'id="promo-hints"' in page
    assert 'hx-trigger="load, cart-changed' in page

    hints = html(buyer_client.get("/promotions/", **hx("promo-hints")))
    assert 'id="hints-P-GIFT" hx-swap-oob="true"' in hints
    assert 'class="offer__hint">Add 2 more cases of Tea A to get Tea cup × 1' in hints

    services.cart_set_quantity(dealer_user=world["buyer"], sku="TEA-A-01", quantity=10)
    hints = html(buyer_client.get("/promotions/", **hx("promo-hints")))
    assert (
        '<span class="offer__hints" id="hints-P-GIFT" hx-swap-oob="true"></span>'
        in (hints)
    )


def test_detail_reads_in_plain_words(world, buyer_client):
    approve(definition())
    page = html(buyer_client.get("/promotions/P-GIFT/"))
    rules = re.search(r'<ul class="rules">.*?</ul>', page, re.S).group(0)
    assert "Buy 10 units of Tea A, get Tea cup × 1 (or Canvas bag × 2)" in rules
    assert "Up to 5 times per order" in rules
    assert "tier Gold" in rules
    assert "Valid from 1 Jan 2026 to 31 Dec 2029" in page
    assert "P-GIFT · v1" in page


def test_detail_lists_gift_options_and_items_to_add(world, buyer_client):
    approve(definition())
    page = html(buyer_client.get("/promotions/P-GIFT/"))
    options = re.search(r'<ul class="gift-grid">.*?</ul>', page, re.S).group(0)
    assert "Tea cup × 1" in options
    assert "Canvas bag × 2" in options
    items = re.search(r'id="items-title".*?</section>', page, re.S).group(0)
    assert "Longjing A" in items
    assert "Biluochun A" in items
    assert "Pu&#x27;er C" not in items
    assert 'action="/cart/add/"' in items
    assert 'name="next" value="/promotions/P-GIFT/"' in items
    assert 'id="cart-summary"' in page


def test_detail_shows_the_carts_progress_and_refreshes_it(world, buyer_client):
    """The page comes first with what the cart holds of each item; its progress
    card and summary bar fetch the cart's quote right after, and again on every
    cart change."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    page = html(buyer_client.get("/promotions/P-GIFT/"))
    loading = re.search(r'<section id="promo-progress".*?</section>', page, re.S).group(
        0
    )
    assert 'hx-trigger="load, cart-changed from:body"' in loading
    assert 'hx-get="/promotions/P-GIFT/"' in loading
    assert "8 in your cart" in page
    summary = re.search(r'<div id="cart-summary"[^>]*>', page).group(0)
    assert 'hx-get="/cart/summary/"' in summary
    assert 'hx-trigger="load, cart-changed from:body"' in summary
    progress = html(buyer_client.get("/promotions/P-GIFT/", **hx("promo-progress")))
    assert progress.lstrip().startswith('<section id="promo-progress"')
    assert 'hx-trigger="cart-changed from:body"' in progress
    assert "Add 2 more cases" in progress
    assert ">+2</button>" in progress

    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=2)
    part = html(buyer_client.get("/promotions/P-GIFT/", **hx("promo-progress")))
    assert part.lstrip().startswith('<section id="promo-progress"')
    assert 'data-testid="gift-now"' in part
    assert "Tea cup × 1" in part
    assert "Choose your gift" in part


def test_why_not_for_me(world, buyer_client):
    """A promotion visible to the dealer's org but not for this dealer explains why."""
    approve(
        definition(
            "P-SILVER", audience={"sales_orgs": ["EAST-SH"], "tiers": ["silver"]}
        )
    )
    page = html(buyer_client.get("/promotions/P-SILVER/"))
    assert "Why this is not for you" in page
    assert 'data-testid="why-not">Only for dealers of tier silver' in page
    assert 'id="promo-progress"' not in page
    assert 'action="/cart/add/"' not in page


def test_promotions_made_for_other_dealers_are_not_found(world, buyer_client):
    approve(definition("P-VIP", audience={"dealers": ["D777"]}))
    assert buyer_client.get("/promotions/P-VIP/").status_code == 404
    assert buyer_client.get("/promotions/NOPE/").status_code == 404


def test_marketing_content_slot_is_marked(world, buyer_client):
    """The Wagtail issue fills the slot; until then the template says where it goes."""
    from django.template.loader import get_template

    source = get_template("portal/promotion.html").template.source
    assert "Marketing content slot" in source
    approve(definition())
    assert 'id="promo-content"' not in html(buyer_client.get("/promotions/P-GIFT/"))


def test_order_now_of_a_push_adds_what_earns_the_promotion(world, buyer_client):
    """The push's "order now" opens the promotion with ?add=1: it says what one tap
    puts in the cart; the tap adds it to what the cart holds and shows the cart."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=4)

    page = html(buyer_client.get("/promotions/P-GIFT/?add=1"))
    assert 'data-testid="order-now"' in page
    assert "× 6" in page  # 4 in the cart + 6 = the 10 that earn the cup

    response = buyer_client.post("/cart/fill/", {"promotion": "P-GIFT"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    cart = services.cart_get_or_create(dealer_user=world["buyer"])
    assert {i.product.sku: i.quantity for i in cart.items.all()} == {"TEA-A-01": 10}
    page = html(buyer_client.get("/cart/"))
    assert "Tea cup" in page


def test_opened_from_a_push_the_page_fills_the_cart_once(world, buyer_client):
    """With JavaScript the page posts "order now" as it loads (htmx, ``ensure``): the
    cart gets what earns the gift, and opening the page again adds nothing more."""
    approve(definition())
    page = html(buyer_client.get("/promotions/P-GIFT/?add=1"))
    assert 'hx-trigger="load"' in page
    assert 'name="ensure" value="1"' in page

    fill = {"promotion": "P-GIFT", "ensure": "1"}
    response = buyer_client.post("/cart/fill/", fill, **hx("order-now"))
    done = html(response)
    assert 'data-testid="order-now-added"' in done
    assert "Biluochun A × 10" in done  # Tea A's cheapest product in stock
    assert "cart-changed" in response["HX-Trigger"]

    again = html(buyer_client.post("/cart/fill/", fill, **hx("order-now")))
    assert 'data-testid="order-now-added"' not in again
    assert "already earns" in again
    cart = services.cart_get_or_create(dealer_user=world["buyer"])
    assert {i.product.sku: i.quantity for i in cart.items.all()} == {"TEA-A-02": 10}
    # and the page opened again from the push says so instead of offering more
    page = html(buyer_client.get("/promotions/P-GIFT/?add=1"))
    assert 'hx-trigger="load"' not in page
    assert "already earns" in page


def test_order_now_says_what_it_added_and_can_be_undone(world, buyer_client):
    """The card lists what order-now put in the cart, with an undo that takes
    exactly that back out (what the dealer had before stays)."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-C-01", quantity=2)
    done = html(
        buyer_client.post(
            "/cart/fill/", {"promotion": "P-GIFT", "ensure": "1"}, **hx("order-now")
        )
    )
    assert 'data-testid="order-now-undo"' in done
    lines = re.search(r'name="lines" value="([^"]+)"', done).group(1)
    response = buyer_client.post("/cart/fill/undo/", {"lines": lines}, **hx("toast"))
    assert "Taken back out of your cart." in html(response)
    assert "cart-changed" in response["HX-Trigger"]
    cart = services.cart_get_or_create(dealer_user=world["buyer"])
    assert {i.product.sku: i.quantity for i in cart.items.all()} == {"TEA-C-01": 2}


def test_order_now_is_not_offered_without_add_or_to_viewers(
    world, buyer_client, viewer_client
):
    approve(definition())
    assert 'data-testid="order-now"' not in html(
        buyer_client.get("/promotions/P-GIFT/")
    )
    assert 'data-testid="order-now"' not in html(
        viewer_client.get("/promotions/P-GIFT/?add=1")
    )
    assert viewer_client.post("/cart/fill/", {"promotion": "P-GIFT"}).status_code == 403


def test_order_now_for_a_promotion_not_for_this_dealer_changes_nothing(
    world, buyer_client
):
    approve(definition("P-SILVER", audience={"tiers": ["silver"]}))
    response = buyer_client.post("/cart/fill/", {"promotion": "P-SILVER"}, follow=True)
    assert "not available to you" in html(response)
    cart = services.cart_get_or_create(dealer_user=world["buyer"])
    assert not cart.items.exists()
