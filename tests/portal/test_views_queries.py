"""Home, promotions, a cart update and the order list cost the same number of queries
whether the dealer has 1 order and 1 promotion or 100 of each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import hx

PAGES = {
    "home": ("get", "/", {}),
    "promotions": ("get", "/promotions/", {}),
    "promotion": ("get", "/promotions/P-000/", {}),
    "orders": ("get", "/orders/", {}),
    "cart": ("get", "/cart/", {}),
    "cart update": (
        "post",
        "/cart/set/",
        {"sku": "TEA-A-01", "quantity": "8", "delta": "1"},
    ),
}


def _grow(world, start: int, stop: int) -> None:
    """Gift promotions on Tea A (all apply to the cart) and orders of this dealer."""
    for n in range(start, stop):
        approve(definition(f"P-{n:03d}", limits={}))
        place(world["owner"], [("TEA-C-01", 1)])


def _count(client, method, url, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data, **hx("cart-body"))
        assert response.status_code == 200, response.content[:300]
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_orders_and_promotions(
    world, buyer_client, django_assert_num_queries, page
):
    method, url, data = PAGES[page]
    # given one order and one promotion, and a cart near the gift
    _grow(world, 0, 1)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    buyer_client.get("/")  # the session settles on the first visit
    if method == "post":  # the cart goes back to 8 after each step
        data = {**data, "delta": "0"}
    small = _count(buyer_client, method, url, data)

    # when orders and approved promotions grow a hundredfold
    _grow(world, 1, 100)

    # then the page costs exactly the same
    with django_assert_num_queries(small):
        response = getattr(buyer_client, method)(url, data, **hx("cart-body"))
        assert response.status_code == 200
    assert small <= 40, small
