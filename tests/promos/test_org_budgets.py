"""Org expense budgets (费用预算): approving a promotion reserves its budget from its
owning org's budget for the period it starts in, never beyond."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from common.errors import Conflict
from promos import services
from promos.models import OrgBudget, Promotion
from tests.world import gift_promotion


def test_budget_put_and_get_with_rollup(api, world):
    """PUT sets the amount (201, then 200); GET shows the org's own figures and the
    roll-up over its sub-orgs."""
    response = api.put("/api/v1/sales-orgs/EAST/budgets/2026", {"amount": "1000.00"})
    assert response.status_code == 201, response.content
    assert (
        api.put(
            "/api/v1/sales-orgs/EAST-SH/budgets/2026", {"amount": "300.00"}
        ).status_code
        == 201
    )
    body = api.get("/api/v1/sales-orgs/EAST/budgets/2026").json()
    assert body["amount"] == "1000.00"
    assert body["available"] == "1000.00"
    assert body["rollup"]["amount"] == "1300.00"
    assert (
        api.put(
            "/api/v1/sales-orgs/EAST/budgets/2026", {"amount": "900.00"}
        ).status_code
        == 200
    )
    assert api.get("/api/v1/sales-orgs/NOPE/budgets/2026").status_code == 404
    assert api.get("/api/v1/sales-orgs/EAST/budgets/26").status_code == 422


def test_approval_reserves_and_never_goes_beyond(api, world, approve):
    """A promotion with a 50,000 budget starting in 2026 commits 50,000 of EAST's
    2026 budget; a second one that does not fit is 409 ``org_budget`` and stays
    pending; a promotion without a budget draws nothing."""
    api.put("/api/v1/sales-orgs/EAST/budgets/2026", {"amount": "80000.00"})
    approve(gift_promotion())
    body = api.get("/api/v1/sales-orgs/EAST/budgets/2026").json()
    assert (body["committed"], body["available"]) == ("50000.00", "30000.00")
    second = gift_promotion(code="P-TWO")
    api.put("/api/v1/promotions/P-TWO", second)
    api.post("/api/v1/promotions/P-TWO/submit")
    response = api.post("/api/v1/promotions/P-TWO/approve")
    assert response.status_code == 409
    assert response.json()["code"] == "org_budget"
    assert Promotion.objects.get(code="P-TWO").status == "pending_approval"
    approve(gift_promotion(code="P-FREE", limits={}))
    assert OrgBudget.objects.get().committed == Decimal("50000.00")
    # lowering the budget below what is committed is refused
    response = api.put("/api/v1/sales-orgs/EAST/budgets/2026", {"amount": "100.00"})
    assert response.status_code == 409


def test_a_new_version_reserves_only_the_difference(api, world, approve):
    api.put("/api/v1/sales-orgs/EAST/budgets/2026-Q1", {"amount": "60000.00"})
    approve(gift_promotion())
    approve(gift_promotion(limits={"budget": "60000.00"}))
    assert OrgBudget.objects.get().committed == Decimal("60000.00")
    services.promotion_save(data=gift_promotion(limits={"budget": "60000.01"}))
    services.promotion_submit(code="P-GIFT")
    with pytest.raises(Conflict):
        services.promotion_approve(code="P-GIFT")
    assert OrgBudget.objects.get().committed == Decimal("60000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_org_budget_holds_under_concurrent_approvals(world):
    """30 promotions of 10,000 each are approved at once against 70,000: exactly 7
    are approved, the rest answer ``org_budget``, and committed is 70,000."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks (run with DATABASE_URL)")
    services.org_budget_set(
        org=world["orgs"]["EAST"], period="2026", amount=Decimal("70000.00")
    )
    codes = [f"P-{n:02d}" for n in range(30)]
    for code in codes:
        services.promotion_save(
            data=gift_promotion(code=code, limits={"budget": "10000.00"})
        )
        services.promotion_submit(code=code)
    barrier = threading.Barrier(len(codes))

    def run(code):
        barrier.wait()
        try:
            return services.promotion_approve(code=code)
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(codes)) as pool:
        results = list(pool.map(run, codes))
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(getattr(r, "code", None) == "org_budget" for r in refused), refused
    assert len(refused) == 23
    assert Promotion.objects.filter(status="approved").count() == 7
    assert OrgBudget.objects.get().committed == Decimal("70000.00")
