"""Quotes and orders on behalf of a dealer, and the dealer's promotions."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Header, Router, Status

from api import schemas, serializers
from api.responses import DealerPromotionsOut, OrderOut, QuoteOut, answers
from common.errors import InvalidInput
from dealers import selectors as dealer_selectors
from orders import selectors as order_selectors
from orders import services as order_services
from orders.models import Order
from promos import selectors as promo_selectors

router = Router(tags=["quotes and orders"])


def _lines(payload) -> list[tuple[str, int]]:
    return [(line.sku, line.quantity) for line in payload.lines]


@router.get(
    "/dealers/{code}/promotions",
    response=answers(200, schema=DealerPromotionsOut),
    exclude_unset=True,
)
def dealer_promotions(request: HttpRequest, code: schemas.Code):
    """Promotions the dealer can get now, each with its hints."""
    dealer = dealer_selectors.dealer_get(code=code)
    offers = promo_selectors.dealer_promotions(dealer=dealer)
    return {"dealer": dealer.code, "promotions": [offer.to_dict() for offer in offers]}


@router.post("/dealers/{code}/quote", response=answers(200, schema=QuoteOut))
def quote(request: HttpRequest, code: schemas.Code, payload: schemas.QuoteIn):
    """Price a cart; stores nothing."""
    dealer = dealer_selectors.dealer_get(code=code)
    result = order_services.order_quote(
        dealer=dealer,
        lines=_lines(payload),
        gift_choices=payload.gift_choices,
        use_expense_credit=payload.use_expense_credit,
    )
    return result.to_dict()


@router.post("/dealers/{code}/orders", response=answers(200, 201, schema=OrderOut))
def place_order(
    request: HttpRequest,
    code: schemas.Code,
    payload: schemas.OrderIn,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Any unique string per order: a retry with the same key "
            "returns the first order (200) instead of placing another.",
        ),
    ],
):
    """Place an order; the same Idempotency-Key returns the first order (200)."""
    if not idempotency_key:
        raise InvalidInput(
            "The Idempotency-Key header is required.", code="idempotency_key_required"
        )
    dealer = dealer_selectors.dealer_get(code=code)
    placement = order_services.order_place(
        dealer=dealer,
        lines=_lines(payload),
        idempotency_key=idempotency_key,
        gift_choices=payload.gift_choices,
        use_expense_credit=payload.use_expense_credit,
        expected_total=payload.expected_total,
        note=payload.note,
        source=Order.Source.API,
        contract_override=payload.contract_override,
    )
    order = order_selectors.order_get(number=placement.order.number)
    return Status(201 if placement.created else 200, serializers.order_dict(order))


@router.get("/orders/{number}", response=answers(200, schema=OrderOut))
def get_order(request: HttpRequest, number: schemas.Code):
    return serializers.order_dict(order_selectors.order_get(number=number))


@router.post("/orders/{number}/cancel", response=answers(200, schema=OrderOut))
def cancel_order(
    request: HttpRequest, number: schemas.Code, payload: schemas.CancelIn | None = None
):
    """Cancel that much of the unshipped quantity; no body cancels all unshipped."""
    lines = None if payload is None or payload.lines is None else _lines(payload)
    order = order_services.order_cancel(number=number, lines=lines)
    return serializers.order_dict(order_selectors.order_get(number=order.number))
