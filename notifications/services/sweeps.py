"""Housekeeping the tick runs besides deliveries: long jobs whose worker died end
visibly (failed, retryable), and the bot's remembered update ids are forgotten
after their de-duplication window."""

import logging

logger = logging.getLogger(__name__)


def dead_work_sweep(*, now=None) -> dict[str, int]:
    """Mark back-tests whose heartbeat stopped as failed; purge old Telegram update
    ids. (Campaigns resume instead: ``campaigns_due``; deliveries are taken back
    when their claim's lease ends.) Returns what was done, by kind."""
    from notifications.telegram import services as telegram_services
    from promos import services as promo_services

    return {
        "backtests_failed": promo_services.backtests_sweep(now=now),
        "updates_purged": telegram_services.updates_purge(now=now),
    }
