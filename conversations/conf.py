"""Tunables of conversations, overridable with ``settings.CONVERSATIONS``."""

from django.conf import settings

DEFAULTS = {
    "MESSAGES_PER_MINUTE": 12,  # per person, portal and bot together
    "PHOTO_MAX_BYTES": 8 * 1024 * 1024,  # what a phone camera sends, with room
    "PHOTO_MAX_SIDE": 1600,  # kept at most this wide or tall
    "PHOTO_MAX_PIXELS": 50_000_000,  # a "photo" larger than this is refused unread
    "PHOTOS_PER_MESSAGE": 4,
    "THREAD_MESSAGES": 100,  # the newest shown on a thread page
    "TELEGRAM_PHOTO_JOINS_HOURS": 24,  # a bare photo joins the sender's latest thread
}


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "CONVERSATIONS", {})}[name]
