"""Role rules and scoping: a viewer browses, a buyer orders, an owner manages users;
nobody reaches another dealer's cart or order (404, so existence is not leaked)."""

import pytest

from orders import services
from orders.models import CartItem, Order
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import html

ORDERING = [
    ("get", "/cart/"),
    ("get", "/cart/quick/"),
    ("get", "/checkout/"),
    ("post", "/cart/add/"),
    ("post", "/cart/set/"),
    ("post", "/cart/remove/"),
    ("post", "/cart/gift/"),
    ("post", "/cart/credit/"),
    ("post", "/cart/clear/"),
    ("post", "/cart/quick/add/"),
    ("post", "/checkout/place/"),
]


@pytest.mark.parametrize(("method", "url"), ORDERING)
def test_a_viewer_cannot_order(world, viewer_client, method, url):
    response = getattr(viewer_client, method)(url, {"sku": "TEA-A-01", "quantity": "1"})
    assert response.status_code == 403
    assert "Your role can browse but not order." in response.content.decode()
    assert not CartItem.objects.exists()
    assert not Order.objects.exists()


def test_a_viewer_browses_without_order_buttons(world, viewer_client):
    approve(definition())
    order = place(world["owner"], [("TEA-A-01", 10)])
    for url in ("/", "/promotions/", "/promotions/P-GIFT/", "/catalog/", "/orders/"):
        page = html(viewer_client.get(url))
        assert 'action="/cart/add/"' not in page, url
        assert 'href="/cart/"' not in page, url
    page = html(viewer_client.get(f"/orders/{order.number}/"))
    assert "Order these again" not in page
    assert "Cancel unshipped items" not in page
    assert viewer_client.post(f"/orders/{order.number}/reorder/").status_code == 403
    assert viewer_client.get(f"/orders/{order.number}/cancel/").status_code == 403


def test_the_summary_bar_stays_away_for_a_viewer(world, viewer_client):
    assert viewer_client.get("/cart/summary/").status_code == 204


def test_a_buyer_orders(world, buyer_client):
    assert (
        buyer_client.post(
            "/cart/add/", {"sku": "TEA-A-01", "quantity": "1"}
        ).status_code
        == 302
    )
    assert 'href="/cart/"' in html(buyer_client.get("/"))


@pytest.fixture
def their_order(world):
    return place(world["other_user"], [("TEA-A-01", 3)])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/orders/{}/"),
        ("post", "/orders/{}/reorder/"),
        ("get", "/orders/{}/cancel/"),
        ("get", "/orders/{}/cancel/?all=1"),
        ("post", "/orders/{}/cancel/confirm/"),
    ],
)
def test_another_dealers_order_is_not_found(
    world, buyer_client, their_order, method, path
):
    response = getattr(buyer_client, method)(path.format(their_order.number))
    assert response.status_code == 404
    their_order.refresh_from_db()
    assert their_order.status == Order.Status.PLACED
    assert not CartItem.objects.filter(cart__user=world["buyer"].user).exists()


def test_another_dealers_order_is_not_listed(world, buyer_client, their_order):
    card = f'href="/orders/{their_order.number}/"'
    assert card not in html(buyer_client.get("/orders/"))
    assert card not in html(buyer_client.get("/orders/", {"q": their_order.number}))


def test_nobody_reaches_another_users_cart(world, buyer_client, other_client):
    """Carts have no URL of their own: each login only ever sees its own."""
    services.cart_add(dealer_user=world["other_user"], sku="TEA-C-01", quantity=7)
    assert "Pu&#x27;er C" not in html(buyer_client.get("/cart/"))
    assert "Pu&#x27;er C" in html(other_client.get("/cart/"))
    buyer_client.post("/cart/remove/", {"sku": "TEA-C-01"})
    buyer_client.post("/cart/clear/")
    assert CartItem.objects.filter(cart__user=world["other_user"].user).count() == 1


def test_pages_need_a_login(db, client):
    for url in ("/", "/promotions/", "/cart/", "/checkout/", "/orders/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
