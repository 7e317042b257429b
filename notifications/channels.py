"""Delivery channels: how a notification leaves the database.

A channel says whom it can reach (``addresses``, in bulk, so a fan-out to 100,000
dealers asks once per batch) and carries one message (``send``), answering with an
outcome: sent, retry (with an optional wait, e.g. Telegram's ``retry_after``), or
failed for good. ``send_many`` carries a batch and reports each outcome as it is
known (the Telegram channel sends a batch concurrently, inside its rate limits). The portal channel is always registered; the Telegram channel
registers itself from its own module when a bot token is configured, and with no
linked chat it reaches nobody, so no Telegram delivery is created.

The portal channel pushes to the channel layer. With the in-memory layer the
WebSocket consumers live on the ASGI server's event loop and the task worker runs
in a thread of the same process (``manage.py serve``): asyncio queues are not
thread-safe, so the send is handed to the server loop with
``run_coroutine_threadsafe``. With Redis, or from a thread that asgiref already ties
to a loop, a plain ``async_to_sync`` is right.
"""

import asyncio
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 5
PORTAL_CONCURRENCY = 16  # group_sends in flight at once from one batch


# --- Messages and outcomes --------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One delivery, rendered in its recipient's language."""

    delivery_id: int
    notification_id: int
    user_id: int
    dealer_id: int
    address: str
    language: str
    kind: str
    critical: bool
    title: str
    body: str
    url: str = ""  # relative to the portal (tracked "open" link)
    action_url: str = ""
    action_label: str = ""
    unread: int = 0
    created_at: str = ""
    data: dict = field(default_factory=dict)


def tracked_url(message: Message, *, action: bool = False, via: str = "") -> str:
    """The absolute link a channel outside the portal (Telegram) shows: it opens the
    notification (or its "order now") through the portal, counting the click on
    channel ``via``. Empty when there is nothing to open."""
    from django.conf import settings

    path = message.action_url if action else message.url
    if not path:
        return ""
    if via:
        path += ("&" if "?" in path else "?") + f"via={via}"
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Sent:
    # The channel's own id of what it sent (Telegram's message_id): a reply to it
    # in that channel finds the notification again.
    external_id: str = ""


@dataclass(frozen=True)
class Retry:
    reason: str
    after_seconds: float = 0


@dataclass(frozen=True)
class Failed:
    reason: str


Outcome = Sent | Retry | Failed


class Channel(ABC):
    """A way to reach a dealer user."""

    name: str = ""
    # The longest wait between two tries of one message (None: the outbox's own cap).
    max_backoff_seconds: float | None = None

    @abstractmethod
    def addresses(self, user_ids: Collection[int]) -> dict[int, str]:
        """Of ``user_ids``, those this channel reaches now, with the address to use."""

    @abstractmethod
    def send(self, message: Message) -> Outcome:
        """Carry one message; never raise for an expected failure (answer an outcome)."""

    def send_many(
        self,
        messages: Sequence[Message],
        *,
        on_outcome: Callable[[Message, "Outcome"], None],
        deadline: float | None = None,
    ) -> None:
        """Carry ``messages``, calling ``on_outcome`` (in this thread) for each as
        soon as its outcome is known. None is started at or after ``deadline``
        (``time.monotonic()``): those get no outcome and stay with the caller."""
        for message in messages:
            if deadline is not None and time.monotonic() >= deadline:
                return
            try:
                outcome = self.send(message)
            except Exception as error:  # noqa: BLE001 - a channel bug is a retry
                logger.exception("channel %s raised", self.name)
                outcome = Retry(reason=repr(error)[:500])
            on_outcome(message, outcome)


_registry: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    """Make ``channel`` available to fan-out and delivery (AppConfig.ready())."""
    _registry[channel.name] = channel


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Channel | None:
    return _registry.get(name)


def registered() -> list[Channel]:
    return list(_registry.values())


# --- The server loop hand-over ----------------------------------------------------------

