"""The listener ``common.outbox`` calls inside the transaction of the change it
announces: an event becomes notifications (:mod:`.outbox`) or, for an approved
promotion, a planned recommendation (:mod:`.campaigns`). It sits above both, so
neither imports the other's caller."""

import logging

from common import outbox
from notifications.services.campaigns import recommendation_plan
from notifications.services.outbox import notifications_create

logger = logging.getLogger(__name__)


def on_event(event: outbox.Event) -> None:
    """Turn an announced event into notifications, in the announcer's transaction.

    Events naming dealers notify those dealers' users, whatever the kind (a kind
    this app does not know yet gets a generic text). ``promotion.approved`` names no
    dealers: it plans the automatic recommendation, worked out after commit.
    """
    if event.kind == "promotion.approved":
        recommendation_plan(promotion_code=event.data.get("promotion", ""))
        return
    if not event.dealer_ids:
        logger.info("event %s names no dealers; nothing to notify", event.kind)
        return
    notifications_create(
        kind=event.kind,
        dealer_ids=event.dealer_ids,
        data=event.data,
        critical=event.critical,
    )
