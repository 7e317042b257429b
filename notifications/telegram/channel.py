"""The Telegram delivery channel: the task worker sends pushes with a plain Bot
(base URL from settings) through the deployment-wide rate limiter.

- 429: everyone pauses until ``retry_after``, then this message is tried again.
- 5xx and timeouts: a few quick retries with backoff here, then a ``Retry`` for the
  outbox's own (longer) backoff, so nothing is lost while Telegram is down.
- 403: the user blocked the bot; the chat is marked and no longer sent to.

The Bot lives on one event loop in a thread of its own, so its connection pool is
reused, and a batch goes out concurrently (up to ``SEND_CONNECTIONS`` in flight),
each message sleeping on that loop until its slot; the rate limiter and the
database are used from the worker's thread.
"""

import asyncio
import heapq
import itertools
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Collection

from django.conf import settings
from django.utils import translation
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from common import metrics
from notifications import channels
from notifications import texts as notification_texts
from notifications.telegram import (
    enabled,
    keyboards,
    ratelimit,
    selectors,
    services,
    texts,
)

logger = logging.getLogger(__name__)

INLINE_TRIES = 3  # quick retries of 5xx / timeouts before handing back to the outbox
INLINE_BACKOFF = 0.2  # seconds, doubled per try
MAX_INLINE_PAUSE = 30.0  # a longer 429 pause hands the message back to the outbox
MAX_CHAT_WAIT = 5.0  # a chat busy longer than this is retried later
LOOKAHEAD = 0.25  # seconds: slots are reserved at most this far ahead
PACE_TOLERANCE = 0.4  # of the spacing: how early a send may pass the loop's pacing


