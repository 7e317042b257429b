"""The API's edges: body size (a real ERP batch fits, larger is 413 in the API's
error shape), strict quantities, printable codes, the login PUT."""

import json

import pytest

from catalog.models import SalesHistory
from dealers.models import DealerUser, SalesOrg


def _records(count: int) -> list[dict]:
    return [
        {
            "external_id": f"ERP-{n:06d}",
            "dealer": "D1",
            "sku": "TEA-C-01" if n % 2 else "TEA-A-01",
            "quantity": 1 + n % 40,
            "amount": f"{80 * (1 + n % 40)}.00",
            "date": f"2026-{1 + n % 9:02d}-{1 + n % 28:02d}",
        }
        for n in range(count)
    ]


def test_a_20000_record_sales_history_batch_is_accepted(api, world):
    """The ERP's real batch (about 3 MB, over Django's 2.5 MB form limit) goes in
    one request."""
    body = json.dumps({"records": _records(20_000)})
    response = api.post("/api/v1/sales-history", body)
    print(f"\n20,000 records: {len(body):,} bytes → {response.status_code}")  # noqa: T201
    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 20_000
    assert SalesHistory.objects.count() == 20_000


def test_a_body_over_the_limit_is_413_in_the_api_error_shape(api, db, settings):
    settings.API_MAX_BODY_BYTES = 1_000
    response = api.post("/api/v1/sales-history", {"records": _records(50)})
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert body["errors"] == []
    assert body["limit"] == 1_000
    assert "1,000 bytes" in body["detail"]


def test_a_body_without_a_length_is_still_limited(api, db, settings):
    """A missing or false Content-Length does not get past the limit."""
    settings.API_MAX_BODY_BYTES = 1_000
    body = json.dumps({"records": _records(50)})
    response = api.client.generic(
        "POST",
        "/api/v1/sales-history",
        body,
        content_type="application/json",
        CONTENT_LENGTH="10",
        **api.headers,
    )
    assert response.status_code in {400, 413}
    assert response.status_code != 500


@pytest.mark.parametrize("quantity", ["10", True, 10.0, 10.5], ids=repr)
def test_quantities_must_be_json_integers(api, world, quantity):
    """No string, boolean or float is taken as a quantity."""
    lines = [{"sku": "TEA-A-01", "quantity": quantity}]
    quote = api.post("/api/v1/dealers/D1/quote", {"lines": lines})
    assert quote.status_code == 422
    assert quote.json()["errors"][0]["field"] == "lines.0.quantity"
    stock = api.put("/api/v1/stock/SH/TEA-A-01", {"quantity": quantity})
    assert stock.status_code == 422
    assert (
        api.post(
            "/api/v1/dealers/D1/quote", {"lines": [{**lines[0], "quantity": 10}]}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "code", ["BAD%01ORG", "BAD%7FORG", "TAB%09ORG", "TWO%20WORDS", "ZW%E2%80%8BSP"]
)
def test_codes_are_printable(api, db, code):
    """Control, invisible and space characters are refused in codes (422), so
    fuzzing cannot create junk organisations."""
    response = api.put(f"/api/v1/sales-orgs/{code}", {"name": "x"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    parent = api.put("/api/v1/sales-orgs/OK", {"name": "x", "parent": "A\x01B"})
    assert parent.status_code == 422
    assert not SalesOrg.objects.filter(code__contains="\x01").exists()
    assert api.put("/api/v1/sales-orgs/华东-1", {"name": "华东"}).status_code == 201


@pytest.mark.parametrize("body", ["[]", '"owner"', "null", "42", '["role", "owner"]'])
def test_the_login_put_needs_an_object(api, world, body):
    response = api.put("/api/v1/dealers/D1/users/newlogin", body)
    assert response.status_code in {400, 422}
    assert not DealerUser.objects.filter(user__username="newlogin").exists()


def test_a_new_login_is_a_viewer_unless_a_role_is_given(api, world):
    """Least privilege: a login made without a role can look, not order or manage;
    replacing it without a role keeps the role it has."""
    created = api.put("/api/v1/dealers/D1/users/quiet", {"password": "long-enough"})
    assert created.status_code == 201
    assert created.json()["role"] == "viewer"
    owner = api.put("/api/v1/dealers/D1/users/boss", {"role": "owner"})
    assert owner.json()["role"] == "owner"
    again = api.put("/api/v1/dealers/D1/users/boss", {"phone": "13900000077"})
    assert again.status_code == 200
    assert again.json()["role"] == "owner"
