"""After the order: shipments, gifts that follow the goods, money, statements."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Stock
from orders.models import AccountMovement, Order, Receivable
from promos.models import PromotionBudget
from tests.world import gift_promotion


@pytest.fixture
def shop(api, world, approve):
    """Two warehouses: SH has tea and cups, WH has tea and no cups. A 1-cup-per-10 promotion."""
    for code in ("SH", "WH"):
        assert api.put(f"/api/v1/warehouses/{code}", {"name": code}).status_code in (
            200,
            201,
        )
        api.put(f"/api/v1/stock/{code}/TEA-A-01", {"quantity": 1000})
    api.put("/api/v1/stock/SH/GIFT-CUP", {"quantity": 100})
    api.put("/api/v1/stock/WH/GIFT-CUP", {"quantity": 0})
    approve(gift_promotion())
    return api


def place(api, quantity, key="k1", **extra):
    response = api.post(
        "/api/v1/dealers/D1/orders",
        {
            "lines": [{"sku": "TEA-A-01", "quantity": quantity}],
            "gift_choices": {"P-GIFT": 0},
            **extra,
        },
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 201, response.content
    return response.json()["number"]


_ids = itertools.count(1)


def ship(
    api, number, quantity, *, warehouse="SH", external_id=None, gifts=(), status=201
):
    lines = [{"sku": "TEA-A-01", "quantity": quantity}] if quantity else []
    lines += [{"sku": sku, "quantity": n, "gift": True} for sku, n in gifts]
    response = api.post(
        "/api/v1/shipments",
        {
            "external_id": external_id or f"ERP-{next(_ids)}",
            "order": number,
            "warehouse": warehouse,
            "lines": lines,
            "carrier": "SF Express",
            "tracking_no": "SF123",
        },
    )
    assert response.status_code == status, response.content
    return response.json()


def gift(api, number):
    return api.get(f"/api/v1/orders/{number}").json()["gifts"][0]


def test_gifts_ship_in_proportion_to_goods(shop):
    """Ship 10 of 20 under "1 gift per 10": 1 cup ships now, the second with the rest."""
    number = place(shop, 20)
    first = ship(shop, number, 10)
    assert first["number"] == f"{number}-1"
    assert {"sku": "GIFT-CUP", "quantity": 1, "gift": True, "order": number} in first[
        "lines"
    ]
    assert gift(shop, number) | {} == gift(shop, number)
    assert (gift(shop, number)["shipped"], gift(shop, number)["owed"]) == (1, 0)
    second = ship(shop, number, 10)
    assert second["number"] == f"{number}-2"
    assert (gift(shop, number)["shipped"], gift(shop, number)["owed"]) == (2, 0)
    order = shop.get(f"/api/v1/orders/{number}").json()
    assert order["fulfilment"] == "shipped"
    assert (
        Stock.objects.get(warehouse__code="SH", product__sku="GIFT-CUP").quantity == 98
    )


def test_gift_short_in_stock_is_owed_then_sent_with_a_later_shipment(shop):
    number = place(shop, 20)
    first = ship(shop, number, 10, warehouse="WH")
    assert first["gifts_owed"] == [{"sku": "GIFT-CUP", "quantity": 1, "order": number}]
    assert (gift(shop, number)["shipped"], gift(shop, number)["owed"]) == (0, 1)
    second = ship(shop, number, 10, warehouse="SH")
    cups = [line for line in second["lines"] if line["gift"]]
    assert sum(line["quantity"] for line in cups) == 2  # the owed one and the new one
    assert second["gifts_owed"] == []
    assert (gift(shop, number)["shipped"], gift(shop, number)["owed"]) == (2, 0)


def test_owed_gift_of_an_earlier_order_ships_with_the_next_order(shop):
    """The seed's 补发: a gift owed on order 1 travels with order 2's shipment."""
    first = place(shop, 10, key="a")
    ship(shop, first, 10, warehouse="WH")
    assert gift(shop, first)["owed"] == 1
    second = place(shop, 10, key="b")
    shipment = ship(shop, second, 10, warehouse="SH")
    carried = {
        (line["order"], line["sku"]) for line in shipment["lines"] if line["gift"]
    }
    assert carried == {(first, "GIFT-CUP"), (second, "GIFT-CUP")}
    assert gift(shop, first)["owed"] == 0


def test_cancel_after_gifts_shipped_ahead_records_a_debt_settled_later(shop):
    """Gifts shipped ahead, then a cancellation: the extra gift is a debt, offset
    against the dealer's next gift entitlement instead of shipping it."""
    number = place(shop, 20)
    ship(shop, number, 10, gifts=[("GIFT-CUP", 2)])  # the ERP ships both cups ahead
    shop.post(
        f"/api/v1/orders/{number}/cancel",
        {"lines": [{"sku": "TEA-A-01", "quantity": 10}]},
    )
    entry = gift(shop, number)
    assert (entry["quantity"], entry["shipped"], entry["debt"]) == (1, 2, 1)
    assert PromotionBudget.objects.get().used == Decimal("15.00")
    later = place(shop, 10, key="later")
    shipment = ship(shop, later, 10)
    assert not [line for line in shipment["lines"] if line["gift"]]
    assert gift(shop, number)["debt"] == 0
    assert gift(shop, later)["settled"] == 1


