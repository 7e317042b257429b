"""Reads about agreements: what applies to a dealer, progress, rebates, evaluation."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from common.errors import NotFound
from common.periods import Period, period_parse
from contracts import evaluation
from contracts.models import (
    Agreement,
    AgreementProgress,
    AgreementTarget,
    AgreementVersion,
    RebateSettlement,
    RebateTier,
)
from dealers.models import Dealer, SalesOrg

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=AgreementVersion.objects.select_related("price_tier").prefetch_related(
            Prefetch(
                "targets",
                queryset=AgreementTarget.objects.select_related("category"),
            ),
            "rebate_tiers",
        ),
    )


def agreement_get(*, code: str, dealer: Dealer | None = None) -> Agreement:
    """One agreement by code (scoped to ``dealer`` when given) with its versions."""
    queryset = Agreement.objects.select_related(
        "dealer", "dealer__region", "sales_org", "live_version"
    ).prefetch_related(_versions_prefetch())
    if dealer is not None:
        queryset = queryset.filter(dealer=dealer)
    agreement = queryset.filter(code=code).first()
    if agreement is None:
        raise NotFound(f"Unknown agreement {code!r}.", code="unknown_agreement")
    return agreement


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    """The newest version (prefetched by ``agreement_get``)."""
    versions = sorted(agreement.versions.all(), key=lambda v: v.number)
    return versions[-1] if versions else None


def applying_version(agreement: Agreement) -> AgreementVersion | None:
    """The version that applies: the approved one, else the newest (a draft)."""
    live = [v for v in agreement.versions.all() if v.pk == agreement.live_version_id]
    return live[0] if live else latest_version(agreement)


def agreement_status(agreement: Agreement, *, on: date | None = None) -> str:
    """The status a person reads: draft, submitted, approved (not yet started),
    active, closed (ended) or terminated."""
    if agreement.status != Agreement.Status.APPROVED:
        return agreement.status
    on = on or timezone.localdate()
    version = applying_version(agreement)
    if version is None or on < version.starts:
        return "approved"
    return "active" if on <= version.ends else "closed"


def agreement_list(
    *, org: SalesOrg | None = None, dealer: Dealer | None = None
) -> QuerySet[Agreement]:
    """Agreements of an org subtree (or of one dealer), with what lists show."""
    queryset = Agreement.objects.select_related(
        "dealer", "sales_org", "live_version"
    ).prefetch_related(_versions_prefetch())
    if org is not None:
        queryset = queryset.filter(sales_org__path__startswith=org.path)
    if dealer is not None:
        queryset = queryset.filter(dealer=dealer)
    return queryset.order_by("dealer__code", "code")


def agreement_for_dealer(*, dealer: Dealer, on: date) -> Agreement | None:
    """The agreement that governs the dealer's orders on ``on``.

    An approved, running one first; else one whose dates cover the day (draft,
    submitted, terminated: not active); else the latest that ended, else the next to
    start. None when the dealer has no agreement at all.
    """
    agreements = list(
        Agreement.objects.filter(dealer=dealer)
        .select_related("live_version", "live_version__price_tier")
        .prefetch_related("versions")
    )
    if not agreements:
        return None

    def window(agreement):
        version = applying_version(agreement)
        return version.starts, version.ends

    def running(agreement):
        starts, ends = window(agreement)
        return starts <= on <= ends

    for agreement in agreements:
        if (
            agreement.status == Agreement.Status.APPROVED
            and agreement.live_version_id
            and running(agreement)
        ):
            return agreement
    covering = [a for a in agreements if running(a)]
    if covering:
        return max(covering, key=lambda a: a.pk)
    ended = [a for a in agreements if window(a)[1] < on]
    if ended:
        return max(ended, key=lambda a: window(a)[1])
    return min(agreements, key=lambda a: window(a)[0])


# --- Contract evaluation -----------------------------------------------------------


def terms_of(
    agreement: Agreement, version: AgreementVersion, *, skus: Iterable[str]
) -> evaluation.Terms:
    """The engine's view of one version; price floors for ``skus`` at its price tier."""
    floors = {}
    if version.price_tier_id:
        products = catalog_selectors.products_by_sku(
            skus=list(skus), tier_code=version.price_tier.code
        )
        floors = {sku: catalog_selectors.dealer_price(p) for sku, p in products.items()}
    return evaluation.Terms(
        agreement=agreement.code,
        version=version.number,
        approved=version.pk == agreement.live_version_id,
        terminated=agreement.status == Agreement.Status.TERMINATED,
        starts=version.starts,
        ends=version.ends,
        enforcement=version.enforcement,
        categories=None
        if version.categories is None
        else frozenset(version.categories),
        regions=None if version.regions is None else frozenset(version.regions),
        floors=floors,
        credit_limit=version.credit_limit,
    )


