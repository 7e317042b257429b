"""The Telegram delivery channel: the task worker sends pushes with a plain Bot
(base URL from settings) through the deployment-wide rate limiter.

- 429: everyone pauses until ``retry_after``, then this message is tried again.
- 5xx and timeouts: a few quick retries with backoff here, then a ``Retry`` for the
  outbox's own (longer) backoff, so nothing is lost while Telegram is down.
- 403: the user blocked the bot; the chat is marked and no longer sent to.

The Bot lives on one event loop in a thread of its own, so its connection pool is
reused; the rate limiter and the database are used from the worker's thread.
"""

import asyncio
import logging
import threading
import time
from collections.abc import Collection

from django.conf import settings
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from notifications import channels
from notifications.telegram import enabled, keyboards, ratelimit, selectors, services

logger = logging.getLogger(__name__)

INLINE_TRIES = 3  # quick retries of 5xx / timeouts before handing back to the outbox
INLINE_BACKOFF = 0.2  # seconds, doubled per try
MAX_INLINE_PAUSE = 30.0  # a longer 429 pause hands the message back to the outbox
MAX_CHAT_WAIT = 5.0  # a chat busy longer than this is retried later


class TelegramChannel(channels.Channel):
    name = "telegram"

    def __init__(self, *, limiter: ratelimit.RateLimiter | None = None):
        self._limiter = limiter
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bot = None
        self._start_lock = threading.Lock()

    # --- whom it reaches ------------------------------------------------------------

    def addresses(self, user_ids: Collection[int]) -> dict[int, str]:
        return selectors.chat_addresses(user_ids=user_ids)

    # --- the Bot on its own loop ----------------------------------------------------

    @property
    def limiter(self) -> ratelimit.RateLimiter:
        if self._limiter is None:
            self._limiter = ratelimit.build()
        return self._limiter

    def _start(self) -> None:
        with self._start_lock:
            if self._loop is None:
                from notifications.telegram.bot import plain_bot, request_for

                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="telegram-sender", daemon=True
                ).start()
                pool = settings.TELEGRAM.get("SEND_CONNECTIONS", 64)
                self._bot = plain_bot(request=request_for(connection_pool_size=pool))
                asyncio.run_coroutine_threadsafe(self._bot.initialize(), loop).result(
                    30
                )
                self._loop = loop

    def _run(self, coroutine):
        self._start()
        timeout = settings.TELEGRAM.get("TIMEOUT", 10.0) * 3
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def close(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._bot.shutdown(), self._loop).result(
                10
            )
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None

    # --- one message ----------------------------------------------------------------

    def _markup(self, message: channels.Message):
        rows = []
        promotion = (message.data or {}).get("promotion")
        if promotion and keyboards.fits(f"po:{promotion}"):
            label = message.action_label or "🛒"
            rows.append([InlineKeyboardButton(label, callback_data=f"po:{promotion}")])
        elif message.action_url:
            url = channels.tracked_url(message, action=True, via=self.name)
            rows.append([InlineKeyboardButton(message.action_label or "→", url=url)])
        if message.url:
            url = channels.tracked_url(message, via=self.name)
            rows.append([InlineKeyboardButton("🔗", url=url)])
        return InlineKeyboardMarkup(rows) if rows else None

    def _text(self, message: channels.Message) -> str:
        text = (
            message.title if not message.body else f"{message.title}\n\n{message.body}"
        )
        return text[:4000]

    def _wait_for_slot(self, chat_id: int) -> float | None:
        """Sleep until this chat and the deployment may send; None when sent may go
        now, else the seconds the chat is still busy (too long to wait here)."""
        while True:
            slot = self.limiter.reserve(chat_id)
            if slot.granted:
                if slot.wait > 0:
                    time.sleep(slot.wait)
                return None
            if slot.wait > MAX_CHAT_WAIT:
                return slot.wait
            time.sleep(slot.wait)

    def send(self, message: channels.Message) -> channels.Outcome:
        try:
            chat_id = int(message.address)
        except ValueError:
            return channels.Failed(reason=f"not a chat id: {message.address!r}")
        text, markup = self._text(message), self._markup(message)
        # Start the Bot before taking a slot: slots taken while it starts would all
        # go out at once afterwards, a burst over the limit.
        self._start()
        backoff = INLINE_BACKOFF
        last_error = ""
        for _try in range(INLINE_TRIES + 1):
            busy = self._wait_for_slot(chat_id)
            if busy is not None:
                return channels.Retry(reason="chat busy", after_seconds=busy)
            try:
                self._run(
                    self._bot_send(chat_id=chat_id, text=text, reply_markup=markup)
                )
            except RetryAfter as error:
                pause = _seconds(error.retry_after)
                self.limiter.pause(pause)
                logger.warning("telegram 429: pausing every send for %ss", pause)
                if pause > MAX_INLINE_PAUSE:
                    return channels.Retry(reason="429", after_seconds=pause)
                last_error = f"429 retry_after={pause}"
                continue  # the next reservation waits out the pause
            except Forbidden as error:
                services.link_mark_blocked(chat_id=chat_id)
                return channels.Failed(reason=f"blocked by the user: {error.message}")
            except BadRequest as error:
                return channels.Failed(reason=f"bad request: {error.message}")
            except (TimedOut, NetworkError, TimeoutError) as error:
                last_error = f"{type(error).__name__}: {error}"
                time.sleep(backoff)
                backoff *= 2
                continue
            return channels.Sent()
        return channels.Retry(reason=last_error[:500] or "telegram unavailable")

    async def _bot_send(self, **kwargs):
        return await self._bot.send_message(**kwargs)


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def register_if_enabled() -> None:
    """Register the Telegram channel when a bot token is configured (AppConfig)."""
    if enabled():
        channels.register(TelegramChannel())
