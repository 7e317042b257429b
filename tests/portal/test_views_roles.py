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


@pytest.fixture
def their_thread(world):
    """A conversation of the other dealer, with a photo."""
    from conversations import selectors as conversation_selectors
    from conversations import services as conversation_services
    from tests.conversations.conftest import jpeg

    participant = conversation_selectors.dealer_side(world["other_user"])
    return conversation_services.thread_start(
        participant=participant, text="Their question", photos=[jpeg(64, 48)]
    ).thread


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/conversations/{thread}/"),
        ("get", "/conversations/{thread}/messages/"),
        ("post", "/conversations/{thread}/messages/"),
        ("get", "/conversations/photos/{photo}/"),
        ("get", "/conversations/new/?about=order:{order}"),
        ("post", "/office/conversations/{thread}/feedback/"),
    ],
)
def test_another_dealers_conversation_is_not_found(
    world, buyer_client, their_thread, their_order, method, path
):
    """Every conversation URL answers 404 (or sends a dealer to its own pages)
    for a thread, photo or order of another dealer; nothing is written."""
    photo = their_thread.messages.get().attachments.get()
    url = path.format(thread=their_thread.pk, photo=photo.pk, order=their_order.number)
    data = {"text": "mine now", "client_key": "6f1c2a4e-0a51-4c44-9a53-5b8a2a1c9d10"}
    response = getattr(buyer_client, method)(url, data if method == "post" else None)
    assert response.status_code in (404, 302)
    if response.status_code == 302:
        assert response["Location"] == "/conversations/"
    assert their_thread.messages.count() == 1
    assert not their_thread.feedback
    assert "Their question" not in html(buyer_client.get("/conversations/"))