@dataclass(frozen=True)
class ContractCheck:
    """The evaluation of one cart, with the words a dealer reads."""

    result: evaluation.Evaluation
    version_id: int
    owner: SalesOrg
    messages: tuple[str, ...]

    @property
    def blocking(self) -> bool:
        return self.result.blocking

    def to_dict(self) -> dict:
        """The ``contract`` object of a quote or order (api-v1.md Additions)."""
        return {
            "agreement": self.result.agreement,
            "version": self.result.version,
            "issues": [
                {"code": issue.code, "message": message, "blocking": issue.blocking}
                for issue, message in zip(
                    self.result.issues, self.messages, strict=True
                )
            ],
        }


def issue_message(issue: evaluation.Issue) -> str:
    """One sentence a dealer understands for an issue."""
    skus = ", ".join(issue.skus)
    if issue.code == evaluation.NOT_ACTIVE:
        words = {
            "not_approved": _("Your agreement is not approved yet."),
            "expired": _("Your agreement ended on %(ends)s."),
            "not_started": _("Your agreement starts on %(starts)s."),
            "terminated": _("Your agreement was terminated."),
        }
        return words[issue.detail["state"]] % dict(issue.detail)
    if issue.code == evaluation.OUTSIDE_CATEGORIES:
        return _("Not in your agreement's product lines: %(skus)s.") % {"skus": skus}
    if issue.code == evaluation.OUTSIDE_REGIONS:
        return _("Your region %(region)s is outside your agreement's territory.") % {
            "region": issue.detail["region"]
        }
    if issue.code == evaluation.PRICE_FLOOR:
        return _("Priced below your agreement's price list: %(skus)s.") % {"skus": skus}
    return _(
        "This order is beyond your agreement's credit limit (¥%(available)s left of "
        "¥%(limit)s)."
    ) % dict(issue.detail)


def contract_evaluate(
    *,
    dealer: Dealer,
    lines: Iterable[evaluation.Line],
    on: date,
    total: Decimal,
    exposure: Decimal,
) -> ContractCheck | None:
    """Hold a cart against the dealer's agreement; None when the dealer has none."""
    agreement = agreement_for_dealer(dealer=dealer, on=on)
    if agreement is None:
        return None
    lines = tuple(lines)
    version = applying_version(agreement)
    terms = terms_of(agreement, version, skus=[line.sku for line in lines])
    snapshot = evaluation.Snapshot(
        lines=lines, region=dealer.region.code, on=on, total=total, exposure=exposure
    )
    result = evaluation.evaluate(terms, snapshot)
    return ContractCheck(
        result=result,
        version_id=version.pk,
        owner=agreement.sales_org,
        messages=tuple(issue_message(issue) for issue in result.issues),
    )


# --- Progress and rebates ------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    period: Period
    category_code: str | None
    category_name: str
    target_amount: Decimal | None
    target_quantity: int | None
    achieved: Decimal
    achieved_quantity: int

    @property
    def percent(self) -> Decimal:
        if self.target_amount:
            return _q(self.achieved * 100 / self.target_amount)
        if self.target_quantity:
            return _q(Decimal(self.achieved_quantity * 100) / self.target_quantity)
        return ZERO

    @property
    def remaining(self) -> Decimal:
        return max((self.target_amount or ZERO) - self.achieved, ZERO)

    @property
    def remaining_quantity(self) -> int:
        return max((self.target_quantity or 0) - self.achieved_quantity, 0)

    @property
    def bar_percent(self) -> int:
        return int(min(self.percent, Decimal(100)))


