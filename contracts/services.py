"""Writes about agreements: definitions, lifecycle moves, progress, settlements, overrides.

The rebate settlement credits the dealer's expense credit, an account orders keeps:
``orders.services.rebate_settle`` calls ``rebate_settlement_record`` here and writes
the credit in the same transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category
from common.errors import Conflict, Forbidden, InvalidInput
from common.periods import period_parse
from contracts import selectors
from contracts.models import (
    Agreement,
    AgreementProgress,
    AgreementTarget,
    AgreementVersion,
    ContractOverride,
    RebateSettlement,
    RebateTier,
)
from dealers import selectors as dealer_selectors
from dealers.models import Dealer, Region, SalesOrg, Tier


def _check_authority(*, user, org: SalesOrg, approve: bool) -> None:
    """The promotions' rule (dealers.selectors.org_authority) for agreements."""
    reason = dealer_selectors.org_authority(user=user, org=org, approve=approve)
    if reason == "outside_org":
        raise Forbidden(
            _("Only staff of %(org)s or above can manage its agreements.")
            % {"org": org.code},
            code="outside_org",
        )
    if reason == "not_manager":
        raise Forbidden(
            _("Only a sales manager can approve, terminate or override an agreement."),
            code="not_manager",
        )


# --- Definitions ----------------------------------------------------------------------


@dataclass
class _Parsed:
    dealer: Dealer
    owner: SalesOrg
    fields: dict
    targets: list[AgreementTarget] = field(default_factory=list)
    tiers: list[RebateTier] = field(default_factory=list)


def _decimal(value, path: str, errors: list, *, money: bool = False):
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number > Decimal("1e11")
    ):
        errors.append({"field": path, "message": "must be a decimal of 0 or more"})
        return None
    return number.quantize(Decimal("0.01")) if money else number


def _date(value, path: str, errors: list) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors.append({"field": path, "message": "must be a date (YYYY-MM-DD)"})
        return None


def _codes(value, path: str, model, errors: list) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        errors.append({"field": path, "message": "must be a list of codes or null"})
        return None
    known = set(model.objects.filter(code__in=value).values_list("code", flat=True))
    for code in value:
        if code not in known:
            errors.append({"field": path, "message": f"unknown code {code}"})
    return sorted(set(value))


