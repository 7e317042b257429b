"""Promised delivery dates: lead times and planned receipts from the ERP, dates on
quotes and orders, and the dealer told when a date slips."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import PlannedReceipt
from dealers.models import Region
from notifications.models import Notification
from notifications.texts import render
from orders.models import Order, OrderEvent
from tests.dealers.factories import DealerUserFactory

# A Thursday morning in Shanghai, before the 16:00 cut-off.
NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture
def supply(api, world, time_machine):
    """SH is one working day from the dealer's region, BJ three; tea: 40 on hand in SH."""
    time_machine.move_to(NOW, tick=False)
    region = Region.objects.create(code="EAST", name="华东", name_en="East")
    dealer = world["dealer"]
    dealer.region = region
    dealer.save(update_fields=["region"])
    DealerUserFactory(dealer=dealer, user__username="owner-d1")
    for code in ("SH", "BJ"):
        api.put(f"/api/v1/warehouses/{code}", {"name": code})
    api.put("/api/v1/stock/SH/TEA-A-01", {"quantity": 40})
    assert api.put("/api/v1/lead-times/SH/EAST", {"days": 1}).status_code == 201
    assert (
        api.put(
            "/api/v1/lead-times/BJ/EAST", {"days": 3, "cutoff": "12:00"}
        ).status_code
        == 201
    )
    return api


def test_lead_time_put_is_idempotent_and_answers_what_it_stored(supply):
    response = supply.put("/api/v1/lead-times/SH/EAST", {"days": 2, "cutoff": "15:30"})
    assert response.status_code == 200
    assert response.json() == {
        "warehouse": "SH",
        "region": "EAST",
        "days": 2,
        "cutoff": "15:30",
    }


@pytest.mark.parametrize(
    ("url", "body", "code"),
    [
        ("/api/v1/lead-times/XX/EAST", {"days": 1}, "unknown_warehouse"),
        ("/api/v1/lead-times/SH/MARS", {"days": 1}, "unknown_region"),
        ("/api/v1/lead-times/SH/EAST", {"days": -1}, "invalid"),
        ("/api/v1/lead-times/SH/EAST", {"days": "1"}, "invalid"),
        (
            "/api/v1/planned-receipts/PR-1",
            {
                "warehouse": "SH",
                "sku": "NOPE",
                "quantity": 5,
                "expected_date": "2026-12-18",
            },
            "unknown_product",
        ),
        (
            "/api/v1/planned-receipts/PR-1",
            {
                "warehouse": "XX",
                "sku": "TEA-A-01",
                "quantity": 5,
                "expected_date": "2026-12-18",
            },
            "unknown_warehouse",
        ),
        (
            "/api/v1/planned-receipts/PR-1",
            {
                "warehouse": "SH",
                "sku": "TEA-A-01",
                "quantity": -5,
                "expected_date": "2026-12-18",
            },
            "invalid",
        ),
        (
            "/api/v1/planned-receipts/PR-1",
            {
                "warehouse": "SH",
                "sku": "TEA-A-01",
                "quantity": 5,
                "expected_date": "2026-11-01",
            },
            "invalid_date",
        ),
    ],
)
def test_bad_supply_input_is_a_422_with_its_code_and_writes_nothing(
    supply, url, body, code
):
    response = supply.put(url, body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert not PlannedReceipt.objects.exists()


def test_a_quote_gives_an_in_stock_line_and_a_short_line_two_honest_dates(supply):
    # given: 40 tea on hand; 500 more from the 18 Dec production run
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-18",
        },
    )
    # when
    quote = supply.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "TEA-A-01", "quantity": 100}]}
    ).json()
    # then: 40 arrive Friday, 60 the working day after the run
    assert quote["lines"][0]["promised"] == [
        {"quantity": 40, "warehouse": "SH", "date": "2026-12-04"},
        {"quantity": 60, "warehouse": "SH", "date": "2026-12-21"},
    ]


def test_without_supply_the_quote_promises_no_date(supply):
    quote = supply.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "TEA-C-01", "quantity": 3}]}
    ).json()
    assert quote["lines"][0]["promised"] == [
        {"quantity": 3, "warehouse": None, "date": None}
    ]


def _place(api, quantity, key):
    response = api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": quantity}]},
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_an_order_keeps_its_promise_and_earlier_orders_come_first(supply):
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-18",
        },
    )
    first = _place(supply, 30, "a")
    second = _place(supply, 30, "b")
    assert first["lines"][0]["promised_date"] == "2026-12-04"
    # only 10 of the 40 on hand are left for the second order: it waits for the run
    assert second["lines"][0]["promised_date"] == "2026-12-21"
    assert second["lines"][0]["estimated_date"] == "2026-12-21"


def test_a_slipping_production_run_re_estimates_and_tells_the_dealer_once(supply):
    # given: an order waiting for the 18 Dec run
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-18",
        },
    )
    number = _place(supply, 100, "a")["number"]
    Notification.objects.all().delete()
    slipped = {
        "warehouse": "SH",
        "sku": "TEA-A-01",
        "quantity": 500,
        "expected_date": "2026-12-28",
        "status": "in_progress",
    }
    # when: the ERP moves the run ten days later, and repeats itself
    assert supply.put("/api/v1/planned-receipts/PR-1", slipped).status_code == 200
    assert supply.put("/api/v1/planned-receipts/PR-1", slipped).status_code == 200
    # then
    order = supply.get(f"/api/v1/orders/{number}").json()
    assert order["lines"][0]["promised_date"] == "2026-12-21"
    assert order["lines"][0]["estimated_date"] == "2026-12-29"
    notices = Notification.objects.filter(kind="order.delayed")
    assert notices.count() == 1
    assert (
        OrderEvent.objects.filter(
            order__number=number, kind=OrderEvent.Kind.DELAYED
        ).count()
        == 1
    )
    english = render(notices.get(), "en")
    assert number in english.title
    assert "29 Dec 2026" in english.body
    assert "21 Dec 2026" in english.body
    chinese = render(notices.get(), "zh-hans")
    assert "2026年12月29日" in chinese.body


def test_an_earlier_date_moves_the_estimate_quietly(supply):
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-18",
        },
    )
    number = _place(supply, 100, "a")["number"]
    Notification.objects.all().delete()
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-10",
        },
    )
    line = Order.objects.get(number=number).lines.get()
    assert line.estimated_date == datetime.date(2026, 12, 11)
    assert not Notification.objects.filter(kind="order.delayed").exists()


def test_stock_taken_by_the_erp_moves_a_date_too(supply):
    supply.put(
        "/api/v1/planned-receipts/PR-1",
        {
            "warehouse": "SH",
            "sku": "TEA-A-01",
            "quantity": 500,
            "expected_date": "2026-12-18",
        },
    )
    number = _place(supply, 30, "a")["number"]
    supply.put("/api/v1/stock/SH/TEA-A-01", {"quantity": 10})
    line = Order.objects.get(number=number).lines.get()
    assert line.estimated_date == datetime.date(2026, 12, 21)
    assert Notification.objects.filter(kind="order.delayed").exists()
