"""One send schedule for the whole deployment: at most ``GLOBAL_RATE`` messages a
second overall and at least ``PER_CHAT_INTERVAL`` seconds between two messages to
one chat, shared by every worker process (Redis when ``REDIS_URL`` is set, else a
database row; in-process for a single worker or tests).

A send reserves a slot: the earliest moment both the deployment and the chat are
free. When only the chat is busy no deployment slot is taken (other chats go
first) and the caller learns how long the chat needs. A 429 pauses everything
until its ``retry_after``.
"""

import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

# Sends leave at their slot but reach the API with a few milliseconds of jitter; small
# margins keep the rate Telegram sees inside the limits in every 1-second window.
CHAT_MARGIN_SECONDS = 0.02
RATE_MARGIN = 0.03  # slots are spaced 3% wider than 1/rate


@dataclass(frozen=True)
class Slot:
    """``granted``: send after ``wait`` seconds. Not granted: the chat is busy for
    ``wait`` seconds; ask again then."""

    granted: bool
    wait: float


class RateLimiter(ABC):
    def __init__(self, *, rate: float, chat_interval: float):
        self.spacing = (1.0 + RATE_MARGIN) / float(rate)
        self.chat_interval = float(chat_interval) + CHAT_MARGIN_SECONDS

    @abstractmethod
    def reserve(self, chat_id: int) -> Slot: ...

    @abstractmethod
    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends for ``seconds``."""

    def _decide(self, now: float, global_next: float, chat_next: float):
        start = max(now, global_next)
        if chat_next > start:
            return Slot(False, chat_next - now), None
        return Slot(True, start - now), (
            start + self.spacing,
            start + self.chat_interval,
        )


class MemoryRateLimiter(RateLimiter):
    """For one process (tests, a single embedded worker)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lock = threading.Lock()
        self._global = 0.0
        self._chats: dict[int, float] = {}

    def reserve(self, chat_id: int) -> Slot:
        with self._lock:
            now = time.time()
            slot, update = self._decide(
                now, self._global, self._chats.get(chat_id, 0.0)
            )
            if update:
                self._global, self._chats[chat_id] = update
                if len(self._chats) > 100_000:  # forget chats long free
                    self._chats = {k: v for k, v in self._chats.items() if v > now}
            return slot

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._global = max(self._global, time.time() + seconds)


class DatabaseRateLimiter(RateLimiter):
    """Rows of ``TelegramThrottle`` locked for the reservation (every process)."""

    def _row(self, key: str):
        from notifications.telegram.models import TelegramThrottle

        row = TelegramThrottle.objects.select_for_update().filter(key=key).first()
        if row is None:
            TelegramThrottle.objects.get_or_create(key=key)
            row = TelegramThrottle.objects.select_for_update().get(key=key)
        return row

    def reserve(self, chat_id: int) -> Slot:
        with transaction.atomic():
            glob = self._row("global")
            chat = self._row(f"chat:{chat_id}")
            slot, update = self._decide(time.time(), glob.next_at, chat.next_at)
            if update:
                glob.next_at, chat.next_at = update
                glob.save(update_fields=["next_at"])
                chat.save(update_fields=["next_at"])
            return slot

    def pause(self, seconds: float) -> None:
        with transaction.atomic():
            glob = self._row("global")
            glob.next_at = max(glob.next_at, time.time() + seconds)
            glob.save(update_fields=["next_at"])


_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local g = tonumber(redis.call('GET', KEYS[1]) or '0')
local c = tonumber(redis.call('GET', KEYS[2]) or '0')
local spacing = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local start = math.max(now, g)
if c > start then
  return {0, tostring(c - now)}
end
redis.call('SET', KEYS[1], tostring(start + spacing), 'PX', 600000)
redis.call('SET', KEYS[2], tostring(start + interval), 'PX',
  math.ceil(interval * 1000) + 1000)
return {1, tostring(start - now)}
"""
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local g = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], tostring(math.max(g, now + tonumber(ARGV[1]))),
  'PX', 600000)
return 1
"""


class RedisRateLimiter(RateLimiter):
    """A Lua script on Redis' clock: atomic across every process and host."""

    prefix = "telegram:rate:"

    def __init__(self, *, url: str, **kwargs):
        import redis

        super().__init__(**kwargs)
        client = redis.Redis.from_url(url)
        self._reserve = client.register_script(_RESERVE)
        self._pause = client.register_script(_PAUSE)

    def reserve(self, chat_id: int) -> Slot:
        granted, wait = self._reserve(
            keys=[self.prefix + "global", f"{self.prefix}chat:{chat_id}"],
            args=[self.spacing, self.chat_interval],
        )
        return Slot(bool(int(granted)), max(float(wait), 0.0))

    def pause(self, seconds: float) -> None:
        self._pause(keys=[self.prefix + "global"], args=[seconds])


def build() -> RateLimiter:
    """The limiter the settings ask for: ``TELEGRAM['RATE_LIMITER']`` is
    ``auto`` (Redis when ``REDIS_URL`` is set, else the database), ``redis``,
    ``database`` or ``memory``."""
    conf = settings.TELEGRAM
    kwargs = {
        "rate": conf.get("GLOBAL_RATE", 25),
        "chat_interval": conf.get("PER_CHAT_INTERVAL", 1.0),
    }
    kind = conf.get("RATE_LIMITER", "auto")
    redis_url = getattr(settings, "REDIS_URL", "")
    if kind == "auto":
        kind = "redis" if redis_url else "database"
    if kind == "redis":
        return RedisRateLimiter(url=redis_url, **kwargs)
    if kind == "database":
        return DatabaseRateLimiter(**kwargs)
    return MemoryRateLimiter(**kwargs)
