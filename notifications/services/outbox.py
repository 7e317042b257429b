"""The outbox: notifications and their deliveries, written in the caller's transaction.

``notifications_create`` is the bulk writer the event listener
(:mod:`notifications.services.events`) and the campaign fan-out share. Delivery is
scheduled with ``transaction.on_commit``, so a rolled-back change announces nothing
and a committed one always leaves rows a worker delivers (or the periodic sweep,
should the task be lost).
"""

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from dealers.models import DealerUser
from notifications import channels, conf, queue, texts
from notifications.models import Delivery, Notification, Preference

logger = logging.getLogger(__name__)

_DELIVER_AT_KEY = "notifications:deliver-at"
PRIORITY_CRITICAL, PRIORITY_EVENT, PRIORITY_CAMPAIGN = 9, 5, 1


# --- Quiet hours ------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or conf.get("DEFAULT_TIME_ZONE"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(conf.get("DEFAULT_TIME_ZONE"))


def _in_window(now: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # the window wraps midnight (22:00 → 07:00)


def quiet_until(preference: Preference | None, now: datetime) -> datetime | None:
    """When the user's quiet hours end, if ``now`` lies inside them; else None.

    Quiet hours are read in the user's time zone (the dealer's, Asia/Shanghai unless
    set), so 22:00–07:00 means their night wherever the server runs.
    """
    if preference is None or preference.quiet_start is None:
        return None
    start, end = preference.quiet_start, preference.quiet_end
    if end is None or start == end:
        return None
    zone = _zone(preference.time_zone)
    local = now.astimezone(zone)
    if not _in_window(local.time(), start, end):
        return None
    day = local.date()
    if local.time() >= end:  # evening part of a window that wraps midnight
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)


# --- Writing the outbox -----------------------------------------------------------------


def notifications_create(
    *,
    kind: str,
    dealer_ids: Iterable[int],
    data: dict | None = None,
    critical: bool = False,
    campaign=None,
    now: datetime | None = None,
) -> int:
    """Write one notification per active user of each dealer, and one delivery per
    channel that user wants and can be reached on; schedule delivery after commit.

    Preferences apply here: a muted topic creates nothing (critical kinds are never
    muted); a channel turned off gets no delivery; quiet hours defer the delivery to
    their end (critical kinds ignore them). Bulk: a fixed number of queries whatever
    the number of dealers. Returns the number of notifications written.
    """
    dealer_ids = list(dict.fromkeys(dealer_ids))
    if not dealer_ids:
        return 0
    now = now or timezone.now()
    data = dict(data or {})
    critical = critical or kind in texts.CRITICAL_KINDS
    topic = texts.topic_of(kind)
    users = list(
        DealerUser.objects.filter(
            dealer_id__in=dealer_ids, dealer__active=True, user__is_active=True
        )
        .order_by("dealer_id", "user_id")
        .values_list("user_id", "dealer_id")
    )
    preferences = {
        p.user_id: p
        for p in Preference.objects.filter(user_id__in=[u for u, _d in users])
    }
    wanted = [
        (user_id, dealer_id)
        for user_id, dealer_id in users
        if critical
        or topic not in (getattr(preferences.get(user_id), "muted_topics", None) or [])
    ]
    if not wanted:
        return 0
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                dealer_id=dealer_id,
                kind=kind,
                critical=critical,
                data=data,
                campaign=campaign,
            )
            for user_id, dealer_id in wanted
        ],
        batch_size=500,
    )
    priority = PRIORITY_CRITICAL if critical else PRIORITY_EVENT
    if campaign is not None and not critical:
        priority = PRIORITY_CAMPAIGN
    deliveries = []
    earliest_deferred = None
    for channel in channels.registered():
        candidates = [
            n.recipient_id
            for n in notifications
            if n.recipient_id not in preferences
            or preferences[n.recipient_id].wants_channel(channel.name)
        ]
        addresses = channel.addresses(candidates) if candidates else {}
        for notification in notifications:
            if notification.recipient_id not in addresses:
                continue
            due = now
            if not critical:
                due = (
                    quiet_until(preferences.get(notification.recipient_id), now) or now
                )
            if due > now and (earliest_deferred is None or due < earliest_deferred):
                earliest_deferred = due
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=channel.name,
                    address=addresses[notification.recipient_id],
                    next_attempt_at=due,
                    priority=priority,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    dispatch_after_commit(at=earliest_deferred)
    return len(notifications)


def dispatch_after_commit(*, at: datetime | None = None) -> None:
    """Ask a worker to deliver once this transaction commits (and again at ``at``)."""
    transaction.on_commit(lambda: dispatch_enqueue())
    if at is not None:
        transaction.on_commit(lambda: dispatch_enqueue(at=at))


def dispatch_enqueue(*, at: datetime | None = None) -> None:
    """Enqueue the delivery task, now or (when the backend can defer) at ``at``.

    Never raises: the rows are committed, and the periodic sweep delivers them even
    if the queue could not be reached.
    """
    try:
        if at is None:
            queue.enqueue("deliver")
            return
        if not queue.can_defer("deliver"):
            return  # the sweep will find them when they are due
        planned = cache.get(_DELIVER_AT_KEY)
        if planned is not None and timezone.now() < planned <= at:
            return  # an earlier run is already planned; it re-plans what is left
        cache.set(_DELIVER_AT_KEY, at, timeout=None)
        queue.enqueue("deliver", at=at)
    except Exception:
        logger.exception("could not enqueue notification delivery; the sweep will")
