"""Master data from the ERP: PUT creates (201) or replaces (200)."""

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from api import schemas, serializers
from api.responses import (
    DealerOut,
    DealerUserOut,
    ProductOut,
    SalesHistoryOut,
    StockOut,
    TierPriceOut,
    TreeNodeOut,
    WarehouseOut,
    answers,
)
from catalog import services as catalog_services
from catalog.models import Product
from catalog.services import HistoryRecord
from common.errors import InvalidInput
from dealers import selectors as dealer_selectors
from dealers import services as dealer_services
from dealers.models import Dealer, DealerUser
from orders import services as order_services

router = Router(tags=["master data"])


def _status(created: bool) -> int:
    return 201 if created else 200


@router.put("/sales-orgs/{code}", response=answers(200, 201, schema=TreeNodeOut))
def put_sales_org(
    request: HttpRequest, code: schemas.Code, payload: schemas.SalesOrgIn
):
    org, created = dealer_services.sales_org_upsert(
        code=code, name=payload.name, name_en=payload.name_en, parent=payload.parent
    )
    parent = org.get_parent()
    return Status(
        _status(created),
        {
            "code": org.code,
            "name": org.name,
            "parent": parent.code if parent else None,
        },
    )


@router.put("/categories/{code}", response=answers(200, 201, schema=TreeNodeOut))
def put_category(request: HttpRequest, code: schemas.Code, payload: schemas.CategoryIn):
    category, created = catalog_services.category_upsert(
        code=code, name=payload.name, name_en=payload.name_en, parent=payload.parent
    )
    parent = category.get_parent()
    return Status(
        _status(created),
        {
            "code": category.code,
            "name": category.name,
            "parent": parent.code if parent else None,
        },
    )


@router.put("/products/{sku}", response=answers(200, 201, schema=ProductOut))
def put_product(request: HttpRequest, sku: schemas.Code, payload: schemas.ProductIn):
    product, created = catalog_services.product_upsert(sku=sku, **payload.dict())
    return Status(_status(created), serializers.product_dict(product))


@router.put(
    "/price-lists/{tier}/{sku}", response=answers(200, 201, schema=TierPriceOut)
)
def put_price(
    request: HttpRequest,
    tier: schemas.Code,
    sku: schemas.Code,
    payload: schemas.PriceIn,
):
    price, created = catalog_services.tier_price_set(
        tier=tier, sku=sku, price=payload.price
    )
    return Status(
        _status(created),
        {
            "tier": tier,
            "sku": sku,
            "price": serializers.money(price.price),
        },
    )


@router.put("/warehouses/{code}", response=answers(200, 201, schema=WarehouseOut))
def put_warehouse(
    request: HttpRequest, code: schemas.Code, payload: schemas.WarehouseIn
):
    warehouse, created = catalog_services.warehouse_upsert(
        code=code, name=payload.name, name_en=payload.name_en
    )
    return Status(_status(created), {"code": warehouse.code, "name": warehouse.name})


@router.put("/stock/{warehouse}/{sku}", response=answers(200, 201, schema=StockOut))
def put_stock(
    request: HttpRequest,
    warehouse: schemas.Code,
    sku: schemas.Code,
    payload: schemas.StockIn,
):
    stock, created = order_services.stock_record(
        warehouse=warehouse, sku=sku, quantity=payload.quantity
    )
    return Status(
        _status(created),
        {
            "warehouse": warehouse,
            "sku": sku,
            "quantity": stock.quantity,
        },
    )


@router.put("/dealers/{code}", response=answers(200, 201, schema=DealerOut))
def put_dealer(request: HttpRequest, code: schemas.Code, payload: schemas.DealerIn):
    dealer, created = dealer_services.dealer_upsert(code=code, **payload.dict())
    return Status(_status(created), serializers.dealer_dict(dealer))


@router.put(
    "/dealers/{code}/users/{username}",
    response=answers(200, 201, schema=DealerUserOut),
)
def put_dealer_user(
    request: HttpRequest,
    code: schemas.Code,
    username: schemas.Username,
    payload: schemas.DealerUserIn,
):
    dealer = dealer_selectors.dealer_get(code=code)
    errors = []
    if payload.language not in {"zh-hans", "en"}:
        errors.append({"field": "language", "message": "zh-hans or en"})
    if payload.role is not None and payload.role not in DealerUser.Role.values:
        errors.append(
            {"field": "role", "message": f"one of {', '.join(DealerUser.Role.values)}"}
        )
    if not 1 <= len(username) <= 150:
        errors.append({"field": "username", "message": "1 to 150 characters"})
    if errors:
        raise InvalidInput(
            "The login is not valid.", code="invalid_user", errors=errors
        )
    dealer_user, created = dealer_services.dealer_user_upsert(
        dealer=dealer, username=username, **payload.dict()
    )
    return Status(
        _status(created),
        {
            "dealer": dealer.code,
            "username": username,
            "phone": dealer_user.phone,
            "language": dealer_user.language,
            "role": dealer_user.role,
        },
    )


@router.post("/sales-history", response=answers(200, schema=SalesHistoryOut))
@transaction.atomic
def post_sales_history(request: HttpRequest, payload: schemas.SalesHistoryIn):
    dealer_ids = dict(
        Dealer.objects.filter(code__in={r.dealer for r in payload.records}).values_list(
            "code", "pk"
        )
    )
    product_ids = dict(
        Product.objects.filter(sku__in={r.sku for r in payload.records}).values_list(
            "sku", "pk"
        )
    )
    errors = []
    for index, record in enumerate(payload.records):
        if record.dealer not in dealer_ids:
            errors.append(
                {
                    "field": f"records[{index}].dealer",
                    "message": f"unknown dealer {record.dealer}",
                }
            )
        if record.sku not in product_ids:
            errors.append(
                {
                    "field": f"records[{index}].sku",
                    "message": f"unknown product {record.sku}",
                }
            )
    if errors:
        raise InvalidInput(
            "Some records name unknown dealers or products.",
            code="invalid_records",
            errors=errors,
        )
    created = catalog_services.sales_history_record(
        records=[
            HistoryRecord(
                external_id=r.external_id,
                dealer_id=dealer_ids[r.dealer],
                product_id=product_ids[r.sku],
                quantity=r.quantity,
                amount=r.amount,
                date=r.date,
            )
            for r in payload.records
        ]
    )
    return Status(
        200,
        {
            "received": len(payload.records),
            "created": created,
            "duplicates": len(payload.records) - created,
        },
    )
