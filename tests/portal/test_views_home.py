"""Home: greeting, credit, recommendations ranked by fit, hints, recent orders."""

import re
from datetime import date
from decimal import Decimal

from catalog.models import DealerPurchase
from orders import services
from tests.orders.factories import (
    approve,
    definition,
    percent_definition,
    place,
)
from tests.portal.conftest import html, hx


def _offers(client) -> str:
    """The recommendations and hints the home page loads after first paint."""
    return html(client.get("/home/offers/", **hx("home-offers")))


def _recommended(page: str) -> list[str]:
    section = re.search(r'id="recommended-title".*?</section>', page, re.S).group(0)
    return re.findall(r'<a class="offer" href="/promotions/([^/]+)/"', section)


def test_greeting_and_available_credit(world, buyer_client):
    place(world["buyer"], [("TEA-A-01", 10)])
    page = html(buyer_client.get("/"))
    assert "Hello, 上海茶行" in page
    assert "Available credit" in page
    assert "¥198,900.00" in page  # 200,000 − 1,100 not shipped yet
    assert "of ¥200,000.00" in page


def test_empty_home_offers_next_steps(world, buyer_client):
    page = html(buyer_client.get("/"))
    assert "No promotions for you right now" in _offers(buyer_client)
    assert "No orders yet" in page
    assert 'href="/promotions/"' in page


def test_recommendations_rank_the_cart_and_the_history_first(world, buyer_client):
    """A promotion the cart is close to comes first, then what the dealer buys most."""
    approve(definition())
    approve(percent_definition())
    DealerPurchase.objects.create(
        dealer=world["dealer"],
        key="category:TEA-C",
        month=date(2026, 10, 1),
        quantity=100,
        amount=Decimal("8000.00"),
    )
    assert _recommended(_offers(buyer_client))[0] == "P-PCT"
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    assert _recommended(_offers(buyer_client))[0] == "P-GIFT"


def test_almost_there_hints_have_a_one_tap_add(world, buyer_client):
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    page = _offers(buyer_client)
    almost = re.search(r'id="almost-title".*?</section>', page, re.S).group(0)
    assert "Add 2 more cases of Tea A to get Tea cup × 1" in almost
    assert '<input type="hidden" name="sku" value="TEA-A-01">' in almost
    assert '<input type="hidden" name="quantity" value="2">' in almost
    assert 'hx-target="#toast"' in almost


def test_recent_orders_are_cards(world, buyer_client):
    numbers = [place(world["buyer"], [("TEA-A-01", 1)]).number for _ in range(4)]
    page = html(buyer_client.get("/"))
    shown = re.findall(r'class="order-card" href="/orders/(SO-\d+)/"', page)
    assert shown == numbers[::-1][:3]
    assert re.search(r'<span class="muted">(now|[^<]* ago)</span>', page)  # relative
    assert 'href="/orders/"' in page


def test_home_in_chinese_by_default(world, client):
    client.force_login(world["buyer"].user)
    page = html(client.get("/"))
    assert '<html lang="zh-hans">' in page


def test_recommendations_load_after_first_paint(world, buyer_client):
    """The page is painted without quoting the cart: a skeleton links to the
    recommendations (htmx loads them; without JavaScript the link opens home with
    them in place)."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    page = html(buyer_client.get("/"))
    assert "Almost there" not in page
    assert re.search(
        r'<a class="skeleton card" href="/home/offers/" hx-get="/home/offers/" '
        r'hx-trigger="load"',
        page,
    )
    fragment = _offers(buyer_client)
    assert fragment.lstrip().startswith('<div id="home-offers">')
    assert "<html" not in fragment
    assert "Add 2 more cases of Tea A" in fragment
    whole = html(buyer_client.get("/home/offers/"))  # no JavaScript
    assert "Hello, 上海茶行" in whole
    assert "Add 2 more cases of Tea A" in whole
    assert "skeleton" not in whole
