"""Live delivery: after commit, everyone who sees a thread gets a small event on
their own WebSocket group (``notifications.channels.user_group``); open pages of
the thread fetch what is new, others update their badge (and a rep's page shows
a toast). Nothing is lost when a socket is away: the page fetches again when it
reconnects, and the database is the truth."""

import logging

from django.urls import reverse

from conversations import selectors
from conversations.models import Side
from notifications import channels

logger = logging.getLogger(__name__)


def thread_url(thread_id: int, side: str) -> str:
    if side == Side.DEALER:
        return reverse("conversations:thread", args=[thread_id])
    return reverse("conversations:rep-thread", args=[thread_id])


def _send(thread, event: dict, *, toast_side: str | None = None) -> None:
    for user_id, side in selectors.participants_of(thread=thread):
        payload = {
            "type": "conversation.message",
            **event,
            "thread": thread.pk,
            "url": thread_url(thread.pk, side),
            "toast": side == toast_side,
        }
        try:
            channels.group_send(channels.user_group(user_id), payload)
        except Exception as error:  # noqa: BLE001 - the page catches up on reconnect
            logger.warning("live conversation event to %s failed: %s", user_id, error)


def message_posted(*, thread, message, photos: int = 0) -> None:
    """A message is in the thread. A dealer's message toasts on reps' pages (a
    rep's answer reaches the dealer's users as a notification, which toasts)."""
    preview = message.text[:140] or ("📷" if photos else "")
    _send(
        thread,
        {
            "message": message.pk,
            "from": message.side,
            "title": f"{thread.dealer.name}: {thread.subject}",
            "body": preview,
        },
        toast_side=Side.REP if message.side == Side.DEALER else None,
    )


def thread_read(*, thread, side: str) -> None:
    """One side read the thread: the other sees "read" under what it sent."""
    _send(thread, {"read_by": side})
