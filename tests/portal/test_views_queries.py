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

# page: (method, url, data, the most queries it may ever take with a cold cache)
PAGES = {
    "home": ("get", "/", {}, 22),
    "catalog": ("get", "/catalog/", {}, 8),
    "promotions": ("get", "/promotions/", {}, 24),
    "promotion": ("get", "/promotions/P-000/", {}, 34),
    "orders": ("get", "/orders/", {}, 8),
    "cart": ("get", "/cart/", {}, 24),
    "cart update": (
        "post",
        "/cart/set/",
        {"sku": "TEA-A-01", "quantity": "8", "delta": "0"},
        12,
    ),
}


def _grow(world, start: int, stop: int) -> None:
    """Gift promotions on Tea A (all apply to the cart), orders of this dealer, and
    other dealers in the same org."""
    for n in range(start, stop):
        approve(definition(f"P-{n:03d}", limits={}))
        place(world["owner"], [("TEA-C-01", 1)])
    DealerFactory.create_batch((stop - start) * 5, sales_org=world["dealer"].sales_org)


def _count(client, method, url, data, *, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data, **hx("cart-body"))
        assert response.status_code == 200, response.content[:300]
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_dealers_orders_and_promotions(
    world, buyer_client, django_assert_max_num_queries, page
):
    method, url, data, bound = PAGES[page]
    # given one order and one promotion, and a cart near the gift
    _grow(world, 0, 1)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    buyer_client.get("/")  # the session settles on the first visit
    cold = _count(buyer_client, method, url, data, cold=True)
    warm = _count(buyer_client, method, url, data, cold=False)

    # when dealers, orders and approved promotions grow a hundredfold
    _grow(world, 1, 100)

    # then the page costs no more, cold or warm, and stays under its bound
    assert warm <= cold <= bound, (warm, cold, bound)
    cache.clear()
    with django_assert_max_num_queries(cold):
        response = getattr(buyer_client, method)(url, data, **hx("cart-body"))
        assert response.status_code == 200
    with django_assert_max_num_queries(warm):
        response = getattr(buyer_client, method)(url, data, **hx("cart-body"))
        assert response.status_code == 200