@dataclass(frozen=True)
class Rebate:
    """A period's rebate: accrued at the highest tier reached of its whole target."""

    period: Period
    target: Decimal
    achieved: Decimal
    tier: RebateTier | None
    next_tier: RebateTier | None
    settlement: RebateSettlement | None

    @property
    def percent(self) -> Decimal:
        return _q(self.achieved * 100 / self.target) if self.target else ZERO

    @property
    def bar_percent(self) -> int:
        return int(min(self.percent, Decimal(100)))

    @property
    def accrued(self) -> Decimal:
        if self.settlement is not None:
            return self.settlement.amount
        if self.tier is None:
            return ZERO
        return _q(self.achieved * self.tier.rebate_percent / 100)

    @property
    def next_remaining(self) -> Decimal | None:
        if self.next_tier is None:
            return None
        needed = _q(self.target * self.next_tier.achieved_percent / 100)
        return max(needed - self.achieved, ZERO)

    def to_dict(self) -> dict:
        return {
            "period": self.period.name,
            "target": f"{self.target:.2f}",
            "achieved": f"{self.achieved:.2f}",
            "percent": f"{self.percent:.2f}",
            "accrued": f"{self.accrued:.2f}",
            "tier": None
            if self.tier is None
            else {
                "achieved_percent": str(self.tier.achieved_percent),
                "rebate_percent": str(self.tier.rebate_percent),
            },
            "next_tier": None
            if self.next_tier is None
            else {
                "achieved_percent": str(self.next_tier.achieved_percent),
                "rebate_percent": str(self.next_tier.rebate_percent),
                "remaining": f"{self.next_remaining:.2f}",
            },
            "settled": None
            if self.settlement is None
            else {
                "amount": f"{self.settlement.amount:.2f}",
                "at": timezone.localtime(self.settlement.settled_at).isoformat(),
            },
        }


@dataclass(frozen=True)
class AgreementReport:
    agreement: Agreement
    version: AgreementVersion
    progress: tuple[TargetProgress, ...]
    rebates: tuple[Rebate, ...]
    on: date

    @property
    def rebate(self) -> Rebate | None:
        """The rebate of the running period (the shortest that holds today), else the
        last one."""
        running = [r for r in self.rebates if r.period.contains(self.on)]
        if running:
            return min(running, key=lambda r: r.period.days)
        past = [r for r in self.rebates if r.period.last < self.on]
        if past:
            return max(past, key=lambda r: r.period.last)
        return self.rebates[0] if self.rebates else None

    @property
    def accrued_total(self) -> Decimal:
        return sum((r.accrued for r in self.rebates if not r.settlement), ZERO)

    @property
    def settled_total(self) -> Decimal:
        return sum((r.settlement.amount for r in self.rebates if r.settlement), ZERO)


def _tiers(version: AgreementVersion) -> list[RebateTier]:
    return sorted(version.rebate_tiers.all(), key=lambda t: t.achieved_percent)


def agreement_report(
    *, agreement: Agreement, on: date | None = None
) -> AgreementReport | None:
    """Targets with progress and the rebates of every period of the version that
    applies; None for an agreement without a version."""
    on = on or timezone.localdate()
    version = applying_version(agreement)
    if version is None:
        return None
    rows = list(
        AgreementProgress.objects.filter(agreement=agreement).select_related("category")
    )
    settlements = {s.period: s for s in agreement.settlements.all()}
    progress = []
    for target in version.targets.all():
        period = period_parse(target.period)
        amount, quantity = ZERO, 0
        prefix = target.category.path if target.category_id else ""
        for row in rows:
            if period.contains(row.month) and row.category.path.startswith(prefix):
                amount += row.amount
                quantity += row.quantity
        progress.append(
            TargetProgress(
                period=period,
                category_code=target.category.code if target.category_id else None,
                category_name=(
                    target.category.display_name
                    if target.category_id
                    else _("All products")
                ),
                target_amount=target.amount,
                target_quantity=target.quantity,
                achieved=amount,
                achieved_quantity=quantity,
            )
        )
    progress.sort(key=lambda p: (p.period.first, -p.period.days, p.category_code or ""))
    tiers = _tiers(version)
    rebates = []
    for item in progress:
        if item.category_code is not None or not item.target_amount:
            continue
        reached = [t for t in tiers if item.percent >= t.achieved_percent]
        ahead = [t for t in tiers if item.percent < t.achieved_percent]
        rebates.append(
            Rebate(
                period=item.period,
                target=item.target_amount,
                achieved=item.achieved,
                tier=reached[-1] if reached else None,
                next_tier=ahead[0] if ahead else None,
                settlement=settlements.get(item.period.name),
            )
        )
    return AgreementReport(
        agreement=agreement,
        version=version,
        progress=tuple(progress),
        rebates=tuple(rebates),
        on=on,
    )