class TelegramChannel(channels.Channel):
    name = "telegram"

    def __init__(self, *, limiter: ratelimit.RateLimiter | None = None):
        self._limiter = limiter
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bot = None
        self._paced_until = 0.0  # the loop's own pacing (see _send_at)
        self._pace_lock: asyncio.Lock | None = None
        self._chat_sent: dict[int, float] = {}  # chat -> when this process last sent
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
                self._pace_lock = asyncio.Lock()  # used on that loop only
                threading.Thread(
                    target=loop.run_forever, name="telegram-sender", daemon=True
                ).start()
                pool = settings.TELEGRAM.get("SEND_CONNECTIONS", 64)
                self._bot = plain_bot(request=request_for(connection_pool_size=pool))
                asyncio.run_coroutine_threadsafe(self._bot.initialize(), loop).result(
                    30
                )
                self._loop = loop

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
        if message.kind in notification_texts.ANSWERABLE_KINDS:
            with translation.override(message.language):
                hint = texts.reply_hint()
            return f"{text[:3900]}\n\n{hint}"
        return text[:4000]

    @property
    def max_in_flight(self) -> int:
        return int(settings.TELEGRAM.get("SEND_CONNECTIONS", 64))

    def send(self, message: channels.Message) -> channels.Outcome:
        outcomes: list[channels.Outcome] = []
        self.send_many(
            [message], on_outcome=lambda _m, outcome: outcomes.append(outcome)
        )
        return outcomes[0]

    def send_many(self, messages, *, on_outcome, deadline=None) -> None:
        """Send a batch concurrently on the Bot's loop, each message at the slot the
        deployment-wide limiter grants it (reserved here, in the caller's thread,
        at most ``LOOKAHEAD`` ahead so a 429 pause holds what follows)."""
        # Start the Bot before taking a slot: slots taken while it starts would all
        # go out at once afterwards, a burst over the limit.
        self._start()
        ready: deque = deque((m, 0) for m in messages)  # (message, attempt)
        later: list = []  # heap of (monotonic ready time, n, message, attempt)
        in_flight: dict = {}  # future -> (message, attempt)
        finished: queue.SimpleQueue = queue.SimpleQueue()  # futures done, in order
        order = itertools.count()
        hold_until = 0.0

        def again(message, attempt, delay):
            heapq.heappush(
                later, (time.monotonic() + delay, next(order), message, attempt)
            )

        while ready or later or in_flight:
            now = time.monotonic()
            while later and later[0][0] <= now:
                _at, _n, message, attempt = heapq.heappop(later)
                ready.appendleft((message, attempt))
            closing = deadline is not None and now >= deadline
            if closing and not in_flight:
                return  # the rest stays claimed; its lease gives it back
            while (
                ready
                and not closing
                and now >= hold_until
                and len(in_flight) < self.max_in_flight
            ):
                message, attempt = ready.popleft()
                try:
                    chat_id = int(message.address)
                except ValueError:
                    on_outcome(
                        message,
                        channels.Failed(reason=f"not a chat id: {message.address!r}"),
                    )
                    continue
                slot = self.limiter.reserve(chat_id)
                now = (
                    time.monotonic()
                )  # the slot is measured from now, not the loop's top
                if not slot.granted:
                    if slot.wait > MAX_CHAT_WAIT:
                        on_outcome(
                            message,
                            channels.Retry(reason="chat busy", after_seconds=slot.wait),
                        )
                    else:
                        again(message, attempt, slot.wait)
                    continue
                future = asyncio.run_coroutine_threadsafe(
                    self._send_at(now + slot.wait, chat_id, message), self._loop
                )
                in_flight[future] = (message, attempt)
                future.add_done_callback(finished.put)
                if slot.wait > LOOKAHEAD:
                    hold_until = now + slot.wait - LOOKAHEAD
                    break
            wake = min(
                [later[0][0]] if later else [],
                default=now + 1.0,
            )
            if ready and len(in_flight) < self.max_in_flight:
                wake = min(wake, max(hold_until, now + 0.001))
            timeout = max(wake - time.monotonic(), 0.0005)
            if not in_flight:
                time.sleep(timeout)
                continue
            try:
                done = [finished.get(timeout=timeout)]
            except queue.Empty:
                continue
            while True:  # take every send that has finished meanwhile
                try:
                    done.append(finished.get_nowait())
                except queue.Empty:
                    break
            for future in done:
                message, attempt = in_flight.pop(future)
                outcome = self._outcome(future, message, attempt, again)
                if outcome is not None:
                    on_outcome(message, outcome)

    def _outcome(self, future, message, attempt, again) -> channels.Outcome | None:
        """What a finished send means; None when it was queued to try again here."""
        try:
            sent = future.result()
        except RetryAfter as error:
            pause = _seconds(error.retry_after)
            self.limiter.pause(pause)
            metrics.TELEGRAM_RATE_LIMITED.inc()
            logger.warning("telegram 429: pausing every send for %ss", pause)
            if pause > MAX_INLINE_PAUSE or attempt >= INLINE_TRIES:
                return channels.Retry(reason="429", after_seconds=pause)
            again(message, attempt + 1, 0)  # its next slot lies after the pause
            return None
        except Forbidden as error:
            services.link_mark_blocked(chat_id=int(message.address))
            return channels.Failed(reason=f"blocked by the user: {error.message}")
        except BadRequest as error:
            return channels.Failed(reason=f"bad request: {error.message}")
        except (TimedOut, NetworkError, TimeoutError) as error:
            if attempt >= INLINE_TRIES:
                reason = f"{type(error).__name__}: {error}"
                return channels.Retry(reason=reason[:500])
            again(message, attempt + 1, INLINE_BACKOFF * 2**attempt)
            return None
        except Exception as error:  # noqa: BLE001 - a bug here is a retry, not a loss
            logger.exception("telegram send raised")
            return channels.Retry(reason=repr(error)[:500])
        return channels.Sent(external_id=str(getattr(sent, "message_id", "") or ""))

    async def _send_at(self, at: float, chat_id: int, message: channels.Message):
        """Send at the slot the limiter granted. A send on time goes straight out;
        when the loop was held up (a cold start, a busy machine, a GC pause) and
        timers fire together, they queue (FIFO) and pass one global spacing apart,
        so a late start trickles out instead of leaving as a burst."""
        chat_gap = self.limiter.chat_interval
        while True:
            ready = max(at, self._chat_sent.get(chat_id, 0.0) + chat_gap)
            delay = ready - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await self._pace()
            # The pacing may have held an earlier message to this chat back until
            # just now: never two to one chat closer than its interval.
            if time.monotonic() >= self._chat_sent.get(chat_id, 0.0) + chat_gap:
                break
        self._chat_sent[chat_id] = time.monotonic()
        if len(self._chat_sent) > 100_000:  # forget chats long quiet
            horizon = time.monotonic() - chat_gap
            self._chat_sent = {c: t for c, t in self._chat_sent.items() if t > horizon}
        return await self._bot_send(
            chat_id=chat_id,
            text=self._text(message),
            reply_markup=self._markup(message),
        )

    async def _pace(self) -> None:
        """Sends pass one spacing apart on the loop's own timeline: a send that is a
        little late (timers overshoot by a fraction of a millisecond) keeps its place
        instead of pushing every later one back, which cost a quarter of the rate at
        1,000/s; a long stall still trickles out one spacing apart."""
        spacing = self.limiter.spacing
        early = spacing * PACE_TOLERANCE
        if time.monotonic() < self._paced_until - early:
            async with self._pace_lock:
                while (wait := self._paced_until - early - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._paced_until = (
                    max(time.monotonic() - spacing, self._paced_until) + spacing
                )
        else:
            self._paced_until = (
                max(time.monotonic() - spacing, self._paced_until) + spacing
            )

    async def _bot_send(self, **kwargs):
        return await self._bot.send_message(**kwargs)


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def register_if_enabled() -> None:
    """Register the Telegram channel when a bot token is configured (AppConfig)."""
    if enabled():
        channels.register(TelegramChannel())
