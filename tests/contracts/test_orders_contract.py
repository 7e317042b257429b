"""Orders meet agreements: contract evaluation on quote and place, progress from
shipments, rebates accrued and settled once."""

import pytest
from django.utils import timezone

from contracts.models import ContractOverride
from orders import selectors as order_selectors
from orders.models import AccountMovement, Order
from tests.contracts.fixtures import agreement_body
from tests.world import gift_promotion

YEAR = timezone.localdate().year


def place(api, sku="TEA-A-01", quantity=50, key="k1", status=201, **extra):
    response = api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": sku, "quantity": quantity}], **extra},
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == status, response.content
    return response.json()


def ship(api, number, quantity, external_id):
    response = api.post(
        "/api/v1/shipments",
        {
            "external_id": external_id,
            "order": number,
            "warehouse": "SH",
            "lines": [{"sku": "TEA-A-01", "quantity": quantity}],
        },
    )
    assert response.status_code == 201, response.content


def test_without_an_agreement_contract_is_null(shop):
    quote = shop.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "JUICE-01", "quantity": 1}]}
    ).json()
    assert quote["contract"] is None


def test_an_order_outside_the_agreement_is_blocked_with_the_reason(signed):
    """The quote names the issue; placing is 422 ``contract`` and writes nothing."""
    quote = signed.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "JUICE-01", "quantity": 1}]}
    ).json()
    [issue] = quote["contract"]["issues"]
    assert issue["code"] == "outside_categories"
    assert issue["blocking"] is True
    assert "JUICE-01" in issue["message"]
    body = place(signed, "JUICE-01", 1, status=422)
    assert body["code"] == "contract"
    assert body["contract"]["issues"][0]["code"] == "outside_categories"
    assert not Order.objects.exists()


def test_an_authorised_override_places_it_and_is_recorded(signed):
    """The integration overrides: the order is placed, traces the agreement version,
    and the override is recorded with the issues it let through."""
    body = place(signed, "JUICE-01", 1, contract_override=True)
    order = Order.objects.get(number=body["number"])
    assert order.agreement_version.agreement.code == "A-D1"
    assert order.agreement_version.number == 1
    override = ContractOverride.objects.get(order_number=order.number)
    assert override.issues[0]["code"] == "outside_categories"
    assert override.by is None


def test_a_dealer_cannot_override(signed, world):
    """A dealer's own login has no authority over the agreement: nothing is placed."""
    from common.errors import Forbidden
    from orders import services
    from tests.dealers.factories import DealerUserFactory

    user = DealerUserFactory(dealer=world["dealer"], user__username="own").user
    with pytest.raises(Forbidden):
        services.order_place(
            dealer=world["dealer"],
            lines=[("JUICE-01", 1)],
            idempotency_key="x",
            placed_by=user,
            contract_override=True,
        )
    assert not Order.objects.exists()


def test_warn_enforcement_places_with_the_warning(shop):
    for response in (
        shop.put("/api/v1/agreements/A-D1", agreement_body(enforcement="warn")),
        shop.post("/api/v1/agreements/A-D1/submit"),
        shop.post("/api/v1/agreements/A-D1/approve"),
    ):
        assert response.status_code in (200, 201)
    body = place(shop, "JUICE-01", 1)
    order = Order.objects.get(number=body["number"])
    assert order.quote["contract"]["issues"][0]["blocking"] is False
    assert not ContractOverride.objects.exists()


def test_a_draft_agreement_blocks_as_not_active(shop):
    shop.put("/api/v1/agreements/A-D1", agreement_body())
    body = place(shop, status=422)
    assert body["contract"]["issues"][0]["code"] == "not_active"


def progress(api):
    body = api.get("/api/v1/agreements/A-D1").json()
    return {(p["period"], p["category"]): p for p in body["progress"]}, body


def test_progress_counts_shipped_net_amounts_and_rebate_accrues(signed):
    """Ordered is not achieved; shipped is. 99 % reaches the 80 % tier (1 %), and the
    next tier is 100.00 away."""
    first = place(signed, key="a")["number"]
    rows, _ = progress(signed)
    assert rows[(f"{YEAR}", None)]["achieved"] == "0.00"
    ship(signed, first, 40, "E1")
    rows, body = progress(signed)
    assert rows[(f"{YEAR}", None)]["achieved"] == "4400.00"
    assert rows[(f"{YEAR}-Q4", "TEA-A")]["percent"] == "88.00"
    assert body["rebate"]["tier"] is None
    second = place(signed, key="b")["number"]
    ship(signed, second, 50, "E2")
    rows, body = progress(signed)
    assert rows[(f"{YEAR}", None)]["achieved"] == "9900.00"
    rebate = body["rebate"]
    assert rebate["period"] == f"{YEAR}-Q4" or rebate["period"] == f"{YEAR}"
    whole = {r["period"]: r for r in body["rebates"]}[f"{YEAR}"]
    assert whole["tier"]["rebate_percent"] == "1.00"
    assert whole["accrued"] == "99.00"
    assert whole["next_tier"]["remaining"] == "100.00"


def test_a_cancellation_that_reprices_moves_progress(signed, approve):
    """10 % off from 50 cases: 40 shipped count at 99.00; cancelling the other 10
    loses the discount, and the 40 shipped now count at 110.00."""
    approve(
        gift_promotion(
            code="P-OFF",
            condition={
                "type": "quantity",
                "items": {"categories": ["TEA-A"]},
                "min": 50,
            },
            reward={"type": "percent_off", "percent": "10"},
            repeat=False,
            max_applications_per_order=None,
        )
    )
    number = place(signed, key="a")["number"]
    ship(signed, number, 40, "E1")
    rows, _ = progress(signed)
    assert rows[(f"{YEAR}", None)]["achieved"] == "3960.00"
    response = signed.post(f"/api/v1/orders/{number}/cancel")
    assert response.status_code == 200, response.content
    rows, _ = progress(signed)
    assert rows[(f"{YEAR}", None)]["achieved"] == "4400.00"


def test_settlement_credits_the_rebate_once(signed, world):
    """The first settle credits 99.00 to expense credit (201); a repeat answers the
    same settlement (200) and credits nothing."""
    for key, external_id in (("a", "E1"), ("b", "E2")):
        number = place(signed, quantity=45, key=key)["number"]
        ship(signed, number, 45, external_id)
    first = signed.post("/api/v1/agreements/A-D1/settle", {"period": f"{YEAR}"})
    assert first.status_code == 201, first.content
    assert first.json()["amount"] == "99.00"
    again = signed.post("/api/v1/agreements/A-D1/settle", {"period": f"{YEAR}"})
    assert again.status_code == 200
    assert again.json() == first.json()
    balance = order_selectors.account_balance(
        dealer=world["dealer"], account=AccountMovement.Account.EXPENSE_CREDIT
    )
    assert str(balance) == "99.00"
    rebate = {
        r["period"]: r for r in signed.get("/api/v1/agreements/A-D1").json()["rebates"]
    }
    assert rebate[f"{YEAR}"]["settled"]["amount"] == "99.00"
    missing = signed.post("/api/v1/agreements/A-D1/settle", {"period": "2001"})
    assert missing.status_code == 404