def rebate_for(*, agreement: Agreement, period: str) -> Rebate:
    """The rebate of one period (a whole-agreement target of the version that applies)."""
    report = agreement_report(agreement=agreement)
    for rebate in report.rebates if report else ():
        if rebate.period.name == period:
            return rebate
    raise NotFound(
        f"Agreement {agreement.code} has no whole-agreement target for {period}.",
        code="unknown_period",
    )


def agreements_to_track(*, dealer_id: int) -> list[tuple[Agreement, date, date]]:
    """The dealer's approved agreements and the dates their progress counts."""
    return [
        (a, a.live_version.starts, a.live_version.ends)
        for a in Agreement.objects.filter(
            dealer_id=dealer_id, live_version__isnull=False
        )
        .exclude(status=Agreement.Status.TERMINATED)
        .select_related("live_version")
    ]


def achievement_facts(*, dealer: Dealer, on: date) -> dict[str, Decimal]:
    """Percent achieved of this year's targets of the dealer's running, approved
    agreement, by category code ("" for the whole agreement): the audience fact
    promotions may ask for (handed to promos by orders)."""
    agreement = agreement_for_dealer(dealer=dealer, on=on)
    if (
        agreement is None
        or agreement.status != Agreement.Status.APPROVED
        or agreement.live_version_id is None
    ):
        return {}
    agreement = agreement_get(code=agreement.code)
    report = agreement_report(agreement=agreement, on=on)
    return {
        item.category_code or "": item.percent
        for item in report.progress
        if item.period.name == str(on.year)
    }


def dealer_agreement_report(
    *, dealer: Dealer, on: date | None = None
) -> AgreementReport | None:
    """The report of the agreement that governs the dealer today (the dealer's view)."""
    on = on or timezone.localdate()
    agreement = agreement_for_dealer(dealer=dealer, on=on)
    if agreement is None:
        return None
    return agreement_report(agreement=agreement_get(code=agreement.code), on=on)


@dataclass(frozen=True)
class AgreementRisk:
    """An agreement's running whole target, projected to the period's end from the
    run-rate so far."""

    agreement: Agreement
    report: AgreementReport
    target: TargetProgress | None

    @property
    def projected(self) -> Decimal | None:
        if self.target is None:
            return None
        period = self.target.period
        elapsed = (min(self.report.on, period.last) - period.first).days + 1
        if elapsed <= 0:
            return None
        return _q(self.target.achieved * period.days / elapsed)

    @property
    def projected_percent(self) -> Decimal | None:
        projected = self.projected
        if projected is None or not self.target.target_amount:
            return None
        return _q(projected * 100 / self.target.target_amount)

    @property
    def at_risk(self) -> bool:
        percent = self.projected_percent
        return percent is not None and percent < 100


def agreement_risk_list(
    *, org: SalesOrg, on: date | None = None
) -> list[AgreementRisk]:
    """Approved agreements of an org subtree with their projection, the most at risk
    first (the shortest running whole-agreement target decides)."""
    on = on or timezone.localdate()
    rows = []
    for agreement in agreement_list(org=org).filter(status=Agreement.Status.APPROVED):
        report = agreement_report(agreement=agreement, on=on)
        running = [
            p
            for p in report.progress
            if p.category_code is None and p.target_amount and p.period.contains(on)
        ]
        target = min(running, key=lambda p: p.period.days) if running else None
        rows.append(AgreementRisk(agreement=agreement, report=report, target=target))
    rows.sort(
        key=lambda r: (
            r.projected_percent is None,
            r.projected_percent or 0,
            r.agreement.code,
        )
    )
    return rows


def agreements_to_approve(*, org: SalesOrg) -> list[Agreement]:
    """Agreements of an org subtree whose newest version waits for approval."""
    return [
        a
        for a in agreement_list(org=org).exclude(status=Agreement.Status.TERMINATED)
        if (latest := latest_version(a)) is not None
        and latest.status == AgreementVersion.Status.SUBMITTED
    ]
