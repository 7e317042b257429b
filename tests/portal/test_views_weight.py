"""No page over 150 KB of HTML + CSS + JS (images aside), no third-party assets."""

import re

import pytest
from django.contrib.staticfiles import finders

from orders import services
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import html

LIMIT = 150 * 1024


def _weight(page: str) -> int:
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(
        r'<script[^>]*src="([^"]+)"', page
    )
    total = len(page.encode())
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by us"
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as asset:
            total += len(asset.read())
    return total


@pytest.fixture
def busy(world):
    approve(definition())
    order = place(world["buyer"], [("TEA-A-01", 20), ("TEA-C-01", 4)])
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=18)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-C-01", quantity=3)
    return order


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/promotions/",
        "/promotions/P-GIFT/",
        "/cart/",
        "/checkout/",
        "/orders/",
        "/orders/{number}/",
        "/orders/{number}/cancel/?all=1",
        "/cart/quick/",
        "/account/",
        "/catalog/",
    ],
)
def test_every_page_is_light(busy, buyer_client, url):
    page = html(buyer_client.get(url.format(number=busy.number)))
    assert _weight(page) < LIMIT
