"""Fulfilment and money from the ERP: shipments, short-closes, deliveries, receipts;
balances and statements for anyone who asks with a key."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from api import schemas, serializers
from api.params import known_query
from api.responses import (
    BalancesOut,
    OrderOut,
    ReceiptOut,
    ShipmentOut,
    StatementOut,
    answers,
)
from common.errors import InvalidInput
from dealers import selectors as dealer_selectors
from orders import selectors as order_selectors
from orders import services as order_services

router = Router(tags=["fulfilment and money"])


@router.post("/shipments", response=answers(200, 201, schema=ShipmentOut))
def post_shipment(request: HttpRequest, payload: schemas.ShipmentIn):
    """Goods left a warehouse; gifts due ship with them or are recorded as owed."""
    result = order_services.shipment_post(
        external_id=payload.external_id,
        order_number=payload.order,
        warehouse=payload.warehouse,
        lines=[(line.sku, line.quantity, line.gift) for line in payload.lines],
        carrier=payload.carrier,
        tracking_no=payload.tracking_no,
    )
    return Status(
        201 if result.created else 200,
        serializers.shipment_dict(result.shipment, result.gifts_owed),
    )


@router.post("/orders/{number}/short-close", response=answers(200, schema=OrderOut))
def short_close(
    request: HttpRequest, number: schemas.Code, payload: schemas.ShortCloseIn
):
    order = order_services.order_short_close(
        number=number, lines=[(line.sku, line.quantity) for line in payload.lines]
    )
    return serializers.order_dict(order_selectors.order_get(number=order.number))


@router.post(
    "/shipments/{external_id}/delivered", response=answers(200, schema=ShipmentOut)
)
def delivered(
    request: HttpRequest, external_id: str, payload: schemas.DeliveredIn | None = None
):
    when = payload.delivered_at if payload else None
    if when is not None and timezone.is_naive(when):
        raise InvalidInput(
            "delivered_at needs a time zone offset.", code="naive_datetime"
        )
    shipment = order_services.shipment_deliver(
        external_id=external_id, delivered_at=when
    )
    return serializers.shipment_dict(shipment, ())


@router.post("/receipts", response=answers(200, 201, schema=ReceiptOut))
def post_receipt(request: HttpRequest, payload: schemas.ReceiptIn):
    """Money received: written off against the receivables it names, the rest by the
    dealer's write-off rule (oldest due first by default); what is left is prepayment."""
    dealer = dealer_selectors.dealer_get(code=payload.dealer)
    receipt, created = order_services.receipt_post(
        external_id=payload.external_id,
        dealer=dealer,
        amount=payload.amount,
        date=payload.date,
        method=payload.method,
        allocations=[(a.receivable, a.amount) for a in payload.allocations],
        order_number=payload.order or "",
    )
    return Status(201 if created else 200, serializers.receipt_dict(receipt))


@router.get("/dealers/{code}/balances", response=answers(200, schema=BalancesOut))
def balances(request: HttpRequest, code: schemas.Code):
    dealer = dealer_selectors.dealer_get(code=code)
    return order_selectors.balances_get(dealer=dealer).to_dict()


@router.get(
    "/dealers/{code}/statement",
    response=answers(200, schema=StatementOut),
    by_alias=True,
)
@known_query("from", "to")
def statement(
    request: HttpRequest,
    code: schemas.Code,
    from_: datetime.date | None = Query(None, alias="from"),
    to: datetime.date | None = None,
):
    """What the dealer owes (positive) or has paid ahead (negative) over a period."""
    dealer = dealer_selectors.dealer_get(code=code)
    period_to = to or timezone.localdate()
    period_from = from_ or period_to.replace(day=1)
    if period_from > period_to:
        raise InvalidInput("'from' is after 'to'.", code="invalid_period")
    return order_selectors.statement_get(
        dealer=dealer, period_from=period_from, period_to=period_to
    ).to_dict()
