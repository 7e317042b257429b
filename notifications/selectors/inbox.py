"""Reads for a dealer user: their notifications, the unread count, their preferences."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q
from django.utils.translation import get_language

from notifications import texts
from notifications.models import Channel, Delivery, Notification, Preference

MISSED_PUSHES = 5  # at most this many pushes are replayed to a reconnecting page


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread (one indexed query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class LiveState:
    unread: int  # the badge's first paint
    newest: int  # the newest notification's id (0 with none), which the page's socket
    # sends back on (re)connect to be given what it missed (:func:`missed_pushes`)


def live_state(*, user) -> LiveState:
    """The bell's first paint, in one query."""
    row = Notification.objects.filter(recipient=user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)), newest=Max("pk")
    )
    return LiveState(unread=row["unread"], newest=row["newest"] or 0)


def missed_pushes(*, user, since: int, limit: int = MISSED_PUSHES) -> list[Delivery]:
    """The live pushes of the user's unread notifications newer than ``since`` (the
    newest the page knows), oldest first, the newest ``limit``: what a page whose
    socket was away missed. A push the worker sent while no socket listened is
    gone from the channel layer, but its notification is here."""
    deliveries = (
        Delivery.objects.filter(
            channel=Channel.PORTAL,
            notification__recipient=user,
            notification__pk__gt=since,
            notification__read_at__isnull=True,
        )
        .exclude(status=Delivery.Status.FAILED)
        .select_related("notification", "notification__campaign")
        .order_by("-notification__pk")[:limit]
    )
    return list(reversed(deliveries))


def inbox_page(*, user, page: int | str = 1, per_page: int = 20) -> Page:
    """The user's notifications, newest first, one page, each with ``rendered``
    (title, body, links) in the active language."""
    queryset = Notification.objects.filter(recipient=user).select_related("campaign")
    result = Paginator(queryset, per_page).get_page(page)
    language = get_language() or "zh-hans"
    for notification in result.object_list:
        notification.rendered = texts.render(notification, language)
    return result


def preference_get(*, user) -> Preference:
    """The user's preferences, or the defaults (unsaved) before they chose any."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
