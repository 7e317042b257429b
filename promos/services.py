"""Writes about promotions: definitions, lifecycle moves, budgets and the ledger.

Locking: a placement locks the dealer row first (orders does that), then budget rows
in promotion-id order, so two transactions never wait on each other in a circle.
Per-dealer usage is only written under the dealer row lock.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product
from common import outbox, versions
from common.errors import Conflict, Forbidden, InvalidInput
from common.periods import period_parse, periods_containing
from dealers import selectors as dealer_selectors
from dealers.models import Dealer, SalesOrg
from promos import engine, selectors
from promos.engine.rules import GiftReward
from promos.models import (
    BacktestRun,
    OrgBudget,
    OrgBudgetReservation,
    Promotion,
    PromotionApplication,
    PromotionBudget,
    PromotionDealerUsage,
    PromotionTarget,
    PromotionVersion,
)

logger = logging.getLogger(__name__)


class BudgetChanged(Conflict):
    """A guarded budget update found less room than the evaluation assumed."""

    code = "budget_changed"


# --- Authority ----------------------------------------------------------------------------


def _check_authority(*, user, org: SalesOrg, approve: bool) -> None:
    """The integration (user None) and superusers may do anything; people are held to
    their org: reps draft and submit inside their subtree, managers also approve."""
    reason = dealer_selectors.org_authority(user=user, org=org, approve=approve)
    if reason == "outside_org":
        raise Forbidden(
            _("Only staff of %(org)s or above can manage its promotions.")
            % {"org": org.code},
            code="outside_org",
        )
    if reason == "not_manager":
        raise Forbidden(
            _("Only a sales manager can approve, pause or end a promotion."),
            code="not_manager",
        )


# --- Definitions --------------------------------------------------------------------------


def _validate_references(rule: engine.Rule, owner: SalesOrg) -> list[dict]:
    """Check what the engine cannot: codes that must exist, and the authority rule."""
    errors = []
    audience_orgs = {
        o.code: o for o in SalesOrg.objects.filter(code__in=rule.audience.sales_orgs)
    }
    for index, code in enumerate(rule.audience.sales_orgs):
        org = audience_orgs.get(code)
        if org is None:
            errors.append(
                {
                    "field": f"audience.sales_orgs[{index}]",
                    "message": f"unknown sales organisation {code}",
                }
            )
        elif not dealer_selectors.sales_org_covers(ancestor=owner, org=org):
            errors.append(
                {
                    "field": f"audience.sales_orgs[{index}]",
                    "message": f"{code} is outside the owner's organisation {owner.code}",
                }
            )
    skus = set(rule.touched_skus)
    reward = rule.reward
    if isinstance(reward, GiftReward):
        skus |= {option.sku for option in reward.options}
    known_skus = set(Product.objects.filter(sku__in=skus).values_list("sku", flat=True))
    for sku in sorted(skus - known_skus):
        errors.append({"field": "sku", "message": f"unknown product {sku}"})
    categories = set(rule.touched_categories) | {
        h.code for h in rule.audience.history if h.kind == "category"
    }
    known = set(
        Category.objects.filter(code__in=categories).values_list("code", flat=True)
    )
    for code in sorted(categories - known):
        errors.append({"field": "category", "message": f"unknown category {code}"})
    return errors


def _parse(data: dict) -> tuple[engine.Rule, SalesOrg]:
    try:
        rule = engine.parse_definition(data)
    except engine.DefinitionError as error:
        raise InvalidInput(
            _("The promotion definition is not valid."),
            code="invalid_definition",
            errors=error.errors,
        ) from None
    owner = SalesOrg.objects.filter(code=rule.sales_org).first()
    if owner is None:
        raise InvalidInput(
            _("The promotion definition is not valid."),
            code="invalid_definition",
            errors=[
                {
                    "field": "sales_org",
                    "message": f"unknown sales organisation {rule.sales_org}",
                }
            ],
        )
    errors = _validate_references(rule, owner)
    if errors:
        raise InvalidInput(
            _("The promotion definition is not valid."),
            code="invalid_definition",
            errors=errors,
        )
    return rule, owner


def _version_fields(rule: engine.Rule) -> dict:
    return {
        "definition": rule.to_dict(),
        "name": rule.name,
        "name_en": rule.name_en,
        "kind": rule.reward.type,
        "starts_at": rule.starts_at,
        "ends_at": rule.ends_at,
        "priority": rule.priority,
        "exclusive": rule.exclusive,
        "order_scope": rule.is_order_scope,
    }


def _write_targets(version: PromotionVersion, rule: engine.Rule) -> None:
    version.targets.all().delete()
    targets = [
        PromotionTarget(version=version, kind=PromotionTarget.Kind.SKU, code=s)
        for s in sorted(rule.touched_skus)
    ]
    targets += [
        PromotionTarget(version=version, kind=PromotionTarget.Kind.CATEGORY, code=c)
        for c in sorted(rule.touched_categories)
    ]
    if rule.is_order_scope:
        targets.append(
            PromotionTarget(version=version, kind=PromotionTarget.Kind.ORDER, code="")
        )
    PromotionTarget.objects.bulk_create(targets)


@dataclass(frozen=True)
class SaveResult:
    promotion: Promotion
    version: PromotionVersion
    created: bool


@transaction.atomic
def promotion_save(*, data: dict, by=None) -> SaveResult:
    """Create or replace a promotion's definition (``PUT``).

    A new promotion is a draft. A draft or pending version is replaced in place (it
    applied to nothing); once a version is approved, a change makes a new draft version
    that must be submitted and approved while the approved one keeps applying.
    """
    versions.bump(versions.PROMOTIONS)
    if not isinstance(data, dict):
        raise InvalidInput(
            _("The promotion definition must be a JSON object."),
            code="invalid_definition",
        )
    rule, owner = _parse(data)
    promotion = Promotion.objects.select_for_update().filter(code=rule.code).first()
    created = promotion is None
    if created:
        _check_authority(user=by, org=owner, approve=False)
        promotion = Promotion.objects.create(code=rule.code, sales_org=owner)
        PromotionBudget.objects.create(promotion=promotion, limit=rule.limits.budget)
    else:
        _check_authority(user=by, org=promotion.sales_org, approve=False)
        if promotion.status == Promotion.Status.ENDED:
            raise Conflict(_("An ended promotion cannot be changed."), code="ended")
        if promotion.sales_org_id != owner.pk:
            if promotion.live_version_id:
                raise Conflict(
                    _("The owner of an approved promotion cannot change."),
                    code="owner_change",
                )
            _check_authority(user=by, org=owner, approve=False)
            promotion.sales_org = owner
            promotion.save(update_fields=["sales_org", "updated_at"])
    latest = selectors.promotion_latest_version(promotion=promotion)
    editable = latest is not None and latest.status in {
        PromotionVersion.Status.DRAFT,
        PromotionVersion.Status.PENDING_APPROVAL,
    }
    if editable:
        for name, value in _version_fields(rule).items():
            setattr(latest, name, value)
        latest.status = PromotionVersion.Status.DRAFT
        latest.submitted_at = None
        latest.created_by = by
        latest.save()
        version = latest
    else:
        version = PromotionVersion.objects.create(
            promotion=promotion,
            number=(latest.number + 1) if latest else 1,
            created_by=by,
            **_version_fields(rule),
        )
    _write_targets(version, rule)
    if promotion.status == Promotion.Status.PENDING_APPROVAL:
        promotion.status = Promotion.Status.DRAFT
        promotion.save(update_fields=["status", "updated_at"])
    return SaveResult(promotion=promotion, version=version, created=created)


def _locked(code: str) -> Promotion:
    promotion = selectors.promotion_get(code=code)
    return (
        Promotion.objects.select_for_update()
        .select_related("sales_org")
        .get(pk=promotion.pk)
    )


def _illegal(promotion: Promotion, move: str) -> Conflict:
    return Conflict(
        _("A promotion that is %(status)s cannot be %(move)s.")
        % {"status": promotion.get_status_display(), "move": move},
        code="illegal_transition",
    )


@transaction.atomic
def promotion_submit(*, code: str, by=None) -> Promotion:
    """Send the newest draft version for approval."""
    versions.bump(versions.PROMOTIONS)
    promotion = _locked(code)
    _check_authority(user=by, org=promotion.sales_org, approve=False)
    latest = selectors.promotion_latest_version(promotion=promotion)
    if (
        promotion.status == Promotion.Status.ENDED
        or latest is None
        or latest.status != PromotionVersion.Status.DRAFT
    ):
        raise _illegal(promotion, _("submitted"))
    latest.status = PromotionVersion.Status.PENDING_APPROVAL
    latest.submitted_at = timezone.now()
    latest.save(update_fields=["status", "submitted_at"])
    if promotion.status == Promotion.Status.DRAFT:
        promotion.status = Promotion.Status.PENDING_APPROVAL
        promotion.save(update_fields=["status", "updated_at"])
    return promotion


@transaction.atomic
def promotion_approve(*, code: str, by=None) -> Promotion:
    """Approve the pending version: it becomes the one that applies."""
    versions.bump(versions.PROMOTIONS)
    promotion = _locked(code)
    _check_authority(user=by, org=promotion.sales_org, approve=True)
    latest = selectors.promotion_latest_version(promotion=promotion)
    if latest is None or latest.status != PromotionVersion.Status.PENDING_APPROVAL:
        raise _illegal(promotion, _("approved"))
    rule = selectors.rule_of(latest)
    budget = PromotionBudget.objects.select_for_update().get(promotion=promotion)
    if rule.limits.budget is not None and rule.limits.budget < budget.used:
        raise Conflict(
            _("The new budget %(budget)s is below what is already used (%(used)s).")
            % {"budget": rule.limits.budget, "used": budget.used},
            code="budget_below_used",
        )
    budget.limit = rule.limits.budget
    budget.save(update_fields=["limit"])
    _org_budget_reserve(promotion=promotion, rule=rule)
    PromotionVersion.objects.filter(
        promotion=promotion, status=PromotionVersion.Status.APPROVED
    ).update(status=PromotionVersion.Status.SUPERSEDED)
    latest.status = PromotionVersion.Status.APPROVED
    latest.approved_by = by
    latest.approved_at = timezone.now()
    latest.save(update_fields=["status", "approved_by", "approved_at"])
    first_approval = promotion.live_version_id is None
    promotion.live_version = latest
    if promotion.status in {Promotion.Status.DRAFT, Promotion.Status.PENDING_APPROVAL}:
        promotion.status = Promotion.Status.APPROVED
    promotion.save(update_fields=["live_version", "status", "updated_at"])
    outbox.announce(
        outbox.Event(
            kind="promotion.approved",
            data={
                "promotion": promotion.code,
                "version": latest.number,
                "first": first_approval,
            },
        )
    )
    return promotion


def _move(code: str, by, allowed: set[str], target: str, words: str) -> Promotion:
    versions.bump(versions.PROMOTIONS)
    promotion = _locked(code)
    _check_authority(user=by, org=promotion.sales_org, approve=True)
    if promotion.status not in allowed:
        raise _illegal(promotion, words)
    promotion.status = target
    promotion.save(update_fields=["status", "updated_at"])
    return promotion


@transaction.atomic
def promotion_pause(*, code: str, by=None) -> Promotion:
    """Stop an approved promotion applying for a while."""
    return _move(
        code, by, {Promotion.Status.APPROVED}, Promotion.Status.PAUSED, _("paused")
    )


@transaction.atomic
def promotion_resume(*, code: str, by=None) -> Promotion:
    """Let a paused promotion apply again."""
    return _move(
        code, by, {Promotion.Status.PAUSED}, Promotion.Status.APPROVED, _("resumed")
    )


@transaction.atomic
def promotion_end(*, code: str, by=None) -> Promotion:
    """End a promotion for good."""
    return _move(
        code,
        by,
        {Promotion.Status.APPROVED, Promotion.Status.PAUSED},
        Promotion.Status.ENDED,
        _("ended"),
    )


# --- Org expense budgets -------------------------------------------------------------------


@transaction.atomic
def org_budget_set(
    *, org: SalesOrg, period: str, amount: Decimal
) -> tuple[OrgBudget, bool]:
    """Set an org's promotion expense budget for a period; never below what approved
    promotions already hold of it."""
    period = period_parse(period).name
    if amount < 0:
        raise InvalidInput(_("A budget cannot be negative."), code="invalid_amount")
    budget, created = OrgBudget.objects.select_for_update().get_or_create(
        sales_org=org, period=period, defaults={"amount": amount}
    )
    if not created:
        if amount < budget.committed:
            raise Conflict(
                _("%(amount)s is below the %(committed)s approved promotions hold.")
                % {"amount": amount, "committed": budget.committed},
                code="org_budget",
            )
        budget.amount = amount
        budget.save(update_fields=["amount", "updated_at"])
    return budget, created


def _org_budget_reserve(*, promotion: Promotion, rule: engine.Rule) -> None:
    """Hold the promotion's budget from its org's budget for the period it starts in
    (the most specific period with a budget: month, quarter, year). Orgs without a
    budget for that period hold nothing back. Never beyond the budget: 409."""
    old = (
        OrgBudgetReservation.objects.select_related("budget")
        .filter(promotion=promotion)
        .first()
    )
    names = periods_containing(timezone.localdate(rule.starts_at))
    candidates = {
        b.period: b
        for b in OrgBudget.objects.filter(
            sales_org_id=promotion.sales_org_id, period__in=names
        )
    }
    target = next((candidates[n] for n in names if n in candidates), None)
    ids = sorted({b.pk for b in (target, old.budget if old else None) if b})
    locked = {
        b.pk: b
        for b in OrgBudget.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    if old is not None:
        OrgBudget.objects.filter(pk=old.budget_id).update(
            committed=F("committed") - old.amount
        )
        old.delete()
    amount = rule.limits.budget
    if target is None or amount is None:
        return
    budget = locked[target.pk]
    budget.refresh_from_db(fields=["amount", "committed"])
    if budget.committed + amount > budget.amount:
        raise Conflict(
            _(
                "%(org)s has %(available)s left of its %(period)s promotion budget; "
                "this promotion needs %(amount)s."
            )
            % {
                "org": promotion.sales_org.code,
                "available": budget.amount - budget.committed,
                "period": budget.period,
                "amount": amount,
            },
            code="org_budget",
        )
    OrgBudget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount)
    OrgBudgetReservation.objects.create(
        budget=budget, promotion=promotion, amount=amount
    )


# --- Budgets and the ledger -----------------------------------------------------------------


def budgets_lock(*, promotion_ids: Iterable[int]) -> dict[int, PromotionBudget]:
    """Lock budget rows in promotion-id order (a fixed order, so no deadlock)."""
    return {
        b.promotion_id: b
        for b in PromotionBudget.objects.select_for_update()
        .filter(promotion_id__in=sorted(set(promotion_ids)))
        .order_by("promotion_id")
    }


def dealer_times(*, dealer: Dealer, promotion_ids: Iterable[int]) -> dict[int, int]:
    """Times each promotion was earned by the dealer (read under the dealer row lock)."""
    return dict(
        PromotionDealerUsage.objects.filter(
            dealer=dealer, promotion_id__in=list(promotion_ids)
        ).values_list("promotion_id", "times")
    )


def _charge(promotion_id: int, cost: Decimal, times: int) -> None:
    """Guarded update: ``used + cost <= limit`` or nothing changes."""
    updated = (
        PromotionBudget.objects.filter(promotion_id=promotion_id)
        .filter(Q(limit__isnull=True) | Q(used__lte=F("limit") - cost))
        .update(used=F("used") + cost, applications=F("applications") + times)
    )
    if not updated:
        raise BudgetChanged(_("The promotion budget changed while you were ordering."))


def _dealer_add(promotion_id: int, dealer: Dealer, times: int) -> None:
    usage, _created = PromotionDealerUsage.objects.get_or_create(
        promotion_id=promotion_id, dealer=dealer
    )
    PromotionDealerUsage.objects.filter(pk=usage.pk).update(times=F("times") + times)


@dataclass(frozen=True)
class Earned:
    """What one order earns from one promotion version (engine answer, persisted)."""

    version: PromotionVersion
    times: int
    discount: Decimal
    gift_cost: Decimal
    expense_credit: Decimal

    @property
    def cost(self) -> Decimal:
        return self.discount + self.gift_cost + self.expense_credit


def earned_from_quote(
    *, quote: engine.Quote, versions: Sequence[PromotionVersion]
) -> list[Earned]:
    """Pair the engine's applied promotions with their version rows."""
    by_code = {v.promotion.code: v for v in versions}
    return [
        Earned(
            version=by_code[applied.promotion],
            times=applied.times,
            discount=applied.discount,
            gift_cost=applied.gift_cost,
            expense_credit=applied.expense_credit,
        )
        for applied in quote.applied
    ]


