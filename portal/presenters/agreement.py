"""The dealer's agreement as the "My agreement" page and the home fragment show it."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from common.periods import Period
from contracts import selectors
from contracts.selectors import AgreementReport, Rebate, TargetProgress


def period_label(period: Period) -> str:
    """2026 / Q4 2026 / Mar 2026 in the reader's language."""
    year = period.first.year
    if period.kind == "year":
        return _("%(year)s full year") % {"year": year}
    if period.kind == "quarter":
        quarter = (period.first.month - 1) // 3 + 1
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    return _("%(month)s/%(year)s") % {"month": period.first.month, "year": year}


@dataclass(frozen=True)
class NextStep:
    """What is left to the next rebate tier, in money and (roughly) in cases."""

    rebate: Rebate
    remaining: Decimal
    cases: int | None
    rebate_percent: Decimal
    label: str


def _next_step(rebate: Rebate, progress: tuple[TargetProgress, ...]) -> NextStep | None:
    if rebate is None or rebate.next_tier is None or rebate.settlement is not None:
        return None
    whole = next(
        (p for p in progress if p.period == rebate.period and p.category_code is None),
        None,
    )
    cases = None
    if whole and whole.achieved_quantity:
        per_case = whole.achieved / whole.achieved_quantity
        cases = math.ceil(rebate.next_remaining / per_case) if per_case else None
    return NextStep(
        rebate=rebate,
        remaining=rebate.next_remaining,
        cases=cases,
        rebate_percent=rebate.next_tier.rebate_percent,
        label=period_label(rebate.period),
    )


@dataclass(frozen=True)
class AgreementPage:
    report: AgreementReport
    status: str
    status_label: str
    next_step: NextStep | None
    rows: list[dict]


def _status_label(status: str) -> str:
    return {
        "draft": _("Draft"),
        "submitted": _("Waiting for approval"),
        "approved": _("Approved, not started"),
        "active": _("In force"),
        "closed": _("Ended"),
        "terminated": _("Terminated"),
    }[status]


def agreement_page(*, dealer) -> AgreementPage | None:
    """Everything "My agreement" shows; None when the dealer has no agreement."""
    report = selectors.dealer_agreement_report(dealer=dealer)
    if report is None:
        return None
    status = selectors.agreement_status(report.agreement, on=report.on)
    rows = [
        {
            "progress": p,
            "label": period_label(p.period),
            "current": p.period.contains(report.on),
        }
        for p in report.progress
    ]
    return AgreementPage(
        report=report,
        status=status,
        status_label=_status_label(status),
        next_step=_next_step(report.rebate, report.progress),
        rows=rows,
    )
