"""The dealer's busiest pages cost the same number of queries whether the world holds
one order, one promotion and a few dealers or a hundred times that, with the cache
cold (the worst case) and warm, and never more than a fixed bound: a regression
fails here, not at month end."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services
from tests.dealers.factories import DealerFactory
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import hx

# page: (method, url, data, most queries with a cold cache, most with a warm one);
# cold counts include reading the session from the database. Pages that quote the
# cart also read the agreement (contract check) and the available-to-promise inputs
# (stock, planned receipts, lead times, holidays, open orders): a fixed number each.
# Every whole page counts the threads with an unread answer (the chat icon): one.
# The promotion page leaves the cart's quote to its progress card, fetched after.
PAGES = {
    "home": ("get", "/", {}, 17, 11),
    "home offers": ("get", "/home/offers/", {}, 21, 15),
    "catalog": ("get", "/catalog/", {}, 9, 6),
    "promotions": ("get", "/promotions/", {}, 23, 17),
    "promotion": ("get", "/promotions/P-000/", {}, 22, 16),
    "orders": ("get", "/orders/", {}, 8, 7),
    "cart": ("get", "/cart/", {}, 22, 21),
    "cart update": (
        "post",
        "/cart/set/",
        {"sku": "TEA-A-01", "quantity": "8", "delta": "0"},
        11,
        10,
    ),
}


def _grow(world, start: int, stop: int) -> None:
    """Gift promotions on Tea A (all apply to the cart), orders of this dealer, and
    other dealers in the same org."""
    for n in range(start, stop):
        approve(definition(f"P-{n:03d}", limits={}))
        place(world["owner"], [("TEA-C-01", 1)])
    DealerFactory.create_batch((stop - start) * 5, sales_org=world["dealer"].sales_org)


def _request(client, method, url, data):
    # The cart page swaps its body; a change from any other page answers a toast.
    target = "cart-body" if url == "/cart/" else None
    return getattr(client, method)(url, data, **hx(target))


def _count(client, method, url, data, *, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _request(client, method, url, data)
        assert response.status_code == 200, response.content[:300]
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_dealers_orders_and_promotions(
    world, buyer_client, django_assert_max_num_queries, page
):
    method, url, data, cold_bound, warm_bound = PAGES[page]
    # given one order and one promotion, and a cart near the gift
    _grow(world, 0, 1)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    buyer_client.get("/")  # the session settles on the first visit
    cold = _count(buyer_client, method, url, data, cold=True)
    warm = _count(buyer_client, method, url, data, cold=False)

    # when dealers, orders and approved promotions grow thirtyfold
    _grow(world, 1, 30)

    # then the page costs no more, cold or warm, and stays under its bound
    assert cold <= cold_bound, cold
    assert warm <= min(cold, warm_bound), warm
    cache.clear()
    with django_assert_max_num_queries(cold):
        response = _request(buyer_client, method, url, data)
        assert response.status_code == 200
    with django_assert_max_num_queries(warm):
        response = _request(buyer_client, method, url, data)
        assert response.status_code == 200