def test_short_close_recomputes_gifts_and_budget(shop):
    number = place(shop, 20)
    ship(shop, number, 10)
    response = shop.post(
        f"/api/v1/orders/{number}/short-close",
        {"lines": [{"sku": "TEA-A-01", "quantity": 10}]},
    )
    assert response.status_code == 200
    order = response.json()
    assert order["lines"][0]["short_closed"] == 10
    assert order["gifts"][0]["quantity"] == 1
    assert order["fulfilment"] == "shipped"
    assert PromotionBudget.objects.get().used == Decimal("15.00")


def test_explicit_gift_lines_over_the_entitlement_are_refused(shop):
    number = place(shop, 20)
    ship(shop, number, 10, gifts=[("GIFT-CUP", 3)], status=409)
    assert gift(shop, number)["shipped"] == 0
    assert not Receivable.objects.exists()


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([{"sku": "TEA-A-01", "quantity": 21}], 409),
        ([{"sku": "TEA-C-01", "quantity": 1}], 409),
        ([{"sku": "TEA-A-01", "quantity": 0}], 422),
        ([{"sku": "TEA-A-01", "quantity": -1}], 422),
        ([], 422),
    ],
)
def test_bad_shipments_change_nothing(shop, lines, status):
    number = place(shop, 20)
    response = shop.post(
        "/api/v1/shipments",
        {"external_id": "X1", "order": number, "warehouse": "SH", "lines": lines},
    )
    assert response.status_code == status, response.content
    assert shop.get(f"/api/v1/orders/{number}").json()["lines"][0]["shipped"] == 0


def test_unknown_order_or_warehouse(shop):
    body = {
        "external_id": "X1",
        "order": "SO-999999",
        "warehouse": "SH",
        "lines": [{"sku": "TEA-A-01", "quantity": 1}],
    }
    assert shop.post("/api/v1/shipments", body).status_code == 404
    number = place(shop, 5)
    assert (
        shop.post(
            "/api/v1/shipments", {**body, "order": number, "warehouse": "NOPE"}
        ).status_code
        == 422
    )


def test_shipping_a_cancelled_order_is_409(shop):
    number = place(shop, 5)
    shop.post(f"/api/v1/orders/{number}/cancel")
    ship(shop, number, 5, status=409)


def test_shipment_replay_by_external_id(shop):
    number = place(shop, 20)
    first = ship(shop, number, 10, external_id="ERP-1")
    again = ship(shop, number, 10, external_id="ERP-1", status=200)
    assert again["number"] == first["number"]
    assert shop.get(f"/api/v1/orders/{number}").json()["lines"][0]["shipped"] == 10


def test_receivable_raised_at_net_value_due_by_terms(shop):
    number = place(shop, 20)
    shipment = ship(shop, number, 10)
    receivable = shipment["receivable"]
    assert receivable["amount"] == "1100.00"
    expected = timezone.localdate() + datetime.timedelta(days=30)
    assert receivable["due_date"] == expected.isoformat()
    balances = shop.get("/api/v1/dealers/D1/balances").json()
    assert balances["open_receivables"] == "1100.00"
    assert balances["unshipped_orders"] == "1100.00"
    assert balances["available_credit"] == "197800.00"


def test_receipts_write_off_oldest_due_first_then_prepayment(shop):
    number = place(shop, 30)
    ship(shop, number, 10)
    ship(shop, number, 10)
    Receivable.objects.filter(number=f"{number}-2-R1").update(
        due_date=datetime.date(2026, 1, 1)
    )
    response = shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R1",
            "dealer": "D1",
            "amount": "1500.00",
            "date": "2026-11-20",
        },
    )
    assert response.status_code == 201
    written = {w["receivable"]: w["amount"] for w in response.json()["written_off"]}
    assert written == {f"{number}-2-R1": "1100.00", f"{number}-1-R1": "400.00"}
    replay = shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R1",
            "dealer": "D1",
            "amount": "1500.00",
            "date": "2026-11-20",
        },
    )
    assert replay.status_code == 200
    big = shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R2",
            "dealer": "D1",
            "amount": "2000.00",
            "date": "2026-11-21",
        },
    )
    assert big.status_code == 201
    balances = shop.get("/api/v1/dealers/D1/balances").json()
    assert balances["open_receivables"] == "0.00"
    assert balances["prepayment"] == "1300.00"