def applications_record(
    *, dealer: Dealer, order_number: str, earned: Sequence[Earned]
) -> None:
    """Charge budgets (guarded, in promotion-id order) and write the ledger rows.

    Raises ``BudgetChanged`` when a budget no longer has room: the caller re-evaluates
    under ``budgets_lock`` and tries again. Must run inside the caller's transaction.
    """
    for item in sorted(earned, key=lambda e: e.version.promotion_id):
        promotion_id = item.version.promotion_id
        _charge(promotion_id, item.cost, item.times)
        _dealer_add(promotion_id, dealer, item.times)
    PromotionApplication.objects.bulk_create(
        [
            PromotionApplication(
                version=item.version,
                promotion_id=item.version.promotion_id,
                dealer=dealer,
                order_number=order_number,
                times=item.times,
                discount=item.discount,
                gift_cost=item.gift_cost,
                expense_credit=item.expense_credit,
            )
            for item in earned
        ]
    )


def applications_revise(
    *, dealer: Dealer, order_number: str, earned: Sequence[Earned]
) -> None:
    """After a cancellation, set what the order still earns and give back the rest.

    Only reductions happen here (an order never earns more by shrinking), so nothing can
    overrun a budget; rows are still taken in promotion-id order.
    """
    new = {e.version.promotion_id: e for e in earned}
    rows = list(
        PromotionApplication.objects.select_for_update()
        .filter(order_number=order_number, status=PromotionApplication.Status.ACTIVE)
        .order_by("promotion_id")
    )
    budgets = budgets_lock(promotion_ids=[r.promotion_id for r in rows])
    for row in rows:
        item = new.get(row.promotion_id)
        old_cost, old_times = row.cost, row.times
        if item is None or min(item.times, row.times) == 0:
            row.status = PromotionApplication.Status.CANCELLED
            row.times = 0
            row.discount = row.gift_cost = row.expense_credit = Decimal("0.00")
        else:
            row.times = min(item.times, row.times)
            row.discount = min(item.discount, row.discount)
            row.gift_cost = min(item.gift_cost, row.gift_cost)
            row.expense_credit = min(item.expense_credit, row.expense_credit)
        row.save()
        # The rows are locked: subtract in Decimal (SQLite would in floating point
        # and leave -0.000000001 of budget, which its constraint refuses).
        budget = budgets.get(row.promotion_id)
        if budget is not None:
            budget.used -= old_cost - row.cost
            budget.applications -= old_times - row.times
            budget.save(update_fields=["used", "applications"])
        PromotionDealerUsage.objects.filter(
            promotion_id=row.promotion_id, dealer=dealer
        ).update(times=F("times") - (old_times - row.times))


