"""Tax invoices (发票) from the ERP, and a dealer's invoices read back."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from api import serializers
from api.params import known_query
from api.responses import MoneyStr, answers
from api.schemas import Code, Money, PositiveMoney
from dealers import selectors as dealer_selectors
from orders import selectors as order_selectors
from orders import services as order_services

router = Router(tags=["invoices"])


class InvoicedReceivable(Schema):
    number: Code
    amount: PositiveMoney


class InvoiceIn(Schema):
    external_id: Annotated[str, Field(min_length=1, max_length=64)]
    dealer: Code
    number: Code
    kind: Literal["vat_special", "vat_normal"]
    date: datetime.date
    amount: Money = Field(description="Total including tax (价税合计)")
    tax_amount: Money
    receivables: Annotated[
        list[InvoicedReceivable], Field(min_length=1, max_length=500)
    ]
    reverses: Code | None = Field(
        None,
        description="A credit note (红字发票): the number of the dealer's invoice it "
        "reverses part of; its receivables' amounts come off what that invoice "
        "covers of each (409 over_credited beyond it).",
    )


class InvoiceReceivableOut(Schema):
    number: str
    amount: MoneyStr


class InvoiceOut(Schema):
    external_id: str
    dealer: str
    number: str
    kind: str
    date: datetime.date
    amount: MoneyStr
    tax_amount: MoneyStr
    receivables: list[InvoiceReceivableOut]
    reverses: str | None = Field(
        description="For a credit note, the invoice it reverses"
    )


@router.post("/invoices", response=answers(200, 201, schema=InvoiceOut))
def post_invoice(request: HttpRequest, payload: InvoiceIn):
    """A tax invoice the ERP issued; a receivable is never invoiced beyond its amount
    (409 ``over_invoiced``); with ``reverses``, a credit note; a repeat of
    ``external_id`` answers the first (200)."""
    dealer = dealer_selectors.dealer_get(code=payload.dealer)
    invoice, created = order_services.invoice_record(
        external_id=payload.external_id,
        dealer=dealer,
        number=payload.number,
        kind=payload.kind,
        date=payload.date,
        amount=payload.amount,
        tax_amount=payload.tax_amount,
        receivables=[(r.number, r.amount) for r in payload.receivables],
        reverses=payload.reverses or "",
    )
    return Status(201 if created else 200, serializers.invoice_dict(invoice))


@router.get("/dealers/{code}/invoices", response=answers(200, schema=list[InvoiceOut]))
def dealer_invoices(request: HttpRequest, code: Code):
    """The dealer's invoices, newest first, each with its receivables."""
    dealer = dealer_selectors.dealer_get(code=code)
    return [
        serializers.invoice_dict(invoice)
        for invoice in order_selectors.invoice_list(dealer=dealer)
    ]


class InvoicingDetailsOut(Schema):
    company_name: str
    taxpayer_number: str = Field(description="18-character unified social credit code")
    bank: str
    bank_account: str
    address: str
    phone: str


class InvoiceRequestOut(Schema):
    number: str
    dealer: str
    kind: str
    status: str
    amount: MoneyStr
    details: InvoicingDetailsOut
    receivables: list[InvoiceReceivableOut]
    requested_at: datetime.datetime
    invoiced_at: datetime.datetime | None


def _request_dict(request) -> dict:
    return {
        "number": request.number,
        "dealer": request.dealer.code,
        "kind": request.kind,
        "status": request.status,
        "amount": serializers.money(request.amount),
        "details": request.details,
        "receivables": [
            {"number": r.number, "amount": serializers.money(r.amount)}
            for r in request.receivables.all()
        ],
        "requested_at": request.created_at,
        "invoiced_at": request.closed_at,
    }


@router.get("/invoice-requests", response=answers(200, schema=list[InvoiceRequestOut]))
@known_query("status")
def invoice_requests(
    request: HttpRequest, status: Literal["open", "issued"] | None = "open"
):
    """Invoices dealers asked for (one tap on shipped, uninvoiced receivables), made
    out to their invoicing details: the ERP issues them and posts each back with
    ``POST /invoices``, which closes the request. ``?status=issued`` lists done ones."""
    return [
        _request_dict(r) for r in order_selectors.invoice_requests(status=status)[:500]
    ]
