"""Dealer agreements from the sales organisation or the ERP: definition, lifecycle,
progress and rebates, and the period's rebate settlement (api-v1.md Additions)."""

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from api.responses import ERRORS, MoneyStr
from api.schemas import Code, Money, decimal_string
from contracts import selectors
from contracts import services as contract_services
from orders import services as order_services

router = Router(tags=["agreements"])

Percent = decimal_string(
    pattern=r"^\d{1,4}(\.\d{1,2})?$",
    description='A percentage, a decimal string such as "85.5"',
    max_digits=6,
    ge=0,
    le=1000,
)
PeriodName = Annotated[str, Field(pattern=r"^\d{4}(-(Q[1-4]|0[1-9]|1[0-2]))?$")]


class TargetIn(Schema):
    period: PeriodName
    category: Code | None = None
    amount: Money | None = None
    quantity: Annotated[int, Field(gt=0, le=100_000_000)] | None = None


class TierIn(Schema):
    achieved_percent: Percent
    rebate_percent: decimal_string(  # type: ignore[valid-type]
        pattern=r"^\d{1,3}(\.\d{1,2})?$",
        description='A percentage up to 100, a decimal string such as "2.5"',
        max_digits=5,
        ge=0,
        le=100,
    )


class AgreementIn(Schema):
    dealer: Code
    sales_org: Code
    starts: date
    ends: date
    categories: list[Code] | None = None
    regions: list[Code] | None = None
    enforcement: Literal["block", "warn"] = "block"
    price_tier: Code | None = None
    credit_limit: Money | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = None
    targets: Annotated[list[TargetIn], Field(max_length=500)] = []
    rebate_tiers: Annotated[list[TierIn], Field(max_length=20)] = []


class TargetOut(TargetIn):
    amount: MoneyStr | None = None


class TierOut(Schema):
    achieved_percent: str
    rebate_percent: str


class ProgressOut(Schema):
    period: str
    category: str | None
    target: MoneyStr | None
    target_quantity: int | None
    achieved: MoneyStr
    achieved_quantity: int
    percent: str


class NextTierOut(TierOut):
    remaining: MoneyStr


class SettledOut(Schema):
    amount: MoneyStr
    at: str


class RebateOut(Schema):
    period: str
    target: MoneyStr
    achieved: MoneyStr
    percent: str
    accrued: MoneyStr
    tier: TierOut | None
    next_tier: NextTierOut | None
    settled: SettledOut | None


class AgreementOut(Schema):
    code: str
    dealer: str
    sales_org: str
    status: str
    version: int | None
    pending_version: int | None
    starts: date
    ends: date
    categories: list[str] | None
    regions: list[str] | None
    enforcement: str
    price_tier: str | None
    credit_limit: str | None
    payment_terms_days: int | None
    document: str | None
    targets: list[TargetOut]
    rebate_tiers: list[TierOut]
    notes: list[str]
    progress: list[ProgressOut]
    rebate: RebateOut | None
    rebates: list[RebateOut]


class SettleIn(Schema):
    period: PeriodName


class SettlementOut(Schema):
    agreement: str
    period: str
    version: int
    achieved: MoneyStr
    target: MoneyStr
    rebate_percent: str
    amount: MoneyStr
    settled_at: str


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def agreement_out(code: str) -> dict:
    """The agreement as api-v1.md Additions spells it, with progress and rebates."""
    agreement = selectors.agreement_get(code=code)
    version = selectors.applying_version(agreement)
    latest = selectors.latest_version(agreement)
    report = selectors.agreement_report(agreement=agreement)
    return {
        "code": agreement.code,
        "dealer": agreement.dealer.code,
        "sales_org": agreement.sales_org.code,
        "status": selectors.agreement_status(agreement),
        "version": version.number,
        "pending_version": latest.number if latest.pk != version.pk else None,
        "starts": version.starts,
        "ends": version.ends,
        "categories": version.categories,
        "regions": version.regions,
        "enforcement": version.enforcement,
        "price_tier": version.price_tier.code if version.price_tier_id else None,
        "credit_limit": _money(version.credit_limit),
        "payment_terms_days": version.payment_terms_days,
        "document": version.document.url if version.document else None,
        "targets": [
            {
                "period": t.period,
                "category": t.category.code if t.category_id else None,
                "amount": _money(t.amount),
                "quantity": t.quantity,
            }
            for t in version.targets.all()
        ],
        "rebate_tiers": [
            {
                "achieved_percent": str(t.achieved_percent),
                "rebate_percent": str(t.rebate_percent),
            }
            for t in selectors._tiers(version)
        ],
        "notes": latest.notes,
        "progress": [
            {
                "period": p.period.name,
                "category": p.category_code,
                "target": _money(p.target_amount),
                "target_quantity": p.target_quantity,
                "achieved": _money(p.achieved),
                "achieved_quantity": p.achieved_quantity,
                "percent": f"{p.percent:.2f}",
            }
            for p in report.progress
        ],
        "rebate": report.rebate.to_dict() if report.rebate else None,
        "rebates": [r.to_dict() for r in report.rebates],
    }


@router.put(
    "/agreements/{code}",
    response={200: AgreementOut, 201: AgreementOut, **ERRORS},
)
def put_agreement(request: HttpRequest, code: Code, payload: AgreementIn):
    """Create or replace a dealer's agreement; a new one is a draft, a change to an
    approved one is a new version to approve while the approved one applies.
    Overlapping another agreement of the dealer is 409 ``overlap``; unknown
    categories, regions or tiers and tiers out of order are 422."""
    data = payload.dict()
    data["targets"] = [
        {**t, "amount": None if t["amount"] is None else str(t["amount"])}
        for t in data["targets"]
    ]
    result = contract_services.agreement_save(code=code, data=data, by=None)
    return Status(201 if result.created else 200, agreement_out(code))


@router.get("/agreements/{code}", response={200: AgreementOut, **ERRORS})
def get_agreement(request: HttpRequest, code: Code):
    """Definition, status, version, progress (shipped net amounts) and rebate."""
    return agreement_out(code)


def _move(verb):
    def endpoint(request: HttpRequest, code: Code):
        verb(code=code, by=None)
        return agreement_out(code)

    return endpoint


for _name, _verb in {
    "submit": contract_services.agreement_submit,
    "approve": contract_services.agreement_approve,
    "terminate": contract_services.agreement_terminate,
}.items():
    router.add_api_operation(
        f"/agreements/{{code}}/{_name}",
        ["POST"],
        _move(_verb),
        response={200: AgreementOut, **ERRORS},
        operation_id=f"agreement_{_name}",
        summary=f"{_name.capitalize()} an agreement (an illegal move is 409)",
    )


@router.post(
    "/agreements/{code}/settle",
    response={200: SettlementOut, 201: SettlementOut, **ERRORS},
)
def settle(request: HttpRequest, code: Code, payload: SettleIn):
    """Credit the period's rebate to the dealer's expense credit; a repeat answers
    the first settlement (200) and credits nothing."""
    result = order_services.rebate_settle(code=code, period=payload.period, by=None)
    s = result.settlement
    return Status(
        201 if result.created else 200,
        {
            "agreement": code,
            "period": s.period,
            "version": s.version.number,
            "achieved": _money(s.achieved),
            "target": _money(s.target),
            "rebate_percent": str(s.rebate_percent),
            "amount": _money(s.amount),
            "settled_at": timezone.localtime(s.settled_at).isoformat(),
        },
    )
