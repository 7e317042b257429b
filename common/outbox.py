"""Announcing domain events without importing who listens.

Services call ``announce()`` inside their transaction. The notifications app registers
a listener at start-up that writes the notification and its deliveries in that same
transaction (the outbox), so a rolled-back change announces nothing and a committed
one always does. Lower apps (orders, promos) never import notifications: the arrow
keeps pointing down.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    """Something a dealer (or a rep) may want to hear about.

    ``kind`` is dotted (``order.placed``); ``dealer_ids`` are who it concerns (empty
    for events that concern an audience the listener works out, e.g. a promotion);
    ``data`` is JSON-serialisable context for the message.
    """

    kind: str
    dealer_ids: tuple[int, ...] = ()
    data: dict = field(default_factory=dict)
    critical: bool = False


_listeners: list[Callable[[Event], None]] = []


def listen(listener: Callable[[Event], None]) -> None:
    """Register a listener once (an AppConfig.ready() calls this)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(event: Event) -> None:
    """Hand ``event`` to every listener, synchronously, in the caller's transaction."""
    for listener in list(_listeners):
        listener(event)