def _parse(data: dict) -> _Parsed:
    """Check an agreement definition; every problem at once, nothing written."""
    errors: list[dict] = []
    dealer = (
        Dealer.objects.select_related("sales_org")
        .filter(code=str(data.get("dealer") or ""))
        .first()
    )
    if dealer is None:
        errors.append({"field": "dealer", "message": "unknown dealer"})
    owner = SalesOrg.objects.filter(code=str(data.get("sales_org") or "")).first()
    if owner is None:
        errors.append({"field": "sales_org", "message": "unknown sales organisation"})
    if (
        dealer
        and owner
        and not dealer_selectors.sales_org_covers(ancestor=owner, org=dealer.sales_org)
    ):
        errors.append(
            {"field": "sales_org", "message": "the dealer is outside this organisation"}
        )
    starts = _date(data.get("starts"), "starts", errors)
    ends = _date(data.get("ends"), "ends", errors)
    if starts and ends and ends < starts:
        errors.append({"field": "ends", "message": "ends before it starts"})
    enforcement = data.get("enforcement", AgreementVersion.Enforcement.BLOCK)
    if enforcement not in AgreementVersion.Enforcement.values:
        errors.append({"field": "enforcement", "message": "must be block or warn"})
    tier = None
    if data.get("price_tier") is not None:
        tier = Tier.objects.filter(code=str(data["price_tier"])).first()
        if tier is None:
            errors.append({"field": "price_tier", "message": "unknown tier"})
    terms = data.get("payment_terms_days")
    if terms is not None and (
        isinstance(terms, bool) or not isinstance(terms, int) or not 0 <= terms <= 365
    ):
        errors.append({"field": "payment_terms_days", "message": "0 to 365 days"})
    fields = {
        "starts": starts,
        "ends": ends,
        "categories": _codes(data.get("categories"), "categories", Category, errors),
        "regions": _codes(data.get("regions"), "regions", Region, errors),
        "enforcement": enforcement,
        "price_tier": tier,
        "credit_limit": _decimal(
            data.get("credit_limit"), "credit_limit", errors, money=True
        ),
        "payment_terms_days": terms,
    }
    parsed = _Parsed(dealer=dealer, owner=owner, fields=fields)
    targets = data.get("targets") or []
    if not isinstance(targets, list):
        errors.append({"field": "targets", "message": "must be a list"})
        targets = []
    categories = {
        c.code: c
        for c in Category.objects.filter(
            code__in=[t.get("category") for t in targets if isinstance(t, dict)]
        )
    }
    seen = set()
    for index, target in enumerate(targets):
        path = f"targets[{index}]"
        if not isinstance(target, dict):
            errors.append({"field": path, "message": "must be an object"})
            continue
        try:
            period = period_parse(target.get("period"), field=f"{path}.period")
        except InvalidInput as error:
            errors.extend(error.errors)
            continue
        if starts and ends and (period.last < starts or period.first > ends):
            errors.append(
                {"field": f"{path}.period", "message": "outside the agreement's dates"}
            )
        code = target.get("category")
        category = categories.get(code) if code is not None else None
        if code is not None and category is None:
            errors.append({"field": f"{path}.category", "message": f"unknown {code}"})
        amount = _decimal(target.get("amount"), f"{path}.amount", errors, money=True)
        quantity = target.get("quantity")
        if quantity is not None and (
            isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1
        ):
            errors.append(
                {"field": f"{path}.quantity", "message": "a whole number above 0"}
            )
            quantity = None
        if target.get("amount") is None and target.get("quantity") is None:
            errors.append(
                {"field": path, "message": "needs an amount and/or a quantity"}
            )
        if (period.name, code) in seen:
            errors.append(
                {"field": path, "message": "the same period and category twice"}
            )
        seen.add((period.name, code))
        parsed.targets.append(
            AgreementTarget(
                period=period.name, category=category, amount=amount, quantity=quantity
            )
        )
    tiers = data.get("rebate_tiers") or []
    if not isinstance(tiers, list):
        errors.append({"field": "rebate_tiers", "message": "must be a list"})
        tiers = []
    previous = None
    for index, tier_data in enumerate(tiers):
        path = f"rebate_tiers[{index}]"
        if not isinstance(tier_data, dict):
            errors.append({"field": path, "message": "must be an object"})
            continue
        achieved = _decimal(
            tier_data.get("achieved_percent"), f"{path}.achieved_percent", errors
        )
        rebate = _decimal(
            tier_data.get("rebate_percent"), f"{path}.rebate_percent", errors
        )
        if achieved is None or rebate is None:
            continue
        if rebate > 100 or achieved > 1000:
            errors.append({"field": path, "message": "percent out of range"})
        if previous and (
            achieved <= previous.achieved_percent or rebate < previous.rebate_percent
        ):
            errors.append(
                {
                    "field": path,
                    "message": "tiers must rise: each achieves more and pays no less",
                }
            )
        previous = RebateTier(achieved_percent=achieved, rebate_percent=rebate)
        parsed.tiers.append(previous)
    if errors:
        raise InvalidInput(
            _("The agreement is not valid; nothing was saved."),
            code="invalid_agreement",
            errors=errors,
        )
    return parsed


def _overlap_check(*, parsed: _Parsed, agreement: Agreement | None) -> None:
    """One agreement per dealer and day: terminated ones do not count."""
    others = (
        Agreement.objects.filter(dealer=parsed.dealer)
        .exclude(status=Agreement.Status.TERMINATED)
        .prefetch_related("versions")
    )
    if agreement is not None:
        others = others.exclude(pk=agreement.pk)
    starts, ends = parsed.fields["starts"], parsed.fields["ends"]
    for other in others:
        version = selectors.applying_version(other)
        if version and version.starts <= ends and starts <= version.ends:
            raise Conflict(
                _(
                    "Dealer %(dealer)s already has agreement %(other)s for "
                    "%(starts)s – %(ends)s."
                )
                % {
                    "dealer": parsed.dealer.code,
                    "other": other.code,
                    "starts": version.starts,
                    "ends": version.ends,
                },
                code="overlap",
            )


def _notes(agreement: Agreement, targets: list[AgreementTarget]) -> list[str]:
    """Targets set below what has already shipped: allowed, but stated."""
    if agreement.pk is None:
        return []
    notes = []
    rows = list(
        AgreementProgress.objects.filter(agreement=agreement).select_related("category")
    )
    for target in targets:
        if target.amount is None:
            continue
        period = period_parse(target.period)
        prefix = target.category.path if target.category else ""
        shipped = sum(
            (
                r.amount
                for r in rows
                if period.contains(r.month) and r.category.path.startswith(prefix)
            ),
            Decimal("0.00"),
        )
        if shipped > target.amount:
            notes.append(
                _(
                    "The %(period)s target %(category)s of %(target)s is below the "
                    "%(shipped)s already shipped."
                )
                % {
                    "period": target.period,
                    "category": target.category.code if target.category else "*",
                    "target": f"{target.amount:.2f}",
                    "shipped": f"{shipped:.2f}",
                }
            )
    return notes


