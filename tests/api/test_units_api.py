"""The ERP's unit master: any code the ERP uses, shown by its name in both languages."""

from django.utils import translation

from catalog.models import Product, Unit


def test_put_unit_creates_then_replaces(api):
    """A unit is created (201), replaced (200), and its names read back."""
    response = api.put("/api/v1/units/Pcs", {"name": "个"})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "code": "Pcs",
        "name": {"zh-hans": "个", "en": "个"},
        "decimals": 0,
    }
    response = api.put(
        "/api/v1/units/Pcs", {"name": {"zh-hans": "个", "en": "pcs"}, "decimals": 0}
    )
    assert response.status_code == 200
    assert Unit.objects.get(code="Pcs").name_en == "pcs"


def test_product_in_an_erp_unit_is_shown_by_its_name(api):
    """A product in `箱` (an ERP code) is accepted and shown as its name; unknown is 422."""
    api.put("/api/v1/units/箱", {"name": {"zh-hans": "箱", "en": "carton"}})
    api.put("/api/v1/categories/TEA", {"name": "茶"})
    body = {"name": "龙井", "category": "TEA", "unit": "箱", "price": "120.00"}
    response = api.put("/api/v1/products/TEA-1", body)
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "箱"
    product = Product.objects.get(sku="TEA-1")
    with translation.override("en"):
        assert product.get_unit_display() == "carton"
    with translation.override("zh-hans"):
        assert product.get_unit_display() == "箱"

    response = api.put("/api/v1/products/TEA-2", {**body, "unit": "barrel"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_unit"
    assert not Product.objects.filter(sku="TEA-2").exists()


def test_the_seven_known_units_stay_known(db):
    """The codes the portal knew before the unit master are in it, with their names."""
    assert set(Unit.objects.values_list("code", flat=True)) >= {
        "case",
        "carton",
        "box",
        "bag",
        "bottle",
        "piece",
        "set",
    }
    assert Unit.objects.get(code="case").name == "箱"


def test_bad_unit_bodies_are_422(api):
    """No name, an empty name or decimals out of range is 422 and writes nothing."""
    for body in (
        {},
        {"name": ""},
        {"name": "个", "decimals": 9},
        {"name": {"en": "x"}},
    ):
        assert api.put("/api/v1/units/X", body).status_code == 422, body
    assert not Unit.objects.filter(code="X").exists()
    too_long = "U" * 33
    assert api.put(f"/api/v1/units/{too_long}", {"name": "个"}).status_code == 422


def test_the_unit_operation_is_typed_in_the_openapi_document(api):
    """PUT /units/{code} declares its bodies and every status it can answer."""
    document = api.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/units/{code}"]["put"]
    assert {"200", "201", "400", "401", "422"} <= set(operation["responses"])
    error = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert error["$ref"].endswith("/ErrorOut")
