"""Delivery dates on the dealer's pages: the cart promises, the order keeps its word."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import LeadTime, PlannedReceipt, Stock, Warehouse
from orders import services
from tests.orders.factories import place
from tests.portal.conftest import html

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture
def supply(world, time_machine):
    """WH-SH is one working day from the dealer; 40 Longjing on hand, 500 on 18 Dec."""
    time_machine.move_to(NOW, tick=False)
    warehouse = Warehouse.objects.get(code="WH-SH")
    warehouse.name, warehouse.name_en = "上海仓", "Shanghai DC"
    warehouse.save()
    dealer = world["dealer"]
    LeadTime.objects.create(warehouse=warehouse, region=dealer.region, days=1)
    Stock.objects.filter(product__sku="TEA-A-01").update(quantity=40)
    PlannedReceipt.objects.create(
        external_id="MO-1",
        warehouse=warehouse,
        product=world["products"]["TEA-A-01"],
        quantity=500,
        expected_date=datetime.date(2026, 12, 18),
    )
    return world


def test_the_cart_shows_an_in_stock_line_and_a_short_line_with_honest_dates(
    supply, buyer_client
):
    services.cart_add(dealer_user=supply["buyer"], sku="TEA-A-01", quantity=100)
    services.cart_add(dealer_user=supply["buyer"], sku="TEA-A-02", quantity=5)
    page = html(buyer_client.get("/cart/"))
    assert "40 case from Shanghai DC, arrives 4 Dec 2026" in page
    assert "60 case from Shanghai DC, arrives 21 Dec 2026" in page
    assert "5 case from Shanghai DC, arrives 4 Dec 2026" in page


def test_the_cart_says_plainly_when_nothing_can_be_promised(supply, buyer_client):
    Stock.objects.filter(product__sku="TEA-A-02").update(quantity=0)
    services.cart_add(dealer_user=supply["buyer"], sku="TEA-A-02", quantity=5)
    page = html(buyer_client.get("/cart/"))
    assert "5 case: no date yet" in page


def test_the_chinese_cart_reads_chinese(supply, buyer_client, settings):
    buyer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    services.cart_add(dealer_user=supply["buyer"], sku="TEA-A-01", quantity=100)
    page = html(buyer_client.get("/cart/"))
    assert "2026年12月4日" in page
    assert "上海仓" in page
    assert "arrives" not in page


def test_the_order_page_shows_the_estimate_and_the_promise_it_moved_from(
    supply, buyer_client
):
    order = place(supply["buyer"], [("TEA-A-01", 100)])
    services.planned_receipt_record(
        external_id="MO-1",
        warehouse="WH-SH",
        sku="TEA-A-01",
        quantity=500,
        expected_date=datetime.date(2026, 12, 28),
        status="in_progress",
    )
    page = html(buyer_client.get(f"/orders/{order.number}/"))
    assert "Arrives 29 Dec 2026" in page
    assert "(promised 21 Dec 2026)" in page


def test_a_dealer_plans_delivery_in_two_parts_and_sees_plan_against_shipped(
    supply, buyer_client
):
    # given: 100 Longjing on order; 40 on hand, 500 more on 18 Dec
    order = place(supply["buyer"], [("TEA-A-01", 100)])
    line = order.lines.get(is_gift=False)
    form = html(buyer_client.get(f"/orders/{order.number}/plan/"))
    assert f'name="d-{line.pk}-0" value="2026-12-21"' in form
    # when: 40 on 7 Dec, 60 on 15 Jan
    response = buyer_client.post(
        f"/orders/{order.number}/plan/",
        {
            f"d-{line.pk}-0": "2026-12-07",
            f"q-{line.pk}-0": "40",
            f"d-{line.pk}-1": "2027-01-15",
            f"q-{line.pk}-1": "60",
        },
    )
    assert response.status_code == 302
    services.shipment_post(
        external_id="S-1",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 40, False)],
    )
    # then
    page = html(buyer_client.get(f"/orders/{order.number}/"))
    assert "7 Dec 2026: 40 planned, 40 received" in page
    assert "15 Jan 2027: 60 planned, 0 received" in page


def test_a_plan_that_does_not_add_up_says_so_next_to_the_button(supply, buyer_client):
    order = place(supply["buyer"], [("TEA-A-01", 100)])
    line = order.lines.get(is_gift=False)
    response = buyer_client.post(
        f"/orders/{order.number}/plan/",
        {f"d-{line.pk}-0": "2027-01-15", f"q-{line.pk}-0": "30"},
    )
    assert "add up to 30; the order stands for 100" in html(response, 422)


def test_garbage_in_the_plan_form_is_a_message_not_a_500(supply, buyer_client):
    order = place(supply["buyer"], [("TEA-A-01", 100)])
    line = order.lines.get(is_gift=False)
    response = buyer_client.post(
        f"/orders/{order.number}/plan/",
        {f"d-{line.pk}-0": "soon", f"q-{line.pk}-0": "lots"},
    )
    assert "Give each part a date" in html(response, 422)


def test_another_dealers_order_has_no_plan_page(supply, other_client):
    order = place(supply["buyer"], [("TEA-A-01", 10)])
    assert other_client.get(f"/orders/{order.number}/plan/").status_code == 404
    assert other_client.post(f"/orders/{order.number}/plan/", {}).status_code == 404


def test_a_viewer_cannot_plan(supply, viewer_client):
    order = place(supply["buyer"], [("TEA-A-01", 10)])
    assert viewer_client.get(f"/orders/{order.number}/plan/").status_code in (302, 403)
