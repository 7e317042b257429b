"""Writes of the notifications app: the outbox, delivery, the inbox, campaigns."""

from notifications.services import sweeps
from notifications.services.campaigns import (
    campaign_cancel,
    campaign_create,
    campaign_run,
    campaigns_due,
    recommendation_plan,
)
from notifications.services.delivery import (
    DispatchReport,
    backoff_seconds,
    deliveries_dispatch,
    deliveries_dispatch_all,
    deliveries_recover,
    message_for,
)
from notifications.services.events import on_event
from notifications.services.inbox import (
    notification_mark_read,
    notification_open,
    notifications_mark_all_read,
    preference_save,
)
from notifications.services.outbox import (
    dispatch_enqueue,
    notifications_create,
    quiet_until,
)


def tick() -> DispatchReport:
    """The safety net, run every few seconds: deliver what is due (retries, the end
    of quiet hours, claims of a worker that died) and start due or lost campaigns."""
    campaigns_due()
    sweeps.dead_work_sweep()
    return deliveries_dispatch_all()


__all__ = [
    "DispatchReport",
    "backoff_seconds",
    "campaign_cancel",
    "campaign_create",
    "campaign_run",
    "campaigns_due",
    "deliveries_dispatch",
    "deliveries_dispatch_all",
    "deliveries_recover",
    "dispatch_enqueue",
    "message_for",
    "notification_mark_read",
    "notification_open",
    "notifications_create",
    "notifications_mark_all_read",
    "on_event",
    "preference_save",
    "quiet_until",
    "recommendation_plan",
    "tick",
]
