"""Django's Redis cache, degrading to misses while Redis is away.

The cache only ever saves work: with Redis stopped a read answers "not cached" and
the caller computes from the database, a write is dropped, so pages keep serving
(``/readyz`` says Redis is down meanwhile). Each failure is logged once a minute.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache %s failed (%s): answering a miss", operation, error)


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except (RedisError, OSError) as error:
            _warn("get_many", error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except (RedisError, OSError) as error:
            _warn("set", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except (RedisError, OSError) as error:
            _warn("add", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except (RedisError, OSError) as error:
            _warn("delete", error)
            return False
