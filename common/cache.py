"""Cache reads and writes that degrade instead of failing: with the cache (Redis)
away, a read is a miss and a write is skipped, so the caller computes the value
itself. Each outage is logged once."""

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)
_down = False


def _failed(error: Exception) -> None:
    global _down
    if not _down:
        _down = True
        logger.warning("cache unavailable (%r): computing without it", error)


def _worked() -> None:
    global _down
    if _down:
        _down = False
        logger.warning("cache back")


def cache_get(key: str, default=None):
    """``cache.get``, or ``default`` when the cache cannot be reached."""
    try:
        value = cache.get(key, default)
    except CACHE_ERRORS as error:
        _failed(error)
        return default
    _worked()
    return value


def cache_set(key: str, value, timeout=None) -> bool:
    """``cache.set``; False when the cache cannot be reached."""
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        _failed(error)
        return False
    _worked()
    return True