@dataclass(frozen=True)
class SaveResult:
    agreement: Agreement
    version: AgreementVersion
    created: bool


@transaction.atomic
def agreement_save(*, code: str, data: dict, by=None) -> SaveResult:
    """Create or replace an agreement (``PUT``).

    A new agreement is a draft. A draft or submitted version is replaced in place; once
    a version is approved, a change makes a new draft version that must be submitted
    and approved while the approved one keeps applying.
    """
    if not isinstance(data, dict):
        raise InvalidInput(
            _("The agreement must be a JSON object."), code="invalid_agreement"
        )
    parsed = _parse(data)
    agreement = Agreement.objects.select_for_update().filter(code=code).first()
    created = agreement is None
    # Two saves for one dealer serialise on the dealer row, so overlaps cannot race.
    Dealer.objects.select_for_update().filter(pk=parsed.dealer.pk).first()
    if created:
        _check_authority(user=by, org=parsed.owner, approve=False)
        agreement = Agreement(code=code, dealer=parsed.dealer, sales_org=parsed.owner)
    else:
        _check_authority(user=by, org=agreement.sales_org, approve=False)
        if agreement.status == Agreement.Status.TERMINATED:
            raise Conflict(
                _("A terminated agreement cannot be changed."), code="terminated"
            )
        if agreement.dealer_id != parsed.dealer.pk:
            raise Conflict(
                _("The dealer of an agreement cannot change."), code="dealer_change"
            )
        if agreement.sales_org_id != parsed.owner.pk:
            if agreement.live_version_id:
                raise Conflict(
                    _("The owner of an approved agreement cannot change."),
                    code="owner_change",
                )
            _check_authority(user=by, org=parsed.owner, approve=False)
            agreement.sales_org = parsed.owner
    _overlap_check(parsed=parsed, agreement=None if created else agreement)
    notes = _notes(agreement, parsed.targets)
    agreement.save()
    latest = agreement.versions.order_by("-number").first() if not created else None
    if latest is not None and latest.status in {
        AgreementVersion.Status.DRAFT,
        AgreementVersion.Status.SUBMITTED,
    }:
        version = latest
        for name, value in parsed.fields.items():
            setattr(version, name, value)
        version.status = AgreementVersion.Status.DRAFT
        version.submitted_at = None
        version.created_by = by
        version.notes = notes
        version.save()
        version.targets.all().delete()
        version.rebate_tiers.all().delete()
    else:
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=(latest.number + 1) if latest else 1,
            created_by=by,
            notes=notes,
            **parsed.fields,
        )
    for target in parsed.targets:
        target.version = version
    AgreementTarget.objects.bulk_create(parsed.targets)
    for tier in parsed.tiers:
        tier.version = version
    RebateTier.objects.bulk_create(parsed.tiers)
    if agreement.status == Agreement.Status.SUBMITTED:
        agreement.status = Agreement.Status.DRAFT
        agreement.save(update_fields=["status", "updated_at"])
    return SaveResult(agreement=agreement, version=version, created=created)


@transaction.atomic
def agreement_document_attach(*, code: str, upload, by=None) -> AgreementVersion:
    """Attach the signed PDF to the newest version."""
    agreement = _locked(code)
    _check_authority(user=by, org=agreement.sales_org, approve=False)
    name = getattr(upload, "name", "") or ""
    head = upload.read(5)
    upload.seek(0)
    if not name.lower().endswith(".pdf") or head != b"%PDF-":
        raise InvalidInput(
            _("The signed agreement must be a PDF file."), code="invalid_document"
        )
    version = agreement.versions.order_by("-number").first()
    version.document.save(f"{agreement.code}-v{version.number}.pdf", upload)
    return version


# --- Lifecycle --------------------------------------------------------------------------


def _locked(code: str) -> Agreement:
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("sales_org")
        .filter(code=code)
    ).first()
    if agreement is None:
        selectors.agreement_get(code=code)  # raises NotFound
    return agreement


def _illegal(agreement: Agreement, move: str) -> Conflict:
    return Conflict(
        _("An agreement that is %(status)s cannot be %(move)s.")
        % {"status": agreement.get_status_display(), "move": move},
        code="illegal_transition",
    )


