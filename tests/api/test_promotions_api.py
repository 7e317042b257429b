"""Promotion definitions and lifecycle through the API (promotions.md, api-v1.md)."""

import pytest

from promos.models import Promotion, PromotionVersion
from tests.world import gift_promotion


def test_new_definition_is_a_draft(api, world):
    response = api.put("/api/v1/promotions/P-GIFT", gift_promotion())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] is None  # nothing applies yet
    assert body["budget"] == {
        "limit": "50000.00",
        "used": "0.00",
        "remaining": "50000.00",
    }


def test_lifecycle_moves_and_illegal_moves(api, world):
    """draft → pending → approved → paused ↔ approved → ended; anything else is 409."""
    api.put("/api/v1/promotions/P-GIFT", gift_promotion())
    assert api.post("/api/v1/promotions/P-GIFT/approve").status_code == 409
    assert api.post("/api/v1/promotions/P-GIFT/pause").status_code == 409
    assert (
        api.post("/api/v1/promotions/P-GIFT/submit").json()["status"]
        == "pending_approval"
    )
    assert api.post("/api/v1/promotions/P-GIFT/submit").status_code == 409
    approved = api.post("/api/v1/promotions/P-GIFT/approve").json()
    assert approved["status"] == "approved"
    assert approved["version"] == 1
    assert api.post("/api/v1/promotions/P-GIFT/resume").status_code == 409
    assert api.post("/api/v1/promotions/P-GIFT/pause").json()["status"] == "paused"
    assert api.post("/api/v1/promotions/P-GIFT/resume").json()["status"] == "approved"
    assert api.post("/api/v1/promotions/P-GIFT/end").json()["status"] == "ended"
    assert api.post("/api/v1/promotions/P-GIFT/resume").status_code == 409
    assert api.put("/api/v1/promotions/P-GIFT", gift_promotion()).status_code == 409


def test_editing_an_approved_promotion_makes_a_new_version(api, world, approve):
    """The previous approved version keeps applying until the new one is approved."""
    approve(gift_promotion())
    changed = gift_promotion(
        name="Tea launch, bigger",
        condition={"type": "quantity", "items": {"categories": ["TEA-A"]}, "min": 5},
    )
    response = api.put("/api/v1/promotions/P-GIFT", changed)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["version"] == 1
    assert body["latest_version"] == 2
    quote = api.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "TEA-A-01", "quantity": 5}]}
    ).json()
    assert quote["applied"] == []  # still version 1 (min 10)
    api.post("/api/v1/promotions/P-GIFT/submit")
    assert api.post("/api/v1/promotions/P-GIFT/approve").json()["version"] == 2
    quote = api.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "TEA-A-01", "quantity": 5}]}
    ).json()
    assert quote["applied"][0]["version"] == 2
    statuses = dict(PromotionVersion.objects.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "approved"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reward": {"type": "gift", "options": []}}, "reward"),
        ({"reward": {"type": "teleport"}}, "reward"),
        ({"condition": {"type": "quantity", "min": 0}}, "condition"),
        (
            {
                "starts_at": "2027-01-01T00:00:00+08:00",
                "ends_at": "2026-01-01T00:00:00+08:00",
            },
            "ends_at",
        ),
        ({"audience": {"sales_orgs": ["SOUTH"]}}, "audience.sales_orgs[0]"),
        ({"sales_org": "NOPE"}, "sales_org"),
        (
            {"reward": {"type": "gift", "options": [{"sku": "NOPE", "quantity": 1}]}},
            "sku",
        ),
        ({"limits": {"budget": "-5.00"}}, "limits"),
    ],
)
def test_invalid_definitions_are_422_with_field_names(api, world, change, field):
    """Bad definitions are refused with the fields at fault, and nothing is stored."""
    response = api.put("/api/v1/promotions/P-GIFT", gift_promotion(**change))
    assert response.status_code == 422, response.content
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(f.startswith(field) for f in fields), fields
    assert not Promotion.objects.exists()


def test_audience_outside_owner_subtree_is_rejected(api, world):
    """Authority: EAST cannot target SOUTH's dealers."""
    response = api.put(
        "/api/v1/promotions/P-GIFT", gift_promotion(audience={"sales_orgs": ["SOUTH"]})
    )
    assert response.status_code == 422
    assert "outside" in response.json()["errors"][0]["message"]


def test_code_in_body_must_match_url(api, world):
    response = api.put("/api/v1/promotions/OTHER", gift_promotion())
    assert response.status_code == 422


def test_get_reports_budget_and_applications(api, world, approve):
    approve(gift_promotion())
    api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": 20}]},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    body = api.get("/api/v1/promotions/P-GIFT").json()
    assert body["applications"] == 2
    assert body["budget"]["used"] == "30.00"  # 2 cups at cost 15.00
    assert body["budget"]["remaining"] == "49970.00"


def test_unknown_promotion_is_404(api, world):
    assert api.get("/api/v1/promotions/NOPE").status_code == 404
    assert api.post("/api/v1/promotions/NOPE/submit").status_code == 404