def test_prepayment_pays_the_next_receivable(shop):
    shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R0",
            "dealer": "D1",
            "amount": "5000.00",
            "date": "2026-11-01",
        },
    )
    number = place(shop, 10)
    ship(shop, number, 10)
    order = shop.get(f"/api/v1/orders/{number}").json()
    assert order["payment"] == "paid"
    assert order["status"] == "closed"
    assert shop.get("/api/v1/dealers/D1/balances").json()["prepayment"] == "3900.00"


def test_statement_reconciles(shop):
    number = place(shop, 20)
    ship(shop, number, 10)
    shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R1",
            "dealer": "D1",
            "amount": "300.00",
            "date": timezone.localdate().isoformat(),
        },
    )
    today = timezone.localdate()
    statement = shop.get(
        f"/api/v1/dealers/D1/statement?from={today.replace(day=1)}&to={today}"
    ).json()
    assert statement["opening_balance"] == "0.00"
    assert [m["kind"] for m in statement["movements"]] == ["shipment", "receipt"]
    assert statement["closing_balance"] == "800.00"
    later = shop.get(
        f"/api/v1/dealers/D1/statement?from={today + datetime.timedelta(days=1)}&to={today + datetime.timedelta(days=2)}"
    ).json()
    assert (later["opening_balance"], later["movements"], later["closing_balance"]) == (
        "800.00",
        [],
        "800.00",
    )
    assert (
        shop.get(f"/api/v1/dealers/D1/statement?from={today}&to=2020-01-01").status_code
        == 422
    )
    assert shop.get("/api/v1/dealers/D1/statement?from=yesterday").status_code == 422


def test_delivery_and_derived_statuses(shop):
    number = place(shop, 20)
    shipment = ship(shop, number, 10, external_id="E1")
    assert (
        shop.get(f"/api/v1/orders/{number}").json()["fulfilment"] == "partially_shipped"
    )
    ship(shop, number, 10, external_id="E2")
    for external_id in ("E1", "E2"):
        assert (
            shop.post(f"/api/v1/shipments/{external_id}/delivered", {}).status_code
            == 200
        )
    order = shop.get(f"/api/v1/orders/{number}").json()
    assert (order["fulfilment"], order["payment"]) == ("delivered", "unpaid")
    assert shipment["number"] == f"{number}-1"
    Receivable.objects.update(due_date=datetime.date(2026, 1, 1))
    assert shop.get(f"/api/v1/orders/{number}").json()["payment"] == "overdue"
    assert shop.post("/api/v1/shipments/NOPE/delivered", {}).status_code == 404


def test_expense_credit_is_credited_when_goods_ship(shop, approve):
    approve(
        gift_promotion(
            code="P-CREDIT",
            priority=10,
            condition={
                "type": "quantity",
                "items": {"categories": ["TEA-A"]},
                "min": 1,
            },
            reward={"type": "expense_credit", "rate": "0.01"},
            limits={},
        )
    )
    number = place(shop, 20)
    assert Order.objects.get(number=number).expense_credit_earned == Decimal("22.00")
    assert not AccountMovement.objects.filter(account="expense_credit").exists()
    ship(shop, number, 10)
    assert shop.get("/api/v1/dealers/D1/balances").json()["expense_credit"] == "11.00"
    ship(shop, number, 10)
    assert shop.get("/api/v1/dealers/D1/balances").json()["expense_credit"] == "22.00"


def test_bad_receipts_are_4xx(shop):
    for body in (
        {"external_id": "R", "dealer": "NOPE", "amount": "1.00", "date": "2026-11-01"},
        {"external_id": "R", "dealer": "D1", "amount": "-1.00", "date": "2026-11-01"},
        {"external_id": "R", "dealer": "D1", "amount": "0", "date": "2026-11-01"},
        {"external_id": "R", "dealer": "D1", "amount": "1.00", "date": "soon"},
    ):
        response = shop.post("/api/v1/receipts", body)
        assert 400 <= response.status_code < 500, (body, response.content)
    assert shop.get("/api/v1/dealers/D1/balances").json()["prepayment"] == "0.00"
