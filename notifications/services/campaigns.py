"""Campaigns: a rep's push to their dealers, and automatic recommendations.

Creating a campaign checks authority (a rep reaches only the dealers they serve, a
manager their org subtree), the rep's rate limit and the audience, then stores it;
the fan-out runs as a task after commit (or at the scheduled time): batch by batch,
each batch one transaction that writes the recipients (unique per campaign and
dealer: the de-duplication), the notifications and their deliveries, and the
progress the campaign page shows. A fan-out that stops half-way resumes where it
stopped.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override

from common.errors import Conflict, DomainError, Forbidden, InvalidInput
from notifications import conf, queue, selectors, texts
from notifications.models import Campaign, CampaignRecipient
from notifications.services.outbox import notifications_create
from promos import selectors as promo_selectors
from promos.models import Promotion

logger = logging.getLogger(__name__)


# --- Scheduling the fan-out ---------------------------------------------------------------


def _enqueue_run(campaign_id: int, at: datetime | None = None) -> None:
    try:
        if at is not None and at > timezone.now():
            if not queue.can_defer("campaign_send"):
                return  # the sweep starts it when it is due
            queue.enqueue("campaign_send", campaign_id, at=at)
        else:
            queue.enqueue("campaign_send", campaign_id)
    except Exception:
        logger.exception("could not enqueue campaign %s; the sweep will", campaign_id)


def _run_after_commit(campaign: Campaign) -> None:
    pk, at = campaign.pk, campaign.scheduled_for
    transaction.on_commit(lambda: _enqueue_run(pk, at))


# --- A rep's campaign ---------------------------------------------------------------------


def _check_rate(context: selectors.RepContext, dealers: int, now: datetime) -> None:
    mine = Campaign.objects.filter(rep=context.rep).exclude(
        status=Campaign.Status.CANCELLED
    )
    per_hour = conf.get("REP_CAMPAIGNS_PER_HOUR")
    if mine.filter(created_at__gte=now - timedelta(hours=1)).count() >= per_hour:
        raise Conflict(
            _(
                "You have sent %(n)s campaigns in the last hour. Wait a little "
                "before the next one."
            )
            % {"n": per_hour},
            code="rate_limited",
        )
    today = mine.filter(created_at__gte=now - timedelta(days=1)).aggregate(
        n=Sum("dealers_total")
    )["n"]
    per_day = conf.get("REP_DEALERS_PER_DAY")
    if (today or 0) + dealers > per_day:
        raise Conflict(
            _("You can reach at most %(n)s dealers a day; this would go over.")
            % {"n": per_day},
            code="rate_limited",
        )


@transaction.atomic
def campaign_create(
    *,
    user,
    audience: dict,
    promotion_code: str = "",
    title_zh: str = "",
    body_zh: str = "",
    title_en: str = "",
    body_en: str = "",
    order_now: bool = True,
    send_at: datetime | None = None,
) -> Campaign:
    """A rep sends (or schedules) a push to an audience of their dealers.

    Refused: a user who is not a rep, a promotion they may not link, dealers they do
    not serve (also in a forged request), an empty audience, no text in any language,
    or over the rep's rate limit.
    """
    context = selectors.rep_context(user=user)
    if context is None:
        raise Forbidden(_("Only sales reps can send campaigns."), code="not_a_rep")
    now = timezone.now()
    if not (title_zh or body_zh or title_en or body_en):
        raise InvalidInput(
            _("Write the message in Chinese, in English, or both."), code="no_text"
        )
    version = None
    if promotion_code:
        version = selectors.promotion_for_rep(context=context, code=promotion_code)
        if version is None:
            raise InvalidInput(
                _("That promotion is not live, or not one you can push."),
                code="unknown_promotion",
            )
    kind = audience.get("type")
    if kind not in selectors.AUDIENCE_TYPES:
        raise InvalidInput(_("Choose who gets this push."), code="no_audience")
    if kind in (selectors.ELIGIBLE, selectors.NEAR_REWARD) and version is None:
        raise InvalidInput(
            _("This audience needs a linked promotion."), code="needs_promotion"
        )
    resolved = selectors.audience_resolve(
        context=context, spec=audience, version=version
    )
    if resolved.out_of_scope:
        raise Forbidden(
            _("You can only reach the dealers you serve."), code="out_of_scope"
        )
    if not resolved.count:
        raise InvalidInput(_("No dealer matches this audience."), code="empty")
    _check_rate(context, resolved.count, now)
    scheduled = send_at is not None and send_at > now
    campaign = Campaign.objects.create(
        kind=Campaign.Kind.MANUAL,
        status=Campaign.Status.SCHEDULED if scheduled else Campaign.Status.QUEUED,
        rep=context.rep,
        created_by=user,
        promotion=version.promotion if version else None,
        title_zh=title_zh.strip(),
        body_zh=body_zh.strip(),
        title_en=title_en.strip(),
        body_en=body_en.strip(),
        order_now=order_now and version is not None,
        audience=audience,
        scheduled_for=send_at if scheduled else None,
        dealers_total=resolved.count,
    )
    _run_after_commit(campaign)
    return campaign


@transaction.atomic
def campaign_cancel(*, user, campaign_id: int) -> Campaign:
    """Stop a campaign that has not finished (what was already sent stays sent)."""
    context = selectors.rep_context(user=user)
    if context is None:
        raise Forbidden(_("Only sales reps can send campaigns."), code="not_a_rep")
    campaign = selectors.campaign_get(context=context, pk=campaign_id)
    if campaign.status not in {
        Campaign.Status.SCHEDULED,
        Campaign.Status.QUEUED,
        Campaign.Status.SENDING,
    }:
        raise Conflict(_("This campaign has already finished."), code="finished")
    campaign.status = Campaign.Status.CANCELLED
    campaign.finished_at = timezone.now()
    campaign.save(update_fields=["status", "finished_at"])
    return campaign


# --- Automatic recommendations ------------------------------------------------------------


def _recommendation_texts(version) -> dict:
    try:
        zh_summary, en_summary = promo_selectors.promotion_summary(
            version=version, with_limits=False
        )
    except Exception:  # noqa: BLE001 - words must never block an approval
        logger.exception("no summary for %s; recommending without one", version)
        zh_summary = en_summary = ""
    with language_override("zh-hans"):
        title_zh = _("A promotion for you: %(name)s") % {"name": version.name}
    with language_override("en"):
        title_en = _("A promotion for you: %(name)s") % {
            "name": version.name_en or version.name
        }
    return {
        "title_zh": title_zh[:120],
        "title_en": title_en[:120],
        "body_zh": zh_summary[:1000],
        "body_en": en_summary[:1000],
    }


def recommendation_plan(*, promotion_code: str) -> Campaign | None:
    """Plan the automatic recommendation of a just-approved promotion, in the
    approval's transaction: one campaign per promotion, run after commit (or when the
    promotion starts). A re-approval reaches dealers newly fitting it; the
    de-duplication keeps everyone else from a second push."""
    promotion = (
        Promotion.objects.filter(code=promotion_code)
        .select_related("live_version")
        .first()
    )
    if promotion is None or promotion.live_version is None:
        return None
    version = promotion.live_version
    now = timezone.now()
    if version.ends_at <= now:
        return None
    start = max(now, version.starts_at)
    status = Campaign.Status.SCHEDULED if start > now else Campaign.Status.QUEUED
    fields = {
        **_recommendation_texts(version),
        "status": status,
        "scheduled_for": start if start > now else None,
        "order_now": True,
        "audience": {"type": "recommendation"},
    }
    campaign = Campaign.objects.filter(
        kind=Campaign.Kind.AUTOMATIC, promotion=promotion
    ).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            kind=Campaign.Kind.AUTOMATIC, promotion=promotion, **fields
        )
    elif campaign.status == Campaign.Status.CANCELLED:
        return campaign
    else:
        Campaign.objects.filter(pk=campaign.pk).update(
            **fields, finished_at=None, error=""
        )
        campaign.refresh_from_db()
    _run_after_commit(campaign)
    return campaign


# --- The fan-out (a task) -----------------------------------------------------------------


def _plan(campaign: Campaign, now: datetime) -> list[tuple[int, float]]:
    """Whom the campaign reaches now, best fit first, as (dealer id, fit)."""
    if campaign.kind == Campaign.Kind.AUTOMATIC:
        code = campaign.promotion.code if campaign.promotion else ""
        version = selectors.promotion_live_version(code=code, at=now)
        if version is None:
            raise Conflict(_("The promotion is not live any more."), code="not_live")
        ranked = selectors.recommendation_candidates(
            version=version, at=now, days=conf.get("AUTO_HISTORY_DAYS")
        )[: conf.get("AUTO_MAX_DEALERS")]
        return [(dealer.pk, fit) for dealer, fit in ranked]
    context = selectors.rep_context(user=campaign.rep.user) if campaign.rep else None
    if context is None:
        raise Forbidden(_("The rep can no longer send campaigns."), code="not_a_rep")
    version = None
    if campaign.promotion_id:
        version = selectors.promotion_for_rep(
            context=context, code=campaign.promotion.code
        )
        if version is None:
            raise Conflict(_("The promotion is not live any more."), code="not_live")
    audience = selectors.audience_resolve(
        context=context, spec=campaign.audience, version=version, at=now
    )
    return [(dealer.pk, 0.0) for dealer in audience.dealers]


def _fanout_batch(
    campaign_id: int, batch: list[tuple[int, float]], now: datetime
) -> bool:
    """Reach one batch of dealers in one transaction; False once the campaign stopped."""
    with transaction.atomic():
        # The lock serialises two runners of one campaign, so the de-duplication holds.
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("promotion")
            .get(pk=campaign_id)
        )
        if campaign.status != Campaign.Status.SENDING:
            return False
        ids = [dealer_id for dealer_id, _fit in batch]
        reached = set(
            CampaignRecipient.objects.filter(
                campaign=campaign, dealer_id__in=ids
            ).values_list("dealer_id", flat=True)
        )
        fresh = [(d, fit) for d, fit in batch if d not in reached]
        if campaign.kind == Campaign.Kind.AUTOMATIC and fresh:
            weekly = dict(
                CampaignRecipient.objects.filter(
                    campaign__kind=Campaign.Kind.AUTOMATIC,
                    dealer_id__in=[d for d, _fit in fresh],
                    created_at__gte=now - timedelta(days=7),
                )
                .values("dealer_id")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("dealer_id", "n")
            )
            cap = conf.get("AUTO_PUSHES_PER_WEEK")
            fresh = [(d, fit) for d, fit in fresh if weekly.get(d, 0) < cap]
        CampaignRecipient.objects.bulk_create(
            [
                CampaignRecipient(campaign=campaign, dealer_id=d, score=fit)
                for d, fit in fresh
            ],
            batch_size=500,
        )
        data = {"campaign": campaign.pk}
        if campaign.promotion_id:
            data["promotion"] = campaign.promotion.code
        created = notifications_create(
            kind=texts.RECOMMENDATION
            if campaign.kind == Campaign.Kind.AUTOMATIC
            else texts.CAMPAIGN,
            dealer_ids=[d for d, _fit in fresh],
            data=data,
            campaign=campaign,
            now=now,
        )
        Campaign.objects.filter(pk=campaign.pk).update(
            dealers_done=F("dealers_done") + len(batch),
            dealers_skipped=F("dealers_skipped") + len(batch) - len(fresh),
            notifications_created=F("notifications_created") + created,
            heartbeat_at=timezone.now(),
        )
    return True


def campaign_run(*, campaign_id: int) -> Campaign | None:
    """Fan a campaign out, batch by batch (the task body; safe to run twice)."""
    now = timezone.now()
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("promotion", "rep__user")
            .filter(pk=campaign_id)
            .first()
        )
        if campaign is None or campaign.status not in {
            Campaign.Status.SCHEDULED,
            Campaign.Status.QUEUED,
            Campaign.Status.SENDING,
        }:
            return campaign
        if campaign.scheduled_for and campaign.scheduled_for > now:
            return campaign  # early: the run planned for then will do it
        campaign.status = Campaign.Status.SENDING
        campaign.started_at = campaign.started_at or now
        campaign.heartbeat_at = now
        campaign.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        plan = _plan(campaign, now)
    except DomainError as error:
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.FAILED, error=error.message, finished_at=now
        )
        return Campaign.objects.get(pk=campaign.pk)
    # A resumed run goes over the same plan again; the de-duplication skips whom
    # the stopped run reached, so the counts start again too.
    Campaign.objects.filter(pk=campaign.pk).update(
        dealers_total=len(plan), dealers_done=0, dealers_skipped=0
    )
    size = conf.get("FANOUT_BATCH")
    for start in range(0, len(plan), size):
        if not _fanout_batch(campaign.pk, plan[start : start + size], now):
            break
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, finished_at=timezone.now()
    )
    return Campaign.objects.get(pk=campaign.pk)


def campaigns_due(*, now: datetime | None = None) -> int:
    """The sweep: start scheduled campaigns that are due, and restart queued or
    sending ones whose task was lost (no progress for a lease). Returns how many."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.get("LEASE_SECONDS"))
    due = list(
        Campaign.objects.filter(
            status=Campaign.Status.SCHEDULED, scheduled_for__lte=now
        ).values_list("pk", flat=True)
    )
    due += list(
        Campaign.objects.filter(
            status=Campaign.Status.QUEUED, created_at__lt=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    due += list(
        Campaign.objects.filter(
            status=Campaign.Status.SENDING, heartbeat_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for pk in due:
        _enqueue_run(pk)
    return len(due)
