"""Checkout: review, submit once, and never place a changed quote silently."""

import re
from decimal import Decimal

from orders import selectors, services
from orders.models import Order
from promos import services as promo_services
from tests.orders.factories import approve, definition, percent_definition
from tests.portal.conftest import html, hx


def _form(page: str) -> dict:
    """The checkout form's fields as the browser would send them."""
    form = re.search(r'<form class="card" method="post".*?</form>', page, re.S).group(0)
    data = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    )
    data.update(
        dict(
            re.findall(r'<input type="hidden" name="([^"]+)"[^>]*value="([^"]*)"', form)
        )
    )
    data["note"] = "Back gate"
    return data


def test_empty_cart_goes_back_to_the_cart(buyer_client):
    response = buyer_client.get("/checkout/")
    assert response["Location"] == "/cart/"


def test_review_shows_lines_gifts_promotions_and_a_fresh_key(world, buyer_client):
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=10)
    services.cart_set_gift_choice(
        dealer_user=world["buyer"], promotion="P-GIFT", option=1
    )
    first = html(buyer_client.get("/checkout/"))
    assert "Longjing A" in first
    assert "Canvas bag" in first
    assert "新品茶A 买十赠一" in first
    assert "v1" in first
    assert 'data-testid="checkout-total">¥1,100.00' in first
    assert 'name="expected_total" value="1100.00"' in first
    key = _form(first)["idempotency_key"]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert _form(html(buyer_client.get("/checkout/")))["idempotency_key"] != key
    assert '<label for="id_note">Delivery notes</label>' in first


def test_submitting_twice_places_one_order_and_empties_the_cart(world, buyer_client):
    """A double tap (the same form twice) makes one order; both land on its page."""
    approve(definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=10)
    data = _form(html(buyer_client.get("/checkout/")))
    first = buyer_client.post("/checkout/place/", data)
    second = buyer_client.post("/checkout/place/", data)
    order = Order.objects.get()
    assert first["Location"] == second["Location"] == f"/orders/{order.number}/"
    assert order.note == "Back gate"
    assert order.placed_by == world["buyer"].user
    assert selectors.cart_lines(dealer_user=world["buyer"]) == []
    page = html(buyer_client.get(first["Location"]))
    assert f"Order {order.number} is placed." in page
    assert "Tea cup" in page


def test_htmx_submit_redirects_the_client_to_the_order(world, buyer_client):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=1)
    data = _form(html(buyer_client.get("/checkout/")))
    response = buyer_client.post("/checkout/place/", data, **hx("checkout"))
    order = Order.objects.get()
    assert response.headers["HX-Redirect"] == f"/orders/{order.number}/"


def test_a_changed_quote_shows_what_changed_and_places_nothing(world, buyer_client):
    """The 5 % promotion ends between review and submit: old and new totals and the
    line that changed are shown, with a fresh form to submit again."""
    # given a dealer reviewing 10 Pu'er C at 5 % off
    approve(percent_definition())
    services.cart_add(dealer_user=world["buyer"], sku="TEA-C-01", quantity=10)
    data = _form(html(buyer_client.get("/checkout/")))
    assert data["expected_total"] == "760.00"

    # when the promotion is paused and they submit
    promo_services.promotion_pause(code="P-PCT", by=None)
    response = buyer_client.post("/checkout/place/", data)

    # then nothing is placed and the page says what changed
    page = html(response, 409)
    assert not Order.objects.exists()
    changes = re.search(r'<table class="table changes">.*?</table>', page, re.S).group(
        0
    )
    assert "¥760.00" in changes
    assert "¥800.00" in changes
    assert "Pu&#x27;er C" in changes
    assert "Promotion P-PCT" in changes
    assert 'name="expected_total" value="800.00"' in page
    again = _form(page)
    assert again["idempotency_key"] == data["idempotency_key"]

    # and submitting the new review places the order at the new total
    response = buyer_client.post("/checkout/place/", again)
    assert Order.objects.get().total == Decimal("800.00")


def test_a_cart_changed_in_another_tab_is_not_placed(world, buyer_client):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=1)
    data = _form(html(buyer_client.get("/checkout/")))
    services.cart_add(dealer_user=world["buyer"], sku="TEA-C-01", quantity=1)
    page = html(buyer_client.post("/checkout/place/", data, **hx("checkout")), 409)
    assert page.lstrip().startswith('<section id="checkout">')
    assert "What changed" in page
    assert "not in the order" in page
    assert not Order.objects.exists()


def test_a_tampered_snapshot_still_never_places_a_different_total(world, buyer_client):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=1)
    data = _form(html(buyer_client.get("/checkout/")))
    data.update(seen="garbage", expected_total="1.00")
    assert buyer_client.post("/checkout/place/", data).status_code == 409
    assert not Order.objects.exists()


def test_over_credit_the_order_waits_on_credit_hold(world, buyer_client):
    world["dealer"].credit_limit = Decimal("100.00")
    world["dealer"].save()
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=2)
    page = html(buyer_client.get("/checkout/"))
    assert "it will wait on credit hold" in page
    buyer_client.post("/checkout/place/", _form(page))
    order = Order.objects.get()
    assert order.status == Order.Status.CREDIT_HOLD
    detail = html(buyer_client.get(f"/orders/{order.number}/"))
    assert "Credit hold" in detail


def test_incomplete_form_is_refused_with_a_message(world, buyer_client):
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=1)
    page = html(buyer_client.post("/checkout/place/", {"note": "x"}), 422)
    assert "The form was incomplete" in page
    assert not Order.objects.exists()
