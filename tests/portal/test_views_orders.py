"""Orders: the list with filters and infinite paging, one order, reorder, cancel."""

import re

import pytest

from orders import selectors
from orders.models import Order, OrderEvent
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import html, hx


def _numbers(page: str) -> list[str]:
    return re.findall(r'class="order-card" href="/orders/(SO-\d+)/"', page)


def test_no_orders_yet_offers_the_promotions(buyer_client):
    page = html(buyer_client.get("/orders/"))
    assert "No orders yet" in page
    assert 'href="/promotions/"' in page


def test_list_shows_one_glance_cards_newest_first(world, buyer_client):
    approve(definition())
    first = place(world["buyer"], [("TEA-A-01", 20)])
    second = place(world["owner"], [("TEA-C-01", 3)])
    place(world["other_user"], [("TEA-C-01", 1)])  # another dealer's: never listed
    page = html(buyer_client.get("/orders/"))
    assert _numbers(page) == [second.number, first.number]
    card = re.search(
        rf'<a class="order-card" href="/orders/{first.number}/">.*?</a>', page, re.S
    ).group(0)
    assert "Placed" in card
    assert "Not shipped yet" in card
    assert "Shipped 0 / 20" in card
    assert "Gift × 2" in card
    assert "¥2,200.00" in card


def test_status_filter_and_number_search(world, buyer_client):
    held = place(world["buyer"], [("TEA-A-01", 1)])
    Order.objects.filter(pk=held.pk).update(status=Order.Status.CREDIT_HOLD)
    placed = place(world["buyer"], [("TEA-A-01", 2)])
    page = html(buyer_client.get("/orders/", {"status": "credit_hold"}))
    assert _numbers(page) == [held.number]
    assert re.search(r'aria-current="true">Credit hold <span class="chip__n">1', page)
    assert _numbers(html(buyer_client.get("/orders/", {"q": placed.number[-3:]}))) == [
        placed.number
    ]
    empty = html(buyer_client.get("/orders/", {"q": "SO-999999"}))
    assert "No order matches" in empty


def test_infinite_paging_with_an_href_fallback(world, buyer_client, settings):
    settings.PORTAL = {**settings.PORTAL, "PAGE_SIZE": 2}
    numbers = [place(world["buyer"], [("TEA-A-01", 1)]).number for _ in range(5)]
    first = html(buyer_client.get("/orders/"))
    assert _numbers(first) == numbers[::-1][:2]
    assert 'href="?page=2"' in first
    assert 'hx-get="?page=2"' in first
    assert 'hx-trigger="revealed, click"' in first
    part = html(buyer_client.get("/orders/", {"page": 2}, **hx()))
    assert "<html" not in part
    assert _numbers(part) == numbers[::-1][2:4]
    assert 'hx-get="?page=3"' in part
    full = html(buyer_client.get("/orders/", {"page": 3}))
    assert "<html" in full
    assert _numbers(full) == numbers[:1]


def test_paging_keeps_the_filter(world, buyer_client, settings):
    settings.PORTAL = {**settings.PORTAL, "PAGE_SIZE": 1}
    for _ in range(2):
        place(world["buyer"], [("TEA-A-01", 1)])
    page = html(buyer_client.get("/orders/", {"status": "placed"}))
    assert 'hx-get="?status=placed&amp;page=2"' in page


def test_order_page_shows_everything_about_the_order(world, buyer_client):
    approve(definition())
    order = place(world["buyer"], [("TEA-A-01", 20), ("TEA-C-01", 1)], note="后门")
    page = html(buyer_client.get(f"/orders/{order.number}/"))
    assert order.number in page
    assert 'data-testid="order-status">Placed' in page
    assert "Longjing A" in page
    assert "Pu&#x27;er C" in page
    gift = re.search(r'data-testid="order-gift">.*?</li>', page, re.S).group(0)
    assert "Tea cup" in gift
    assert "× 2" in gift
    assert "新品茶A 买十赠一" in page
    assert "P-GIFT · v1 · ×2" in page
    assert "¥2,280.00" in page
    assert "History" in page
    assert "后门" in page
    assert "Order these again" in page
    assert f'href="/orders/{order.number}/cancel/"' in page


