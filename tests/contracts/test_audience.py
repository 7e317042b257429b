"""Promotions may target agreement achievement: the fact is handed in by orders."""

from django.utils import timezone

from tests.contracts.test_orders_contract import place, ship
from tests.world import gift_promotion

YEAR = timezone.localdate().year


def test_a_promotion_for_dealers_who_reached_their_tea_target(signed, approve):
    """ "Achieved ≥ 80 % of this year's TEA-A target": refused with the reason before,
    applied once shipments reach it; the definition keeps the criterion."""
    definition = gift_promotion(
        code="P-LOYAL",
        audience={
            "sales_orgs": ["EAST-SH"],
            "agreement": [{"category": "TEA-A", "min_percent": "80"}],
        },
    )
    approve(definition)
    stored = signed.get("/api/v1/promotions/P-LOYAL").json()
    assert "agreement" in str(stored)
    cart = {"lines": [{"sku": "TEA-A-01", "quantity": 10}]}
    before = signed.post("/api/v1/dealers/D1/quote", cart).json()
    [refusal] = before["not_applied"]
    assert refusal["reason"] == "audience"
    assert "80" in refusal["message"]
    number = place(signed, quantity=40, key="a")["number"]
    ship(signed, number, 40, "E1")  # 4,400 of the 5,000 Q4 TEA-A target; year: none
    # The TEA-A target is quarterly, so the annual whole target decides nothing here:
    # only a yearly TEA-A target counts, and there is none.
    still = signed.post("/api/v1/dealers/D1/quote", cart).json()
    assert still["not_applied"][0]["reason"] == "audience"
    signed.put(
        "/api/v1/agreements/A-D1",
        {
            **signed.get("/api/v1/agreements/A-D1").json(),
            "targets": [
                {"period": f"{YEAR}", "category": "TEA-A", "amount": "5000.00"}
            ],
        },
    )
    signed.post("/api/v1/agreements/A-D1/submit")
    signed.post("/api/v1/agreements/A-D1/approve")
    after = signed.post("/api/v1/dealers/D1/quote", cart).json()
    assert [a["promotion"] for a in after["applied"]] == ["P-LOYAL"]
