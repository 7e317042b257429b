"""Quotes and orders through the API: priced by the engine, placed once, cancelled safely."""

from decimal import Decimal

import pytest

from orders.models import Order
from promos.models import PromotionBudget, PromotionDealerUsage
from tests.world import gift_promotion

LINES_25 = {"lines": [{"sku": "TEA-A-01", "quantity": 25}]}


def test_quote_prices_at_tier_price_and_grants_gifts(api, world, approve):
    """25 units of Tea A at the gold price earn 2 cups (1 per 10), defaulted."""
    approve(gift_promotion())
    quote = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert quote["lines"][0]["unit_price"] == "110.00"
    assert quote["subtotal"] == "2750.00"
    assert quote["total"] == "2750.00"
    assert quote["gifts"][0] | {} == quote["gifts"][0]
    gift = quote["gifts"][0]
    assert (gift["sku"], gift["quantity"], gift["defaulted"]) == ("GIFT-CUP", 2, True)
    assert quote["applied"] == [
        {
            "promotion": "P-GIFT",
            "version": 1,
            "times": 2,
            "discount": "0.00",
            "gift_cost": "30.00",
            "expense_credit": "0.00",
            "exclusive": False,
        }
    ]
    assert quote["hints"][0]["missing_quantity"] == 5
    assert quote["credit"] == {
        "limit": "200000.00",
        "available": "200000.00",
        "sufficient": True,
    }


def test_quote_stores_nothing(api, world, approve):
    approve(gift_promotion())
    api.post("/api/v1/dealers/D1/quote", LINES_25)
    assert not Order.objects.exists()
    assert PromotionBudget.objects.get().used == Decimal("0.00")


def test_gift_choice_and_decline(api, world, approve):
    """The dealer picks the second option, or declines: nothing given, nothing charged."""
    approve(gift_promotion())
    picked = api.post(
        "/api/v1/dealers/D1/quote", {**LINES_25, "gift_choices": {"P-GIFT": 1}}
    ).json()
    assert (picked["gifts"][0]["sku"], picked["gifts"][0]["quantity"]) == (
        "GIFT-BAG",
        4,
    )
    assert picked["gifts"][0]["in_stock"] is False  # no warehouse has bags: owed later
    declined = api.post(
        "/api/v1/dealers/D1/quote", {**LINES_25, "gift_choices": {"P-GIFT": None}}
    ).json()
    assert declined["applied"][0]["gift_cost"] == "0.00"
    assert all(g["quantity"] == 0 for g in declined["gifts"])


def test_audience_reason_for_a_visible_promotion(api, world, approve):
    """A silver-only promotion tells a gold dealer why it does not apply."""
    approve(
        gift_promotion(
            code="P-SILVER", audience={"sales_orgs": ["EAST-SH"], "tiers": ["silver"]}
        )
    )
    quote = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert quote["applied"] == []
    reason = quote["not_applied"][0]
    assert (reason["promotion"], reason["reason"]) == ("P-SILVER", "audience")
    assert reason["message"]


def test_deals_for_other_dealers_stay_silent(api, world, approve):
    """A promotion naming other dealers is never mentioned to this one."""
    approve(gift_promotion(code="P-VIP", audience={"dealers": ["D777"]}))
    quote = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert quote["not_applied"] == []
    promotions = api.get("/api/v1/dealers/D1/promotions").json()["promotions"]
    assert [p["promotion"] for p in promotions] == []


