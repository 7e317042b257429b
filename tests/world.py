"""Shared fixtures: an authenticated API client and a small world to order in
(an org tree, tea products, gifts, a gold dealer), plus the seed's gift promotion."""

import json
from decimal import Decimal

import pytest

from api import services as api_services
from tests.catalog.factories import (
    CategoryFactory,
    ProductFactory,
    StockFactory,
    TierPriceFactory,
)
from tests.dealers.factories import DealerFactory, SalesOrgFactory, TierFactory


class ApiClient:
    """Django's test client speaking JSON with a bearer key."""

    def __init__(self, client, key):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def _send(self, method, url, body=None, **headers):
        data = (
            ""
            if body is None
            else (body if isinstance(body, (str, bytes)) else json.dumps(body))
        )
        return getattr(self.client, method)(
            url, data, content_type="application/json", **self.headers, **headers
        )

    def get(self, url, **headers):
        return self.client.get(url, **self.headers, **headers)

    def put(self, url, body=None, **headers):
        return self._send("put", url, body, **headers)

    def post(self, url, body=None, **headers):
        return self._send("post", url, body, **headers)


@pytest.fixture
def api(client, db):
    _key, raw = api_services.api_key_create(name="tests")
    return ApiClient(client, raw)


@pytest.fixture
def world(db):
    """HQ → EAST → EAST-SH; TEA → TEA-A / TEA-C; a gold dealer of 2019 in EAST-SH."""
    hq = SalesOrgFactory(code="HQ")
    east = SalesOrgFactory(code="EAST", parent=hq)
    east_sh = SalesOrgFactory(code="EAST-SH", parent=east)
    south = SalesOrgFactory(code="SOUTH", parent=hq)
    tea = CategoryFactory(code="TEA")
    tea_a = CategoryFactory(code="TEA-A", parent=tea, name="新品茶A", name_en="Tea A")
    tea_c = CategoryFactory(code="TEA-C", parent=tea, name="茶C", name_en="Tea C")
    gifts = CategoryFactory(code="GIFTS")
    tea_a1 = ProductFactory(
        sku="TEA-A-01", category=tea_a, list_price=Decimal("120.00")
    )
    tea_c1 = ProductFactory(sku="TEA-C-01", category=tea_c, list_price=Decimal("80.00"))
    cup = ProductFactory(
        sku="GIFT-CUP",
        category=gifts,
        list_price=Decimal("20.00"),
        cost=Decimal("15.00"),
        gift_only=True,
    )
    bag = ProductFactory(
        sku="GIFT-BAG",
        category=gifts,
        list_price=Decimal("10.00"),
        cost=None,
        gift_only=True,
    )
    StockFactory(product=cup, quantity=100)
    StockFactory(product=tea_a1, quantity=1000)
    gold = TierFactory(code="gold")
    TierPriceFactory(tier="gold", product=tea_a1, price=Decimal("110.00"))
    dealer = DealerFactory(
        code="D1", sales_org=east_sh, tier=gold, credit_limit=Decimal("200000.00")
    )
    return {
        "orgs": {"HQ": hq, "EAST": east, "EAST-SH": east_sh, "SOUTH": south},
        "products": {
            "TEA-A-01": tea_a1,
            "TEA-C-01": tea_c1,
            "GIFT-CUP": cup,
            "GIFT-BAG": bag,
        },
        "dealer": dealer,
    }


def gift_promotion(**overrides) -> dict:
    """The seed's buy-gift example, adjustable."""
    definition = {
        "code": "P-GIFT",
        "name": "Tea launch",
        "sales_org": "EAST",
        "starts_at": "2026-01-01T00:00:00+08:00",
        "ends_at": "2030-01-01T00:00:00+08:00",
        "priority": 50,
        "exclusive": False,
        "audience": {
            "sales_orgs": ["EAST-SH"],
            "tiers": ["gold"],
            "min_tenure_years": 3,
        },
        "condition": {
            "type": "quantity",
            "items": {"categories": ["TEA-A"]},
            "min": 10,
        },
        "reward": {
            "type": "gift",
            "options": [
                {"sku": "GIFT-CUP", "quantity": 1},
                {"sku": "GIFT-BAG", "quantity": 2},
            ],
        },
        "repeat": True,
        "max_applications_per_order": 5,
        "limits": {"budget": "50000.00", "max_applications_per_dealer": 20},
    }
    definition.update(overrides)
    return definition


@pytest.fixture
def approve(api):
    """PUT, submit and approve a definition through the API."""

    def _approve(definition):
        code = definition["code"]
        for response in (
            api.put(f"/api/v1/promotions/{code}", definition),
            api.post(f"/api/v1/promotions/{code}/submit"),
            api.post(f"/api/v1/promotions/{code}/approve"),
        ):
            assert response.status_code in (200, 201), response.content
        return code

    return _approve