_server_loop: asyncio.AbstractEventLoop | None = None
_server_loop_lock = threading.Lock()


def server_loop_set(loop: asyncio.AbstractEventLoop | None) -> None:
    """Remember the ASGI server's event loop (``manage.py serve`` calls this at
    start-up) so worker threads of the same process can reach its consumers."""
    global _server_loop
    with _server_loop_lock:
        _server_loop = loop


def server_loop() -> asyncio.AbstractEventLoop | None:
    return _server_loop


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def group_send(group: str, message: dict) -> None:
    """``channel_layer.group_send`` from synchronous code, on the right loop."""
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("No channel layer is configured.")
    loop = server_loop()
    if (
        isinstance(layer, InMemoryChannelLayer)
        and loop is not None
        and loop.is_running()
        and _running_loop() is not loop
    ):
        future = asyncio.run_coroutine_threadsafe(
            layer.group_send(group, message), loop
        )
        future.result(timeout=SEND_TIMEOUT_SECONDS)
        return
    async_to_sync(layer.group_send)(group, message)


# --- The portal channel -----------------------------------------------------------------


def user_group(user_id: int) -> str:
    """The Channels group of one dealer user's open pages."""
    return f"notify.user.{user_id}"


class PortalChannel(Channel):
    """Live toast and badge on the dealer user's open portal pages."""

    name = "portal"
    # A live toast is worth little late and costs nothing to retry: while the channel
    # layer (Redis) is away, try again every ~10 s so it shows soon after it is back.
    max_backoff_seconds = 10.0

    def addresses(self, user_ids: Collection[int]) -> dict[int, str]:
        return dict.fromkeys(user_ids, "")

    def send(self, message: Message) -> Outcome:
        try:
            group_send(user_group(message.user_id), portal_payload(message))
        except Exception as error:  # noqa: BLE001 - a layer down is a retry, not a crash
            logger.warning("portal push %s failed: %s", message.delivery_id, error)
            return Retry(reason=f"channel layer: {error!r}"[:500])
        return Sent()

    def send_many(self, messages, *, on_outcome, deadline=None) -> None:
        """A shared layer (Redis) gets the batch concurrently on one event loop:
        one connection pool for the batch instead of a loop and a connection per
        message (10× faster). The in-memory layer keeps the one-by-one hand-over."""
        layer = get_channel_layer()
        if layer is None or isinstance(layer, InMemoryChannelLayer):
            super().send_many(messages, on_outcome=on_outcome, deadline=deadline)
            return

        async def push_all() -> dict[int, BaseException | None]:
            slots = asyncio.Semaphore(PORTAL_CONCURRENCY)
            results: dict[int, BaseException | None] = {}
            by_user: dict[int, list[Message]] = {}
            for message in messages:
                by_user.setdefault(message.user_id, []).append(message)

            async def push(queue: list[Message]):
                # One user's pages get their pushes in order; users in parallel.
                async with slots:
                    for message in queue:
                        try:
                            await layer.group_send(
                                user_group(message.user_id), portal_payload(message)
                            )
                            results[message.delivery_id] = None
                        except Exception as error:  # noqa: BLE001 - a retry
                            results[message.delivery_id] = error

            await asyncio.gather(*(push(queue) for queue in by_user.values()))
            return results

        results = async_to_sync(push_all)()
        for message in messages:
            error = results[message.delivery_id]
            if error is not None:
                logger.warning("portal push %s failed: %s", message.delivery_id, error)
                on_outcome(message, Retry(reason=f"channel layer: {error!r}"[:500]))
            else:
                on_outcome(message, Sent())


def portal_payload(message: Message) -> dict:
    """The channel-layer event the WebSocket consumer forwards to the browser."""
    return {
        "type": "notify.message",
        "id": message.notification_id,
        "kind": message.kind,
        "critical": message.critical,
        "title": message.title,
        "body": message.body,
        "url": message.url,
        "action_url": message.action_url,
        "action_label": message.action_label,
        "unread": message.unread,
        "created_at": message.created_at,
    }
