"""Reads for a dealer user: their notifications, the unread count, their preferences."""

from django.core.paginator import Page, Paginator
from django.utils.translation import get_language

from dealers import selectors as dealer_selectors
from notifications import texts
from notifications.models import Notification, Preference


def is_dealer_user(*, user) -> bool:
    """True for the login of an active dealer (the only users pushes go to)."""
    return dealer_selectors.dealer_user_for(user=user) is not None


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread (one indexed query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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
