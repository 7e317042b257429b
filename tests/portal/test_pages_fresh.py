"""Fast pages are never stale: after every write that changes a price, a promotion,
stock or credit, the next page view shows the new figure, through every cache the
pages read (local memory, and Redis when TEST_REDIS_URL is set), on SQLite and on
PostgreSQL (run with DATABASE_URL). Each page is viewed first, so its caches are warm
when the write lands."""

import datetime
import re
import time
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

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


def test_a_promotion_starting_later_shows_the_moment_it_starts(
    world, buyer_client, page_cache
):
    """No write announces a start or an end: the cached pages key on which
    promotions apply now, which expires at the next start or end."""
    # Real time, not a travelled clock: Redis expires entries by its own clock.
    start = timezone.now() + datetime.timedelta(seconds=2)
    approve(definition(starts_at=start.isoformat()))
    assert "P-GIFT" not in _listed(buyer_client)
    assert buyer_client.get("/promotions/P-GIFT/").status_code == 404
    time.sleep(max(0.0, (start - timezone.now()).total_seconds()) + 0.1)
    assert "P-GIFT" in _listed(buyer_client)
    assert buyer_client.get("/promotions/P-GIFT/").status_code == 200


def test_what_the_bot_or_the_api_puts_in_the_cart_shows_on_the_cached_pages(
    world, buyer_client, page_cache
):
    """The promotion page says what the cart holds and the badge how many lines:
    a cart changed elsewhere (bot, API, another tab) shows on the next view."""
    approve(definition())
    page = html(buyer_client.get("/promotions/P-GIFT/"))
    assert "in your cart" not in page
    assert 'id="cart-badge" class="topbar__badge"' in page
    assert "hidden>0<" in page

    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=7)

    page = html(buyer_client.get("/promotions/P-GIFT/"))
    assert "7 in your cart" in page
    assert re.search(r'id="cart-badge"[^>]*>1<', page)
    hints = html(buyer_client.get("/promotions/", **hx("promo-hints")))
    assert "Add 3 more cases of Tea A" in hints


def test_an_order_placed_elsewhere_and_its_age_show_on_the_cached_lists(
    world, buyer_client, page_cache
):
    """The order list and home key on the dealer's data: an order placed through
    the API shows at once; "3 minutes ago" is worked out on every view, even from
    the cache."""
    placed_at = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(placed_at, tick=False):
        assert "No orders yet" in html(buyer_client.get("/orders/"))
        order = place(world["owner"], [("TEA-A-01", 3)])
    with time_machine.travel(placed_at + datetime.timedelta(minutes=3), tick=False):
        listed = html(buyer_client.get("/orders/"))
        assert order.number in listed
        assert "3\xa0minutes ago" in listed
        assert order.number in html(buyer_client.get("/"))
    with time_machine.travel(placed_at + datetime.timedelta(minutes=7), tick=False):
        assert "7\xa0minutes ago" in html(buyer_client.get("/orders/"))
        assert "7\xa0minutes ago" in html(buyer_client.get("/"))


def test_a_reps_answer_lights_both_badges_at_once(world, buyer_client, page_cache):
    """The bell and the chat icon are cached on the dealer's data too: a rep's
    answer (a message and a notification) lights both on the next view, and
    reading the thread clears the chat icon."""
    from conversations import selectors as chat_selectors
    from conversations import services as chat_services
    from tests.notifications.factories import rep_for

    def badge(name: str, page: str) -> str:
        return re.search(rf'id="{name}"[^>]*>(\d*)<', page)[1]

    page = html(buyer_client.get("/orders/"))
    assert badge("live-badge", page) == "0"
    assert badge("chat-badge", page) == "0"
    thread_id = chat_services.thread_start(
        participant=chat_selectors.dealer_side(world["buyer"]), text="TEA-A back?"
    ).thread_id
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])
    chat_services.message_post(
        participant=chat_selectors.participant_for(user=rep.user),
        thread_id=thread_id,
        text="Next week.",
    )

    page = html(buyer_client.get("/orders/"))
    assert badge("live-badge", page) == "1"
    assert badge("chat-badge", page) == "1"

    buyer_client.get(f"/conversations/{thread_id}/")
    assert badge("chat-badge", html(buyer_client.get("/orders/"))) == "0"
