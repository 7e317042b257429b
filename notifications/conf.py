"""Tunables of the push machinery, overridable with ``settings.NOTIFICATIONS``."""

from django.conf import settings

DEFAULTS = {
    # Delivery worker
    "BATCH_SIZE": 200,  # deliveries claimed at once
    "LEASE_SECONDS": 300,  # a claim older than this is taken back (worker died)
    "MAX_ATTEMPTS": 8,  # then the delivery fails visibly
    "BACKOFF_BASE_SECONDS": 10,  # 10 s, 20 s, 40 s … per attempt
    "BACKOFF_MAX_SECONDS": 3600,
    "BACKOFF_JITTER": 0.1,  # up to 10 % added, so retries do not stampede
    "TICK_SECONDS": 15,  # the safety-net sweep (retries, quiet hours, dead workers)
    # Fan-out
    "FANOUT_BATCH": 1000,  # dealers per transaction
    # Reps
    "REP_CAMPAIGNS_PER_HOUR": 10,
    "REP_DEALERS_PER_DAY": 20000,
    # Automatic recommendations
    "AUTO_PUSHES_PER_WEEK": 2,  # per dealer
    "AUTO_MAX_DEALERS": 5000,  # per promotion, best fit first
    "AUTO_HISTORY_DAYS": 90,
    # Tracking
    "CONVERSION_DAYS": 7,
    "DEFAULT_TIME_ZONE": "Asia/Shanghai",
}


def get(name: str):
    """One setting: ``settings.NOTIFICATIONS[name]`` or its default."""
    return {**DEFAULTS, **getattr(settings, "NOTIFICATIONS", {})}[name]
