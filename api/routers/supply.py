"""Supply from the ERP: lead times and planned receipts, for promised delivery dates."""

from datetime import date, time
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from api.responses import answers
from api.schemas import Code
from catalog import services as catalog_services
from orders import services as order_services

router = Router(tags=["supply"])


class LeadTimeIn(Schema):
    days: Annotated[int, Field(ge=0, le=365, strict=True)]
    cutoff: time | None = Field(None, description='Local time, e.g. "16:00"')


class LeadTimeOut(Schema):
    warehouse: str
    region: str
    days: int
    cutoff: str


class PlannedReceiptIn(Schema):
    warehouse: Code
    sku: Code
    quantity: Annotated[int, Field(ge=0, le=10_000_000, strict=True)]
    expected_date: date
    status: Literal["planned", "in_progress", "done", "cancelled"] = "planned"


class PlannedReceiptOut(Schema):
    external_id: str
    warehouse: str
    sku: str
    quantity: int
    expected_date: date
    status: str


@router.put(
    "/lead-times/{warehouse}/{region}",
    response=answers(200, 201, schema=LeadTimeOut),
)
def put_lead_time(
    request: HttpRequest, warehouse: str, region: str, payload: LeadTimeIn
):
    """Working days from a warehouse to the dealers of a region, and its cut-off."""
    lead_time, created = catalog_services.lead_time_set(
        warehouse=warehouse, region=region, days=payload.days, cutoff=payload.cutoff
    )
    return Status(
        201 if created else 200,
        {
            "warehouse": warehouse,
            "region": region,
            "days": lead_time.days,
            "cutoff": lead_time.cutoff.strftime("%H:%M"),
        },
    )


@router.put(
    "/planned-receipts/{external_id}",
    response=answers(200, 201, schema=PlannedReceiptOut),
)
def put_planned_receipt(
    request: HttpRequest, external_id: str, payload: PlannedReceiptIn
):
    """Production or a transfer the ERP expects; a later date re-estimates open orders
    and tells their dealers."""
    receipt, created = order_services.planned_receipt_record(
        external_id=external_id, **payload.dict()
    )
    return Status(
        201 if created else 200,
        {
            "external_id": receipt.external_id,
            "warehouse": payload.warehouse,
            "sku": payload.sku,
            "quantity": receipt.quantity,
            "expected_date": receipt.expected_date,
            "status": receipt.status,
        },
    )
