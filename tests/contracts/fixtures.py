"""Fixtures for agreements: a shop to order in and D1's signed agreement."""

import pytest
from django.utils import timezone


def agreement_body(**overrides) -> dict:
    """D1's agreement for this calendar year: tea only, 80 % → 1 %, 100 % → 2 %."""
    year = timezone.localdate().year
    body = {
        "dealer": "D1",
        "sales_org": "EAST-SH",
        "starts": f"{year}-01-01",
        "ends": f"{year}-12-31",
        "categories": ["TEA"],
        "regions": None,
        "enforcement": "block",
        "targets": [
            {"period": f"{year}", "category": None, "amount": "10000.00"},
            {"period": f"{year}-Q4", "category": "TEA-A", "amount": "5000.00"},
        ],
        "rebate_tiers": [
            {"achieved_percent": "80", "rebate_percent": "1.0"},
            {"achieved_percent": "100", "rebate_percent": "2.0"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def shop(api, world):
    """The world plus a warehouse with tea, and a juice outside the agreement."""
    from tests.catalog.factories import CategoryFactory, ProductFactory

    api.put("/api/v1/warehouses/SH", {"name": "SH"})
    api.put("/api/v1/stock/SH/TEA-A-01", {"quantity": 1000})
    drink = CategoryFactory(code="DRINK")
    ProductFactory(sku="JUICE-01", category=drink, list_price="50.00")
    api.put("/api/v1/stock/SH/JUICE-01", {"quantity": 1000})
    return api


@pytest.fixture
def signed(shop):
    """D1's agreement, approved."""
    for response in (
        shop.put("/api/v1/agreements/A-D1", agreement_body()),
        shop.post("/api/v1/agreements/A-D1/submit"),
        shop.post("/api/v1/agreements/A-D1/approve"),
    ):
        assert response.status_code in (200, 201), response.content
    return shop