def test_reorder_fills_the_cart_and_says_what_was_left_out(world, buyer_client):
    order = place(world["buyer"], [("TEA-A-01", 4), ("TEA-C-01", 2)])
    world["products"]["TEA-C-01"].active = False
    world["products"]["TEA-C-01"].save()
    response = buyer_client.post(f"/orders/{order.number}/reorder/")
    assert response["Location"] == "/cart/"
    page = html(buyer_client.get("/cart/"))
    assert f"from {order.number} are in your cart" in page
    assert "No longer sold, left out: TEA-C-01" in page
    assert dict(selectors.cart_lines(dealer_user=world["buyer"])) == {"TEA-A-01": 4}


def test_reorder_with_htmx_redirects_the_client(world, buyer_client):
    order = place(world["buyer"], [("TEA-A-01", 1)])
    response = buyer_client.post(f"/orders/{order.number}/reorder/", **hx())
    assert response.headers["HX-Redirect"] == "/cart/"


def test_cancel_page_asks_how_many_and_previews_what_the_order_keeps(
    world, buyer_client
):
    """Cancelling 5 of 20 leaves 15: one cup instead of two, shown before confirming."""
    approve(definition())
    order = place(world["buyer"], [("TEA-A-01", 20), ("TEA-C-01", 2)])
    line = order.lines.get(sku="TEA-A-01")
    form = html(buyer_client.get(f"/orders/{order.number}/cancel/"))
    assert f'name="line_{line.pk}"' in form
    assert "20 not shipped" in form
    assert "Before you confirm" not in form

    page = html(
        buyer_client.get(
            f"/orders/{order.number}/cancel/", {"preview": "1", f"line_{line.pk}": "5"}
        )
    )
    preview = re.search(r'id="preview-title".*?</section>', page, re.S).group(0)
    assert "Longjing A × 5" in preview  # what is cancelled
    assert "Longjing A × 15" in preview  # what the order keeps
    gifts = re.search(r"<tbody>.*?</tbody>", preview, re.S).group(0)
    assert re.search(
        r"Tea cup</td><td class=\"num\">2</td><td class=\"num\"><strong>1", gifts
    )
    assert "¥2,360.00" in preview
    assert "¥1,810.00" in preview
    # nothing has changed yet
    assert order.lines.get(sku="TEA-A-01").cancelled_quantity == 0


def test_confirming_cancels_through_the_service(world, buyer_client):
    approve(definition())
    order = place(world["buyer"], [("TEA-A-01", 20)])
    line = order.lines.get(sku="TEA-A-01")
    response = buyer_client.post(
        f"/orders/{order.number}/cancel/confirm/", {f"line_{line.pk}": "5"}
    )
    assert response["Location"] == f"/orders/{order.number}/"
    line.refresh_from_db()
    assert line.cancelled_quantity == 5
    assert order.lines.get(is_gift=True).cancelled_quantity == 1
    assert OrderEvent.objects.filter(
        order=order, kind=OrderEvent.Kind.PARTLY_CANCELLED
    ).exists()
    page = html(buyer_client.get(response["Location"]))
    assert "Cancelled. This is the order now." in page
    assert "Partly cancelled" in page


def test_cancel_everything(world, buyer_client):
    order = place(world["buyer"], [("TEA-A-01", 3), ("TEA-C-01", 2)])
    page = html(buyer_client.get(f"/orders/{order.number}/cancel/", {"all": "1"}))
    assert "Nothing: the whole order is cancelled." in page
    fields = dict(
        re.findall(r'<input type="hidden" name="(line_\d+)" value="(\d+)"', page)
    )
    buyer_client.post(f"/orders/{order.number}/cancel/confirm/", fields)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert "Cancel unshipped items" not in html(
        buyer_client.get(f"/orders/{order.number}/")
    )


