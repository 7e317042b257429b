"""Master data from the ERP: idempotent PUTs (201 then 200) and clear 4xx for bad input."""

import pytest

from catalog.models import Product, Stock
from dealers.models import Dealer


def test_put_creates_then_replaces(api):
    """The same PUT twice creates once (201) and then replaces (200)."""
    body = {"name": "总部", "parent": None}
    assert api.put("/api/v1/sales-orgs/HQ", body).status_code == 201
    assert api.put("/api/v1/sales-orgs/HQ", {**body, "name": "集团"}).status_code == 200
    response = api.put("/api/v1/sales-orgs/EAST", {"name": "华东", "parent": "HQ"})
    assert response.json() == {"code": "EAST", "name": "华东", "parent": "HQ"}


def test_full_master_data_flow(api):
    """Orgs, categories, products, tier prices, warehouses, stock, dealers and logins."""
    assert api.put("/api/v1/sales-orgs/HQ", {"name": "HQ"}).status_code == 201
    assert api.put("/api/v1/categories/TEA", {"name": "茶"}).status_code == 201
    product = {
        "name": "龙井",
        "category": "TEA",
        "unit": "case",
        "price": "120.00",
        "cost": "80.00",
    }
    assert api.put("/api/v1/products/TEA-1", product).status_code == 201
    assert (
        api.put("/api/v1/price-lists/gold/TEA-1", {"price": "110.00"}).status_code
        == 201
    )
    assert (
        api.put("/api/v1/price-lists/gold/TEA-1", {"price": "105.00"}).status_code
        == 200
    )
    assert api.put("/api/v1/warehouses/SH", {"name": "上海仓"}).status_code == 201
    assert api.put("/api/v1/stock/SH/TEA-1", {"quantity": 40}).status_code == 201
    assert Stock.objects.get(product__sku="TEA-1").quantity == 40
    dealer = {
        "name": "经销商",
        "sales_org": "HQ",
        "tier": "gold",
        "region": "east",
        "customer_since": "2019-05-01",
        "credit_limit": "50000.00",
    }
    response = api.put("/api/v1/dealers/D9", dealer)
    assert response.status_code == 201
    assert response.json()["payment_terms_days"] == 30
    login = {"password": "a-good-password", "phone": "13900000009"}
    assert api.put("/api/v1/dealers/D9/users/d9owner", login).status_code == 201
    assert api.put("/api/v1/dealers/D9/users/d9owner", login).status_code == 200
    assert Dealer.objects.get(code="D9").users.get().phone == "13900000009"


@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        (
            "/api/v1/products/X",
            {"name": "x", "category": "NOPE", "unit": "case", "price": "1.00"},
            422,
        ),
        (
            "/api/v1/products/X",
            {"name": "x", "category": "TEA", "unit": "barrel", "price": "1.00"},
            422,
        ),
        (
            "/api/v1/products/X",
            {"name": "x", "category": "TEA", "unit": "case", "price": "-1.00"},
            422,
        ),
        (
            "/api/v1/products/X",
            {"name": "x", "category": "TEA", "unit": "case", "price": "1.005"},
            422,
        ),
        (
            "/api/v1/products/X",
            {"name": "x", "category": "TEA", "unit": "case", "price": "1e30"},
            422,
        ),
        ("/api/v1/products/X", {"name": "x", "category": "TEA", "unit": "case"}, 422),
        ("/api/v1/products/X", ["not", "an", "object"], 422),
        ("/api/v1/stock/NOWH/TEA-1", {"quantity": 3}, 422),
        ("/api/v1/stock/SH/TEA-1", {"quantity": -3}, 422),
        ("/api/v1/stock/SH/TEA-1", {"quantity": "many"}, 422),
        ("/api/v1/price-lists/gold/NOPE", {"price": "1.00"}, 422),
        ("/api/v1/sales-orgs/EAST", {"name": "x", "parent": "NOPE"}, 422),
        ("/api/v1/dealers/D1", {"name": "x"}, 422),
        ("/api/v1/dealers/NOPE/users/u", {"password": "long-enough-1"}, 404),
    ],
)
def test_bad_master_data_is_4xx_and_changes_nothing(api, url, body, status):
    """Bad input answers a 4xx with a reason and writes nothing."""
    api.put("/api/v1/categories/TEA", {"name": "茶"})
    api.put("/api/v1/warehouses/SH", {"name": "上海仓"})
    api.put(
        "/api/v1/products/TEA-1",
        {"name": "龙井", "category": "TEA", "unit": "case", "price": "120.00"},
    )
    products_before = list(Product.objects.values_list("sku", "list_price"))
    response = api.put(url, body)
    assert response.status_code == status, response.content
    payload = response.json()
    assert payload["detail"]
    assert payload["code"]
    assert list(Product.objects.values_list("sku", "list_price")) == products_before
    assert not Stock.objects.exists()


def test_malformed_json_is_400(api):
    response = api.put("/api/v1/categories/TEA", "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_moving_an_org_below_itself_is_409(api):
    api.put("/api/v1/sales-orgs/HQ", {"name": "HQ"})
    api.put("/api/v1/sales-orgs/EAST", {"name": "East", "parent": "HQ"})
    response = api.put("/api/v1/sales-orgs/HQ", {"name": "HQ", "parent": "EAST"})
    assert response.status_code == 409


def test_sales_history_is_idempotent_by_external_id(api, world):
    """Replaying the same records creates nothing new and names unknown codes."""
    records = [
        {
            "external_id": "H1",
            "dealer": "D1",
            "sku": "TEA-C-01",
            "quantity": 10,
            "amount": "800.00",
            "date": "2026-10-01",
        },
        {
            "external_id": "H2",
            "dealer": "D1",
            "sku": "TEA-C-01",
            "quantity": 5,
            "amount": "400.00",
            "date": "2026-10-02",
        },
    ]
    first = api.post("/api/v1/sales-history", {"records": records})
    assert first.json() == {"received": 2, "created": 2, "duplicates": 0}
    again = api.post("/api/v1/sales-history", {"records": records})
    assert again.json() == {"received": 2, "created": 0, "duplicates": 2}
    bad = api.post(
        "/api/v1/sales-history",
        {"records": [{**records[0], "external_id": "H3", "dealer": "NOPE"}]},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "records[0].dealer"


def test_nul_in_text_is_refused_before_it_reaches_the_database(api):
    """PostgreSQL cannot store NUL: the API says so with a 422 instead of failing."""
    response = api.put("/api/v1/warehouses/SH", {"name": "上海\x00仓"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"

    response = api.get("/api/v1/dealers/D%00X/balances")
    assert response.status_code == 400
    assert response.json()["detail"]

    assert api.put("/api/v1/warehouses/SH", {"name": "上海仓"}).status_code == 201
