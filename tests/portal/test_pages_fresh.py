"""Fast pages are never stale: after every write that changes a price, a promotion,
stock or credit, the next page view shows the new figure, through every cache the
pages read (local memory, and Redis when TEST_REDIS_URL is set), on SQLite and on
PostgreSQL (run with DATABASE_URL). Each page is viewed first, so its caches are warm
when the write lands."""

import datetime
import re
from decimal import Decimal

import pytest

from catalog import services as catalog_services
from catalog.models import Warehouse
from orders import selectors as order_selectors
from orders import services
from portal.templatetags.portal import money
from promos import services as promo_services
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import html, hx


@pytest.fixture(params=["local memory", "redis"])
def page_cache(request, settings):
    """The cache the pages read: the embedded default's, or a shared Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "test-fresh",
            }
        }
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()


def _listed(client) -> list[str]:
    return re.findall(
        r'href="/promotions/([^/"?]+)/"', html(client.get("/promotions/"))
    )


def _offers(client) -> str:
    return html(client.get("/home/offers/", **hx("home-offers")))


def _available_credit(dealer) -> str:
    """What the API and the bot say (the same selector), as the pages print it."""
    dealer.refresh_from_db()
    return money(order_selectors.credit_get(dealer=dealer).available)


def test_a_new_price_shows_on_the_next_view(world, buyer_client, page_cache):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=2)
    for url in ("/catalog/", "/catalog/p/TEA-A-01/", "/cart/"):
        assert "¥110.00" in html(buyer_client.get(url)), url

    catalog_services.tier_price_set(tier="gold", sku="TEA-A-01", price=Decimal("99"))

    for url in ("/catalog/", "/catalog/p/TEA-A-01/", "/cart/"):
        page = html(buyer_client.get(url))
        assert "¥99.00" in page, url
        assert "¥110.00" not in page, url


def test_approving_then_pausing_a_promotion_shows_at_once(
    world, buyer_client, page_cache
):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    # given every page viewed (and cached) without the promotion
    assert "P-GIFT" not in _listed(buyer_client)
    assert "/promotions/P-GIFT/" not in _offers(buyer_client)
    assert buyer_client.get("/promotions/P-GIFT/").status_code == 404

    approve(definition())

    assert "P-GIFT" in _listed(buyer_client)
    assert "/promotions/P-GIFT/" in _offers(buyer_client)
    assert "Add 2 more cases of Tea A" in _offers(buyer_client)
    assert buyer_client.get("/promotions/P-GIFT/").status_code == 200

    promo_services.promotion_pause(code="P-GIFT", by=None)

    assert "P-GIFT" not in _listed(buyer_client)
    assert "/promotions/P-GIFT/" not in _offers(buyer_client)
    assert buyer_client.get("/promotions/P-GIFT/").status_code == 404


def test_shipping_stock_and_recording_a_receipt_show_at_once(
    world, buyer_client, page_cache
):
    dealer = world["dealer"]
    Warehouse.objects.create(code="SH", name="上海仓")
    catalog_services.stock_set(warehouse="WH-SH", sku="TEA-A-01", quantity=0)
    catalog_services.stock_set(warehouse="SH", sku="TEA-A-01", quantity=40)
    order = place(world["buyer"], [("TEA-A-01", 30)])
    # given the pages viewed (and cached) before the shipment
    assert re.search(
        r"上海仓.*?40", html(buyer_client.get("/catalog/p/TEA-A-01/")), re.S
    )
    home = html(buyer_client.get("/"))
    before = _available_credit(dealer)
    assert before in home
    html(buyer_client.get("/orders/"))

    catalog = html(buyer_client.get("/catalog/"))
    assert "badge--low" not in catalog

    # when the ERP ships it from that warehouse and reports what is left there
    services.shipment_post(
        external_id="E1",
        order_number=order.number,
        warehouse="SH",
        lines=[("TEA-A-01", 30, False)],
    )
    catalog_services.stock_set(warehouse="SH", sku="TEA-A-01", quantity=10)

    # then the stock, the order and the credit are the new ones on the next view
    product = html(buyer_client.get("/catalog/p/TEA-A-01/"))
    assert re.search(r"上海仓.*?10\b", product, re.S)
    assert not re.search(r"上海仓[^<]*</[^>]+>\s*<[^>]+>\s*40\b", product)
    assert "badge--low" in html(buyer_client.get("/catalog/"))  # 10 < 20: low
    orders = html(buyer_client.get("/orders/"))
    assert "Shipped" in orders or "shipped" in orders
    after_shipment = _available_credit(dealer)
    assert after_shipment in html(buyer_client.get("/"))

    # when a receipt is recorded
    services.receipt_post(
        external_id="R1",
        dealer=dealer,
        amount=Decimal("1000.00"),
        date=datetime.date.today(),
    )

    # then home shows the credit it frees at once
    after_receipt = _available_credit(dealer)
    assert after_receipt != after_shipment
    page = html(buyer_client.get("/"))
    assert after_receipt in page
    assert after_shipment not in page
