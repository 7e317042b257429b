"""Delivering queued deliveries: claim, send, record, retry with backoff.

Exactly once per channel, also when a worker is killed mid-batch:

- A worker claims rows with one guarded ``UPDATE … SET status='sending' WHERE
  status='queued'`` (on PostgreSQL the candidates are first picked with
  ``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent workers take disjoint rows);
  only rows it won carry its token.
- Each row is marked ``sent`` right after its own send, guarded by the token, so a
  kill loses at most the one message in flight, never a batch.
- A claim has a lease. A worker that dies leaves its rows in ``sending``; when the
  lease expires any worker puts them back in the queue (an attempt is counted, so a
  message that keeps killing workers ends ``failed``). A live worker whose lease ran
  out stops before sending more, so two workers never both send one row.

The database is the truth: the WebSocket push is a hint, and the portal inbox shows
every notification whether or not a push reached an open page.
"""

import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from common import metrics
from notifications import channels, conf, texts
from notifications.models import Delivery, Notification
from notifications.services.outbox import dispatch_enqueue

logger = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    """What one dispatch did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # already read in the inbox: nothing to push

    def __iadd__(self, other: "DispatchReport") -> "DispatchReport":
        for name in ("claimed", "sent", "retried", "failed", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def backoff_seconds(
    attempt: int, *, rng: random.Random | None = None, cap: float | None = None
) -> float:
    """Wait before attempt ``attempt + 1``: base × 2^(attempt−1), capped (by the
    channel's own cap when it has one), plus jitter."""
    base = conf.get("BACKOFF_BASE_SECONDS") * 2 ** max(attempt - 1, 0)
    delay = min(base, conf.get("BACKOFF_MAX_SECONDS"), cap or float("inf"))
    jitter = conf.get("BACKOFF_JITTER")
    if jitter:
        delay += delay * jitter * (rng or random).random()
    return delay


def deliveries_recover(*, now: datetime | None = None) -> int:
    """Take back claims whose lease expired (their worker stopped): queue them again,
    or fail them once they used every attempt. Returns how many were taken back."""
    now = now or timezone.now()
    expired = Delivery.objects.filter(
        status=Delivery.Status.SENDING, lease_until__lt=now
    )
    if not expired.exists():  # the usual case: a read, not a write lock
        return 0
    failed = expired.filter(attempts__gte=conf.get("MAX_ATTEMPTS")).update(
        status=Delivery.Status.FAILED,
        failed_at=now,
        claimed_by="",
        lease_until=None,
        last_error="gave up: the worker stopped while sending, every attempt",
    )
    requeued = expired.update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        lease_until=None,
        last_error="claim expired: the worker stopped while sending",
    )
    if failed or requeued:
        logger.warning("took back %s expired claims (%s failed)", requeued, failed)
    return failed + requeued


def _claim(*, now: datetime, limit: int, token: str) -> list[Delivery]:
    lease_until = now + timedelta(seconds=conf.get("LEASE_SECONDS"))
    with transaction.atomic():
        due = Delivery.objects.filter(
            status=Delivery.Status.QUEUED, next_attempt_at__lte=now
        ).order_by("-priority", "next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING,
            claimed_by=token,
            lease_until=lease_until,
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(
            pk__in=ids, claimed_by=token, status=Delivery.Status.SENDING
        )
        .select_related(
            "notification", "notification__campaign", "notification__recipient"
        )
        .order_by("-priority", "next_attempt_at", "pk")
    )


def _languages(user_ids: set[int]) -> dict[int, str]:
    from dealers.models import DealerUser

    return dict(
        DealerUser.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "language"
        )
    )


def _unread_counts(user_ids: set[int]) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def message_for(
    delivery: Delivery, *, language: str, unread: int = 0
) -> channels.Message:
    """The delivery rendered for its channel, in ``language``."""
    from django.urls import reverse

    notification = delivery.notification
    rendered = texts.render(notification, language)
    open_url = reverse("notifications:open", args=[notification.pk])
    return channels.Message(
        delivery_id=delivery.pk,
        notification_id=notification.pk,
        user_id=notification.recipient_id,
        dealer_id=notification.dealer_id,
        address=delivery.address,
        language=language,
        kind=notification.kind,
        critical=notification.critical,
        title=rendered.title,
        body=rendered.body,
        url=open_url if rendered.url else reverse("notifications:inbox"),
        action_url=f"{open_url}?to=action" if rendered.action_url else "",
        action_label=rendered.action_label,
        unread=unread,
        created_at=notification.created_at.isoformat(),
        data=notification.data,
    )