def test_history_audience_uses_sales_history(api, world, approve):
    """Category C purchases of ¥100,000 in the past year unlock the launch promotion."""
    history = {"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}
    approve(gift_promotion(audience={"sales_orgs": ["EAST-SH"], "history": [history]}))
    before = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert before["not_applied"][0]["reason"] == "audience"
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    api.post(
        "/api/v1/sales-history",
        {
            "records": [
                {
                    "external_id": "H1",
                    "dealer": "D1",
                    "sku": "TEA-C-01",
                    "quantity": 1300,
                    "amount": "104000.00",
                    "date": today,
                }
            ]
        },
    )
    after = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert after["applied"][0]["promotion"] == "P-GIFT"


def test_dealer_promotions_lists_what_it_can_get(api, world, approve):
    approve(gift_promotion())
    promotions = api.get("/api/v1/dealers/D1/promotions").json()["promotions"]
    assert [(p["promotion"], p["eligible"]) for p in promotions] == [("P-GIFT", True)]


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"sku": "TEA-A-01", "quantity": 0}]},
        {"lines": [{"sku": "TEA-A-01", "quantity": -3}]},
        {"lines": [{"sku": "TEA-A-01", "quantity": 10**12}]},
        {"lines": [{"sku": "TEA-A-01", "quantity": "ten"}]},
        {"lines": [{"sku": "NOPE", "quantity": 1}]},
        {"lines": [{"sku": "GIFT-CUP", "quantity": 1}]},
        {"lines": [{"sku": "TEA-A-01", "quantity": 1}], "use_expense_credit": "5.00"},
        {"lines": [{"sku": "TEA-A-01", "quantity": 1}], "gift_choices": {"P-GIFT": -1}},
        {"lines": "TEA-A-01"},
    ],
)
def test_bad_quotes_are_4xx(api, world, approve, body):
    """Nonsense carts are refused with a reason, never a 500."""
    approve(gift_promotion())
    response = api.post("/api/v1/dealers/D1/quote", body)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]


def test_unknown_dealer_is_404(api, world):
    assert api.post("/api/v1/dealers/NOPE/quote", LINES_25).status_code == 404
    assert api.get("/api/v1/dealers/NOPE/promotions").status_code == 404


def test_place_order_persists_lines_gifts_and_ledger(api, world, approve):
    approve(gift_promotion())
    response = api.post(
        "/api/v1/dealers/D1/orders",
        {**LINES_25, "gift_choices": {"P-GIFT": 0}},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 201
    order = response.json()
    assert order["number"].startswith("SO-")
    assert (order["status"], order["fulfilment"], order["payment"]) == (
        "placed",
        "unshipped",
        "unpaid",
    )
    assert order["gifts"][0]["sku"] == "GIFT-CUP"
    assert order["gifts"][0]["quantity"] == 2
    assert order["applied"][0]["version"] == 1
    assert order["total"] == "2750.00"
    budget = PromotionBudget.objects.get()
    assert (budget.used, budget.applications) == (Decimal("30.00"), 2)
    assert PromotionDealerUsage.objects.get().times == 2
    assert (
        api.get(f"/api/v1/orders/{order['number']}").json()["number"] == order["number"]
    )


def test_idempotency_key_replay_and_mismatch(api, world, approve):
    """A repeat returns the first order with 200; the same key with another body is 409."""
    approve(gift_promotion())
    first = api.post("/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    other = api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": 26}]},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 409
    assert Order.objects.count() == 1
    assert PromotionBudget.objects.get().applications == 2


def test_missing_idempotency_key_is_refused(api, world):
    response = api.post("/api/v1/dealers/D1/orders", LINES_25)
    assert response.status_code in (400, 422)
    assert not Order.objects.exists()


def test_expected_total_mismatch_is_409_with_fresh_quote(api, world, approve):
    """The client's total is checked, never trusted: a stale total gets the fresh quote."""
    response = api.post(
        "/api/v1/dealers/D1/orders",
        {**LINES_25, "expected_total": "2000.00"},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 409
    assert response.json()["quote"]["total"] == "2750.00"
    assert not Order.objects.exists()
    ok = api.post(
        "/api/v1/dealers/D1/orders",
        {**LINES_25, "expected_total": "2750.00"},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert ok.status_code == 201


def test_over_credit_goes_on_hold(api, world):
    world["dealer"].credit_limit = Decimal("1000.00")
    world["dealer"].save()
    order = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1"
    ).json()
    assert order["status"] == "credit_hold"


def test_cancel_part_recomputes_gifts_and_gives_budget_back(api, world, approve):
    """Cancelling 10 of 25 leaves 15 units: 1 gift instead of 2, budget returned."""
    approve(gift_promotion())
    number = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1"
    ).json()["number"]
    response = api.post(
        f"/api/v1/orders/{number}/cancel",
        {"lines": [{"sku": "TEA-A-01", "quantity": 10}]},
    )
    assert response.status_code == 200
    order = response.json()
    assert order["lines"][0]["cancelled"] == 10
    assert order["gifts"][0]["quantity"] == 1
    assert order["total"] == "1650.00"
    assert order["status"] == "placed"
    budget = PromotionBudget.objects.get()
    assert (budget.used, budget.applications) == (Decimal("15.00"), 1)
    assert PromotionDealerUsage.objects.get().times == 1


