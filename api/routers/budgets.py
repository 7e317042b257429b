"""Sales orgs' promotion expense budgets (费用预算) per period (api-v1.md Additions)."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from api.responses import ERRORS, MoneyStr
from api.routers.agreements import PeriodName
from api.schemas import Code, Money
from dealers import selectors as dealer_selectors
from promos import selectors, services

router = Router(tags=["budgets"])
ZERO = Decimal("0.00")


class OrgBudgetIn(Schema):
    amount: Money


class FiguresOut(Schema):
    amount: MoneyStr
    committed: MoneyStr
    spent: MoneyStr
    available: MoneyStr


class OrgBudgetOut(FiguresOut):
    sales_org: str
    period: str
    rollup: FiguresOut


def _shown(org, period: str) -> dict:
    own, rollup = selectors.org_budget_figures(org=org, period=period)
    if own is None:
        own = selectors.OrgBudgetFigures(ZERO, ZERO, ZERO)
    return {
        "sales_org": org.code,
        "period": period,
        **own.to_dict(),
        "rollup": rollup.to_dict(),
    }


@router.put(
    "/sales-orgs/{code}/budgets/{period}",
    response={200: OrgBudgetOut, 201: OrgBudgetOut, **ERRORS},
)
def put_budget(
    request: HttpRequest, code: Code, period: PeriodName, payload: OrgBudgetIn
):
    """Set the org's promotion expense budget for a period; below what approved
    promotions already hold is 409 ``org_budget``."""
    org = dealer_selectors.sales_org_get(code=code)
    budget, created = services.org_budget_set(
        org=org, period=period, amount=payload.amount
    )
    return Status(201 if created else 200, _shown(org, budget.period))


@router.get(
    "/sales-orgs/{code}/budgets/{period}", response={200: OrgBudgetOut, **ERRORS}
)
def get_budget(request: HttpRequest, code: Code, period: PeriodName):
    """The org's own budget, committed, spent and available, and the roll-up over
    its sub-orgs (zeros where no budget is set)."""
    org = dealer_selectors.sales_org_get(code=code)
    return _shown(org, period)