def _finish(
    delivery: Delivery, token: str, outcome: channels.Outcome, now: datetime
) -> str:
    mine = Delivery.objects.filter(
        pk=delivery.pk, claimed_by=token, status=Delivery.Status.SENDING
    )
    if isinstance(outcome, channels.Sent):
        mine.update(
            status=Delivery.Status.SENT,
            sent_at=now,
            lease_until=None,
            last_error="",
            external_id=outcome.external_id[:32],
        )
        return "sent"
    attempts = delivery.attempts  # the claim counted this one
    if isinstance(outcome, channels.Retry) and attempts < conf.get("MAX_ATTEMPTS"):
        channel = channels.get(delivery.channel)
        cap = channel.max_backoff_seconds if channel else None
        wait = max(backoff_seconds(attempts, cap=cap), outcome.after_seconds)
        mine.update(
            status=Delivery.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=wait),
            claimed_by="",
            lease_until=None,
            last_error=outcome.reason[:2000],
        )
        return "retried"
    reason = outcome.reason
    if isinstance(outcome, channels.Retry):
        reason = f"gave up after {attempts} attempts: {reason}"
    mine.update(
        status=Delivery.Status.FAILED,
        failed_at=now,
        lease_until=None,
        last_error=reason[:2000],
    )
    return "failed"


def deliveries_dispatch(
    *,
    now: datetime | None = None,
    limit: int | None = None,
    worker_id: str | None = None,
) -> DispatchReport:
    """Claim up to ``limit`` due deliveries and send each over its channel.

    A failed send is retried with exponential backoff (the channel may ask for a
    longer wait) until ``MAX_ATTEMPTS``, then fails with its reason. A notification
    read in the inbox before its push went out is not pushed any more.
    """
    clock = (lambda: now) if now is not None else timezone.now
    now = clock()
    token = worker_id or uuid.uuid4().hex
    report = DispatchReport()
    deliveries_recover(now=now)
    claimed = _claim(now=now, limit=limit or conf.get("BATCH_SIZE"), token=token)
    report.claimed = len(claimed)
    if not claimed:
        return report
    user_ids = {d.notification.recipient_id for d in claimed}
    languages = _languages(user_ids)
    unread = _unread_counts(user_ids)
    # Stop well before the lease ends: past it, another worker may take rows back.
    deadline = time.monotonic() + conf.get("LEASE_SECONDS") * 0.8
    batches: dict[str, list[channels.Message]] = {}
    claimed_by_id = {}
    for delivery in claimed:
        if delivery.notification.read_at is not None:
            Delivery.objects.filter(
                pk=delivery.pk, claimed_by=token, status=Delivery.Status.SENDING
            ).update(
                status=Delivery.Status.READ,
                read_at=delivery.notification.read_at,
                lease_until=None,
            )
            report.skipped += 1
            continue
        if channels.get(delivery.channel) is None:
            reason = f"channel {delivery.channel!r} is not available"
            result = _finish(delivery, token, channels.Failed(reason=reason), clock())
            setattr(report, result, getattr(report, result) + 1)
            continue
        claimed_by_id[delivery.pk] = delivery
        batches.setdefault(delivery.channel, []).append(
            message_for(
                delivery,
                language=languages.get(delivery.notification.recipient_id, "zh-hans"),
                unread=unread.get(delivery.notification.recipient_id, 0),
            )
        )

    def finished(message: channels.Message, outcome: channels.Outcome) -> None:
        # Recorded as soon as it is known: a worker that dies mid-batch resends nothing
        # that was marked sent.
        delivery = claimed_by_id.pop(message.delivery_id)
        result = _finish(delivery, token, outcome, clock())
        setattr(report, result, getattr(report, result) + 1)
        metrics.DELIVERIES.labels(delivery.channel, result).inc()

    for name, messages in batches.items():
        channel = channels.get(name)
        try:
            channel.send_many(messages, on_outcome=finished, deadline=deadline)
        except Exception:  # noqa: BLE001 - a channel bug must not stop the others
            logger.exception("channel %s raised", name)
    if claimed_by_id:
        # Our claim ran out: another worker may take these rows back now.
        logger.warning(
            "lease ending mid-batch; leaving %s deliveries to others",
            len(claimed_by_id),
        )
    return report


def deliveries_dispatch_all(
    *, max_batches: int = 50, worker_id: str | None = None
) -> DispatchReport:
    """Dispatch batch after batch while deliveries are due, then plan the next run
    for the earliest deferred one (a retry, the end of someone's quiet hours)."""
    total = DispatchReport()
    limit = conf.get("BATCH_SIZE")
    for _batch in range(max_batches):
        report = deliveries_dispatch(worker_id=worker_id, limit=limit)
        total += report
        if report.claimed < limit:
            break
    else:
        dispatch_enqueue()  # more is due: carry on in a fresh task
        return total
    next_due = Delivery.objects.filter(
        status=Delivery.Status.QUEUED, next_attempt_at__gt=timezone.now()
    ).aggregate(at=Min("next_attempt_at"))["at"]
    if next_due is not None:
        dispatch_enqueue(at=next_due)
    return total
