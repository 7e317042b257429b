"""The OpenAPI document tells the truth: every operation has a typed success body,
declares the error statuses it can give with the error shape, money is a decimal
string with its pattern, and the order's Idempotency-Key header is required."""

import re

import pytest

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def document(api):
    return api.get("/api/v1/openapi.json").json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_operation_answers_a_typed_body_and_declares_its_errors(document):
    untyped, undeclared = [], []
    for label, operation in operations(document):
        responses = operation["responses"]
        ok = [code for code in responses if code.startswith("2")]
        assert ok, label
        for code in ok:
            schema = resolve(
                document, responses[code]["content"]["application/json"]["schema"]
            )
            if schema.get("type") == "array":
                schema = resolve(document, schema["items"])
            if not schema.get("properties"):
                untyped.append((label, code))
        missing = {"400", "401", "404", "409", "422"} - set(responses)
        if missing:
            undeclared.append((label, sorted(missing)))
        error = responses["422"]["content"]["application/json"]["schema"]
        assert error["$ref"].endswith("/ErrorOut"), label
    assert untyped == []
    assert undeclared == []
    assert len(list(operations(document))) >= 35


def test_money_is_a_decimal_string_with_its_pattern(document):
    """Request and response money fields are strings with a pattern, never numbers."""
    schemas = document["components"]["schemas"]
    price = schemas["PriceIn"]["properties"]["price"]
    assert price["type"] == "string"
    assert re.match(price["pattern"], "1280.00")
    assert not re.match(price["pattern"], "1e3")
    total = schemas["OrderOut"]["properties"]["total"]
    assert total["type"] == "string"
    assert re.match(total["pattern"], "-89.02")


def test_the_idempotency_key_is_a_required_documented_header(document):
    operation = document["paths"]["/api/v1/dealers/{code}/orders"]["post"]
    (header,) = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert header["required"] is True
    assert header.get("description")


def test_money_as_a_number_is_refused_not_coerced(api):
    api.put("/api/v1/categories/TEA", {"name": "茶"})
    body = {"name": "龙井", "category": "TEA", "unit": "case", "price": 120.5}
    response = api.put("/api/v1/products/TEA-1", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "price"
    body["price"] = "120.505"
    assert api.put("/api/v1/products/TEA-1", body).status_code == 422
    body["price"] = "120.5"
    assert api.put("/api/v1/products/TEA-1", body).status_code == 201


def test_an_order_without_idempotency_key_says_so(api, world):
    code = world["dealer"].code
    body = {"lines": [{"sku": "TEA-A1", "quantity": 1}]}
    response = api.post(f"/api/v1/dealers/{code}/orders", body)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_required"


def test_an_unknown_query_parameter_is_named_not_ignored(api, world):
    """``?stauts=issued`` is a typo the caller should hear about."""
    response = api.get("/api/v1/invoice-requests?stauts=issued")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_parameter"
    assert response.json()["errors"] == [
        {"field": "stauts", "message": "not a parameter here"}
    ]
    assert api.get("/api/v1/invoice-requests?status=issued").status_code == 200
    code = world["dealer"].code
    assert (
        api.get(f"/api/v1/dealers/{code}/statement?from=2026-01-01").status_code == 200
    )
    assert (
        api.get(f"/api/v1/dealers/{code}/statement?form=2026-01-01").status_code == 422
    )
