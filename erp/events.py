"""The connector hears about orders through the outbox (orders never import erp)."""

from django.db import transaction

from common import outbox
from erp import conf, push, tasks


def on_event(event: outbox.Event) -> None:
    """A placed order is pushed soon after it commits (one on credit hold once the
    rep releases it); a cancellation likewise."""
    if conf.config() is None:
        return
    number = event.data.get("order")
    if not number:
        return
    if event.kind == "order.placed":
        push.order_push_pending(number=number)
        transaction.on_commit(lambda: _enqueue("order_push", number))
    elif event.kind == "order.released":
        transaction.on_commit(lambda: _enqueue("order_push", number))
    elif event.kind == "order.cancelled":
        transaction.on_commit(lambda: _enqueue("order_cancel", number))


def _enqueue(name: str, number: str) -> None:
    getattr(tasks, name).enqueue(number)