# --- Back-tests ------------------------------------------------------------------------------

BACKTEST_MAX_DAYS = 365
BACKTESTABLE = {
    PromotionVersion.Status.DRAFT,
    PromotionVersion.Status.PENDING_APPROVAL,
}


def _backtest_enqueue(run_id: int) -> None:
    from promos import tasks

    try:
        tasks.backtest.enqueue(run_id)
    except Exception:  # noqa: BLE001 -- the run must not stay queued for nothing
        logger.exception("could not enqueue back-test %s", run_id)
        BacktestRun.objects.filter(pk=run_id, status=BacktestRun.Status.QUEUED).update(
            status=BacktestRun.Status.FAILED,
            error="The back-test could not be queued.",
            finished_at=timezone.now(),
        )


@transaction.atomic
def backtest_start(*, user, version: PromotionVersion, days: int) -> BacktestRun:
    """Queue a back-test of a draft (or submitted) version over the last ``days`` days.

    The period is the ``days`` whole days before today (local time). The user must be
    staff of the promotion's owning org or above (as for editing it); the task is
    enqueued once the run is committed.
    """
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not (1 <= days <= BACKTEST_MAX_DAYS)
    ):
        raise InvalidInput(
            _("Choose between 1 and %(most)s days.") % {"most": BACKTEST_MAX_DAYS},
            code="invalid_days",
            errors=[{"field": "days", "message": "must be 1 to 365"}],
        )
    version = PromotionVersion.objects.select_related(
        "promotion", "promotion__sales_org"
    ).get(pk=version.pk)
    _check_authority(user=user, org=version.promotion.sales_org, approve=False)
    if version.status not in BACKTESTABLE:
        raise Conflict(
            _("Only a draft or a version waiting for approval can be back-tested."),
            code="not_a_draft",
        )
    today = timezone.localdate()
    run = BacktestRun.objects.create(
        version=version,
        requested_by=user,
        days=days,
        period_start=today - timedelta(days=days),
        period_end=today - timedelta(days=1),
    )
    transaction.on_commit(lambda: _backtest_enqueue(run.pk))
    return run


def backtests_sweep(*, now=None) -> int:
    """End the running back-tests whose heartbeat stopped (their worker died):
    ``failed`` with the reason the user reads, retryable. The tick runs this.
    Returns how many were ended."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PORTAL["HEARTBEAT_TIMEOUT_SECONDS"])
    ended = BacktestRun.objects.filter(
        status=BacktestRun.Status.RUNNING, heartbeat_at__lt=stale
    ).update(
        status=BacktestRun.Status.FAILED,
        error=BacktestRun.WORKER_STOPPED,
        finished_at=now,
    )
    if ended:
        logger.warning("%s back-test(s) lost their worker; marked failed", ended)
    return ended


@transaction.atomic
def backtest_retry(*, user, run: BacktestRun) -> BacktestRun:
    """Run a failed back-test again (same version, same number of days, up to
    yesterday): one click on its page."""
    if run.status != BacktestRun.Status.FAILED:
        raise Conflict(
            _("Only a failed back-test can be tried again."), code="not_failed"
        )
    return backtest_start(user=user, version=run.version, days=run.days)
