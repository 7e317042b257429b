"""What a dealer user does with their notifications: read, open, choose what comes."""

from datetime import time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import InvalidInput, NotFound
from notifications import texts
from notifications.models import Channel, Delivery, Notification, Preference

_SENT_OR_QUEUED = (Delivery.Status.SENT, Delivery.Status.QUEUED)


def _own(user, notification_id: int) -> Notification:
    notification = (
        Notification.objects.select_related("campaign")
        .filter(pk=notification_id, recipient=user)
        .first()
    )
    if notification is None:
        raise NotFound(_("That notification does not exist."), code="unknown")
    return notification


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (a second time changes nothing)."""
    notification = _own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _deliveries_read(Q(notification=notification), notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; answers how many."""
    now = timezone.now()
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    if ids:
        Notification.objects.filter(pk__in=ids).update(read_at=now)
        _deliveries_read(Q(notification_id__in=ids), now)
    return len(ids)


def _deliveries_read(which: Q, at) -> None:
    # The portal delivery is what the user read; a queued push (quiet hours) is moot.
    Delivery.objects.filter(
        which, channel=Channel.PORTAL, status__in=_SENT_OR_QUEUED
    ).update(status=Delivery.Status.READ, read_at=at, lease_until=None)


@transaction.atomic
def notification_open(
    *, user, notification_id: int, action: bool = False, via: str = Channel.PORTAL
) -> str:
    """The user opens a notification (or its "order now"): record the click on the
    channel it came through, mark it read, answer where to go."""
    notification = _own(user, notification_id)
    now = timezone.now()
    if notification.read_at is None:
        notification.read_at = now
    if notification.clicked_at is None:
        notification.clicked_at = now
    notification.save(update_fields=["read_at", "clicked_at"])
    channel = via if via in Channel.values else Channel.PORTAL
    Delivery.objects.filter(
        notification=notification,
        channel=channel,
        status__in=(*_SENT_OR_QUEUED, Delivery.Status.READ),
    ).update(status=Delivery.Status.CLICKED, clicked_at=now, lease_until=None)
    rendered = texts.render(notification, user_language(user))
    if action and rendered.action_url:
        return rendered.action_url
    return rendered.url or ""


def user_language(user) -> str:
    dealer_user = getattr(user, "dealer_user", None)
    return getattr(dealer_user, "language", None) or "zh-hans"


@transaction.atomic
def preference_save(
    *,
    user,
    muted_topics: list[str],
    portal: bool,
    telegram: bool,
    quiet_start: time | None,
    quiet_end: time | None,
    time_zone: str,
) -> Preference:
    """Remember what the user wants pushed, where, and their quiet hours."""
    unknown = set(muted_topics) - set(texts.TOPICS)
    if unknown:
        raise InvalidInput(_("Unknown topic."), code="unknown_topic")
    if (quiet_start is None) != (quiet_end is None):
        raise InvalidInput(
            _("Give both the start and the end of your quiet hours, or neither."),
            code="quiet_hours_incomplete",
        )
    preference, _created = Preference.objects.update_or_create(
        user=user,
        defaults={
            "muted_topics": sorted(set(muted_topics)),
            "portal": portal,
            "telegram": telegram,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "time_zone": time_zone,
        },
    )
    return preference