def test_cancel_all_gives_everything_back(api, world, approve):
    approve(gift_promotion())
    number = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1"
    ).json()["number"]
    order = api.post(f"/api/v1/orders/{number}/cancel").json()
    assert order["status"] == "cancelled"
    assert order["total"] == "0.00"
    assert PromotionBudget.objects.get().used == Decimal("0.00")
    assert api.post(f"/api/v1/orders/{number}/cancel").status_code == 409


@pytest.mark.parametrize(
    "lines",
    [
        [{"sku": "TEA-A-01", "quantity": 26}],
        [{"sku": "TEA-C-01", "quantity": 1}],
        [{"sku": "TEA-A-01", "quantity": 0}],
    ],
)
def test_bad_cancellations_change_nothing(api, world, approve, lines):
    approve(gift_promotion())
    number = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-1"
    ).json()["number"]
    response = api.post(f"/api/v1/orders/{number}/cancel", {"lines": lines})
    assert 400 <= response.status_code < 500
    assert api.get(f"/api/v1/orders/{number}").json()["lines"][0]["cancelled"] == 0
    assert PromotionBudget.objects.get().used == Decimal("30.00")


def test_unknown_order_is_404(api, world):
    assert api.get("/api/v1/orders/SO-999999").status_code == 404
    assert api.post("/api/v1/orders/SO-999999/cancel").status_code == 404


def test_budget_cuts_times_and_then_says_why(api, world, approve):
    """A budget that covers 3 cups gives 3 of 5 earned; exhausted, the reason is budget."""
    approve(gift_promotion(limits={"budget": "45.00"}))
    lines = {"lines": [{"sku": "TEA-A-01", "quantity": 50}]}
    first = api.post(
        "/api/v1/dealers/D1/orders", lines, HTTP_IDEMPOTENCY_KEY="k-1"
    ).json()
    assert first["gifts"][0]["quantity"] == 3
    quote = api.post("/api/v1/dealers/D1/quote", lines).json()
    assert quote["applied"] == []
    assert quote["not_applied"][0]["reason"] == "budget"


def test_dealer_limit_caps_lifetime_times(api, world, approve):
    approve(gift_promotion(limits={"max_applications_per_dealer": 3}))
    api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": 20}]},
        HTTP_IDEMPOTENCY_KEY="a",
    )
    second = api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": 20}]},
        HTTP_IDEMPOTENCY_KEY="b",
    ).json()
    assert second["applied"][0]["times"] == 1
    quote = api.post("/api/v1/dealers/D1/quote", LINES_25).json()
    assert quote["not_applied"][0]["reason"] == "dealer_limit"


def test_order_erp_reference_is_null_without_a_connector_and_set_with_one(api, world):
    """`erp` is null for an order no connector handles, and the ERP's bill otherwise."""
    from orders import services

    number = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="erp-1"
    ).json()["number"]
    assert api.get(f"/api/v1/orders/{number}").json()["erp"] is None
    services.order_erp_mark(
        number=number, system="k3cloud", status="pushed", erp_number=number
    )
    assert api.get(f"/api/v1/orders/{number}").json()["erp"] == {
        "system": "k3cloud",
        "number": number,
        "status": "pushed",
        "error": None,
    }
