"""An order's payment plan as a form for reps (not JSON in the admin): instalments
whose shares add up to 100 %, each shown with its amount; the dealer sees the plan on
the order page; fixed once goods shipped; other reps' dealers are out of reach."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from orders import services as order_services
from orders.models import OrderEvent, Receivable
from tests.notifications.factories import rep_for
from tests.orders.factories import place
from tests.portal.conftest import html


def _client(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _plan(rows):
    data = {
        "step-TOTAL_FORMS": str(len(rows)),
        "step-INITIAL_FORMS": "0",
        "step-MIN_NUM_FORMS": "1",
        "step-MAX_NUM_FORMS": "6",
    }
    for index, (percent, due, days) in enumerate(rows):
        data[f"step-{index}-percent"] = percent
        data[f"step-{index}-due"] = due
        data[f"step-{index}-days"] = days
    return data


@pytest.fixture
def rep(world):
    return rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])


@pytest.fixture
def order(world):
    return place(world["buyer"], [("TEA-A-01", 10)])


def test_a_rep_sets_instalments_and_the_dealer_sees_them(world, rep, order):
    url = f"/office/orders/{order.number}/payment-plan/"
    client = _client(rep.user)
    page = html(client.get(url))
    assert "Payment plan of" in page
    # shares that do not add up to 100 are refused, with the sum
    refused = html(
        client.post(url, _plan([("30", "order", "0"), ("60", "delivery", "30")]))
    )
    assert "The shares add up to 90 %, not 100 %." in refused
    order.refresh_from_db()
    assert order.payment_plan == []

    saved = client.post(url, _plan([("30", "order", "0"), ("70", "delivery", "30")]))
    assert saved.status_code == 302
    order.refresh_from_db()
    assert order.payment_plan == [
        {"percent": "30.00", "due": "order", "days": 0},
        {"percent": "70.00", "due": "delivery", "days": 30},
    ]
    event = order.events.get(kind=OrderEvent.Kind.PAYMENT_PLAN)
    assert event.by == rep.user
    thirty = (order.total * Decimal("0.3")).quantize(Decimal("0.01"))

    dealer_page = html(_client(world["buyer"].user).get(f"/orders/{order.number}/"))
    assert 'data-testid="payment-plan"' in dealer_page
    assert "30 % · on order" in dealer_page
    assert "70 % · on delivery + 30 days" in dealer_page
    assert f"¥{thirty:,}" in dealer_page
    zh = html(_client(world["buyer"].user, "zh-hans").get(f"/orders/{order.number}/"))
    assert "付款计划" in zh


def test_the_plan_bills_the_shipment_in_instalments_and_is_then_fixed(
    world, rep, order
):
    order_services.payment_plan_set(
        order=order,
        plan=[{"percent": "40", "due": "shipment", "days": 0}, {"percent": "60"}],
    )
    order_services.shipment_post(
        external_id="S1",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 10, False)],
    )
    amounts = list(
        Receivable.objects.filter(order=order)
        .order_by("installment")
        .values_list("amount", flat=True)
    )
    assert len(amounts) == 2
    assert amounts[0] == (sum(amounts) * Decimal("0.4")).quantize(Decimal("0.01"))
    page = html(
        _client(rep.user).post(
            f"/office/orders/{order.number}/payment-plan/",
            _plan([("100", "order", "0")]),
        )
    )
    assert "its payment plan is fixed" in page
    order.refresh_from_db()
    assert len(order.payment_plan) == 2


def test_another_reps_dealer_and_dealers_are_kept_out(world, order):
    other = rep_for(world, "rep2", org="EAST-SH", serves=["other"])
    url = f"/office/orders/{order.number}/payment-plan/"
    assert _client(other.user).get(url).status_code == 404
    assert (
        _client(other.user).post(url, _plan([("100", "order", "0")])).status_code == 404
    )
    assert _client(world["buyer"].user).get(url).status_code in {302, 403}