@transaction.atomic
def agreement_submit(*, code: str, by=None) -> Agreement:
    """Send the newest draft version for approval."""
    agreement = _locked(code)
    _check_authority(user=by, org=agreement.sales_org, approve=False)
    latest = agreement.versions.order_by("-number").first()
    if (
        agreement.status == Agreement.Status.TERMINATED
        or latest is None
        or latest.status != AgreementVersion.Status.DRAFT
    ):
        raise _illegal(agreement, _("submitted"))
    latest.status = AgreementVersion.Status.SUBMITTED
    latest.submitted_at = timezone.now()
    latest.save(update_fields=["status", "submitted_at"])
    if agreement.status == Agreement.Status.DRAFT:
        agreement.status = Agreement.Status.SUBMITTED
        agreement.save(update_fields=["status", "updated_at"])
    return agreement


@transaction.atomic
def agreement_approve(*, code: str, by=None) -> Agreement:
    """Approve the submitted version: it becomes the one that applies."""
    agreement = _locked(code)
    _check_authority(user=by, org=agreement.sales_org, approve=True)
    latest = agreement.versions.order_by("-number").first()
    if latest is None or latest.status != AgreementVersion.Status.SUBMITTED:
        raise _illegal(agreement, _("approved"))
    agreement.versions.filter(status=AgreementVersion.Status.APPROVED).update(
        status=AgreementVersion.Status.SUPERSEDED
    )
    latest.status = AgreementVersion.Status.APPROVED
    latest.approved_by = by
    latest.approved_at = timezone.now()
    latest.save(update_fields=["status", "approved_by", "approved_at"])
    agreement.live_version = latest
    agreement.status = Agreement.Status.APPROVED
    agreement.save(update_fields=["live_version", "status", "updated_at"])
    return agreement


@transaction.atomic
def agreement_terminate(*, code: str, by=None) -> Agreement:
    """End an agreement for good; its orders are no longer held against it."""
    agreement = _locked(code)
    _check_authority(user=by, org=agreement.sales_org, approve=True)
    if agreement.status == Agreement.Status.TERMINATED:
        raise _illegal(agreement, _("terminated"))
    agreement.status = Agreement.Status.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.save(update_fields=["status", "terminated_at", "updated_at"])
    return agreement


# --- Progress, settlement, overrides ------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    month: date
    category_id: int
    amount: Decimal
    quantity: int


def agreement_progress_replace(
    *, agreement: Agreement, rows: Iterable[ProgressRow]
) -> None:
    """Rewrite an agreement's progress from shipped facts (orders computes them)."""
    AgreementProgress.objects.filter(agreement=agreement).delete()
    AgreementProgress.objects.bulk_create(
        [
            AgreementProgress(
                agreement=agreement,
                month=row.month,
                category_id=row.category_id,
                amount=row.amount,
                quantity=row.quantity,
            )
            for row in rows
            if row.amount or row.quantity
        ]
    )


@transaction.atomic
def rebate_settlement_record(
    *, code: str, period: str, by=None
) -> tuple[RebateSettlement, bool]:
    """Fix a period's rebate at what it has accrued; a repeat answers the first one.

    Returns (settlement, created): only a created one may be credited.
    """
    period = period_parse(period).name
    agreement = _locked(code)
    existing = agreement.settlements.filter(period=period).first()
    if existing is not None:
        return existing, False
    _check_authority(user=by, org=agreement.sales_org, approve=True)
    if agreement.live_version_id is None:
        raise _illegal(agreement, _("settled"))
    agreement = selectors.agreement_get(code=code)
    rebate = selectors.rebate_for(agreement=agreement, period=period)
    settlement = RebateSettlement.objects.create(
        agreement=agreement,
        period=period,
        version=agreement.live_version,
        achieved=rebate.achieved,
        target=rebate.target,
        rebate_percent=rebate.tier.rebate_percent if rebate.tier else 0,
        amount=rebate.accrued,
        settled_by=by,
    )
    return settlement, True


def contract_override_record(
    *, check: selectors.ContractCheck, order_number: str, by=None
) -> ContractOverride:
    """Let an order through its blocking issues on the owning org's authority."""
    _check_authority(user=by, org=check.owner, approve=True)
    return ContractOverride.objects.create(
        version_id=check.version_id,
        order_number=order_number,
        issues=check.to_dict()["issues"],
        by=by,
    )