def test_cancelling_more_than_is_open_is_refused(world, buyer_client):
    order = place(world["buyer"], [("TEA-A-01", 3)])
    line = order.lines.get()
    page = html(
        buyer_client.get(
            f"/orders/{order.number}/cancel/", {"preview": "1", f"line_{line.pk}": "4"}
        ),
        422,
    )
    assert "errorlist" in page
    response = buyer_client.post(
        f"/orders/{order.number}/cancel/confirm/", {f"line_{line.pk}": "4"}
    )
    assert response["Location"] == f"/orders/{order.number}/cancel/"
    line.refresh_from_db()
    assert line.cancelled_quantity == 0


def test_a_cancelled_order_cannot_be_cancelled_again(world, buyer_client):
    order = place(world["buyer"], [("TEA-A-01", 1)])
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    response = buyer_client.get(f"/orders/{order.number}/cancel/")
    assert response["Location"] == f"/orders/{order.number}/"


@pytest.mark.parametrize("status", ["placed", "credit_hold", "cancelled"])
def test_status_is_a_word_and_a_colour(world, buyer_client, status):
    order = place(world["buyer"], [("TEA-A-01", 1)])
    Order.objects.filter(pk=order.pk).update(status=status)
    page = html(buyer_client.get(f"/orders/{order.number}/"))
    tone = {"placed": "info", "credit_hold": "warn", "cancelled": "muted"}[status]
    label = {"placed": "Placed", "credit_hold": "Credit hold", "cancelled": "Cancelled"}
    assert (
        f'class="badge badge--{tone}" data-testid="order-status">{label[status]}'
        in page
    )


def test_order_page_names_shipped_products_and_confirmed_receipts(world, buyer_client):
    """A shipment lists product names (with thumbnails), not SKUs; confirming receipt
    appears in the history; the order date is not labelled like the status."""
    from catalog.models import Warehouse
    from orders import services

    approve(definition())
    Warehouse.objects.create(code="SH", name="上海仓")
    order = place(world["buyer"], [("TEA-A-01", 20)])
    shipment = services.shipment_post(
        external_id="E1",
        order_number=order.number,
        warehouse="SH",
        lines=[("TEA-A-01", 10, False)],
    ).shipment
    services.shipment_confirm(
        number=shipment.number, dealer=world["dealer"], by=world["buyer"].user
    )

    page = html(buyer_client.get(f"/orders/{order.number}/"))

    shipped = re.findall(r'data-testid="shipment-line">(.*?)</li>', page, re.S)
    assert len(shipped) == 1, shipped  # the cup is owed: no gift stock at SH
    assert "Longjing A" in shipped[0]
    assert "product__thumb" in shipped[0]
    assert "TEA-A-01" not in "".join(shipped)
    history = re.search(r'id="history-title".*?</section>', page, re.S).group(0)
    assert "Receipt confirmed" in history
    buyer_client.cookies["django_language"] = "zh-hans"
    zh = html(buyer_client.get(f"/orders/{order.number}/"))
    assert zh.count("已下单") == 2  # the status badge and the history, not the date


def test_cancel_page_starts_from_a_quantity_that_previews(world, buyer_client):
    """The cancel form starts at what is still open, so submitting it as it comes
    previews (never a 422 for "nothing to cancel")."""
    order = place(world["buyer"], [("TEA-A-01", 3), ("TEA-C-01", 2)])
    form = html(buyer_client.get(f"/orders/{order.number}/cancel/"))
    fields = dict(re.findall(r'name="(line_\d+)" value="(\d+)"', form))
    assert sorted(fields.values()) == ["2", "3"]

    page = html(
        buyer_client.get(f"/orders/{order.number}/cancel/", {"preview": "1", **fields})
    )
    assert "Before you confirm" in page
