"""The bot process (``manage.py runbot``): polling, or the updates the webhook stored.

It lives through every transient fault: the network or the Bot API away (errors,
timeouts, 5xx), 429 with ``retry_after``, the database restarting. Each is retried
with exponential back-off and jitter (capped at ``TELEGRAM["RETRY_MAX_SECONDS"]``),
logged once when the outage starts and once when it ends. Only a refused token
(401/404, on getMe or later) or another process polling with the same token (409)
stop it, as :class:`BotStopped` with a message that says what to do.

Why not PTB's ``Updater``: it confirms a batch to Telegram on its next poll, before
the batch is processed, so updates fetched during a database outage would live only
in memory. Here the offset moves past an update only once it is recorded and
processed, so a crash or an outage never loses one (the de-duplication absorbs the
repeat). The errors and ``retry_after`` are PTB's own.
"""

import asyncio
import contextlib
import logging
import random
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connections
from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from notifications.telegram import services

logger = logging.getLogger(__name__)


class BotStopped(Exception):
    """A fault that retrying cannot mend: the process should stop and say why."""


@dataclass
class Backoff:
    """Exponential back-off with jitter: the n-th wait is drawn from the upper half
    of ``base * 2**n`` (capped), so it grows, never collapses to zero, and two
    processes do not retry in step."""

    base: float = 0.5
    cap: float = 30.0
    attempt: int = 0

    def next(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311

    def reset(self) -> None:
        self.attempt = 0


@dataclass
class Outage:
    """Logs a fault once when it starts and once when work succeeds again."""

    since: float | None = None
    failures: int = 0
    causes: set = field(default_factory=set)

    def failed(self, cause: str, error: BaseException, wait: float, cap: float) -> None:
        self.failures += 1
        if cause not in self.causes:
            self.causes.add(cause)
            self.since = self.since or time.monotonic()
            logger.warning(
                "%s unavailable (%s: %s); retrying with back-off (next in %.1f s, "
                "at most %.0f s apart) until it is back",
                cause,
                type(error).__name__,
                error,
                wait,
                cap,
            )

    def over(self) -> None:
        if self.since is not None:
            logger.warning(
                "%s back after %.1f s (%d failed attempts); resuming",
                " and ".join(sorted(self.causes)),
                time.monotonic() - self.since,
                self.failures,
            )
        self.since, self.failures, self.causes = None, 0, set()


def _cap() -> float:
    return float(settings.TELEGRAM.get("RETRY_MAX_SECONDS", 30.0))


def _retry_after(error: RetryAfter) -> float:
    """Seconds Telegram asked to wait (an int today, a timedelta in PTB 23)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def _mend_connections() -> None:
    """Drop database connections broken by a restart, so the next query
    reconnects (what Django does between requests)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Runner:
    def __init__(
        self,
        application: Application,
        *,
        stop: asyncio.Event | None = None,
        backoff: Backoff | None = None,
    ):
        self.application = application
        self.stop = stop or asyncio.Event()
        self.backoff = backoff or Backoff(cap=_cap())
        self.outage = Outage()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)

    async def retrying(self, action: Callable[[], Awaitable]):
        """Run ``action`` until it succeeds (or ``stop`` is set: None)."""
        while not self.stop.is_set():
            try:
                result = await action()
            except InvalidToken as error:
                raise BotStopped(
                    "Telegram refused the bot token (401/404). Check "
                    "TELEGRAM_BOT_TOKEN (ask @BotFather for the current one)."
                ) from error
            except Conflict as error:
                raise BotStopped(
                    "Another process is receiving this bot's updates (409 Conflict: "
                    f"{error.message}). Stop the other `runbot`, or remove the "
                    "webhook (`manage.py set_telegram_webhook --delete`) to poll."
                ) from error
            except RetryAfter as error:
                wait = _retry_after(error) + random.uniform(0, 0.5)  # noqa: S311
                self.outage.failed(
                    "Telegram Bot API (429)", error, wait, self.backoff.cap
                )
            except TelegramError as error:  # network, timeouts, 5xx, …
                wait = self.backoff.next()
                self.outage.failed("Telegram Bot API", error, wait, self.backoff.cap)
            except DatabaseError as error:
                await sync_to_async(_mend_connections)()
                wait = self.backoff.next()
                self.outage.failed("database", error, wait, self.backoff.cap)
            else:
                self.backoff.reset()
                self.outage.over()
                return result
            await self._sleep(wait)
        return None

    async def start(self) -> None:
        """Initialise the Application (getMe), retrying until the API answers."""
        await self.retrying(self.application.initialize)

    async def process(self, row, payload: dict | None = None) -> None:
        """Run one recorded update (``payload``, else what the row stored) through
        the handlers, then mark it done. A handler that fails marks the update
        failed (it is not tried again)."""
        failed = False
        try:
            update = Update.de_json(payload or row.payload, self.application.bot)
            await self.application.process_update(update)
        except Exception:
            failed = True
            logger.exception("telegram update %s failed", row.update_id)
        await sync_to_async(services.update_done)(pk=row.pk, failed=failed)

    async def poll(self, *, timeout: int, once: bool = False) -> None:
        """getUpdates until stopped; with ``once``, until nothing is waiting."""
        bot = self.application.bot
        await self.retrying(bot.delete_webhook)
        offset: int | None = None

        async def fetch_and_process() -> list:
            nonlocal offset
            updates = await bot.get_updates(
                offset=offset, timeout=0 if once else timeout
            )
            for update in updates:
                payload = update.to_dict()
                row = await sync_to_async(services.update_record)(
                    update_id=update.update_id, payload=payload
                )
                if row is not None:
                    await self.process(row, payload)
                offset = update.update_id + 1  # only now: recorded and processed
            return updates

        while not self.stop.is_set():
            updates = await self.retrying(fetch_and_process)
            if once and not updates:
                if offset is not None:  # confirm the last ones to Telegram
                    await self.retrying(
                        lambda: bot.get_updates(offset=offset, timeout=0)
                    )
                return

    async def drain_stored(self, *, idle: float, once: bool = False) -> None:
        """Webhook mode: process the updates the webhook view stored."""
        while not self.stop.is_set():
            pending = await self.retrying(sync_to_async(services.updates_pending))
            for row in pending or ():
                await self.process(row)
            if once and not pending:
                return
            if not pending:
                await self._sleep(idle)


async def run(
    *,
    webhook: bool = False,
    idle: float = 0.5,
    once: bool = False,
    poll_timeout: int = 25,
    stop: asyncio.Event | None = None,
    backoff: Backoff | None = None,
    started: Callable[[str], None] | None = None,
) -> None:
    """The bot process's body (``runbot``); returns when ``stop`` is set or, with
    ``once``, when nothing is waiting. Raises :class:`BotStopped`."""
    from notifications.telegram import bot as telegram_bot

    application = telegram_bot.build_application()
    runner = Runner(application, stop=stop, backoff=backoff)
    await runner.start()
    try:
        if started is not None:
            mode = "webhook" if webhook else "polling"
            started(f"bot @{application.bot.username} running ({mode})")
        if webhook:
            await runner.drain_stored(idle=idle, once=once)
        else:
            await runner.poll(timeout=poll_timeout, once=once)
    finally:
        await application.shutdown()  # a no-op when getMe never answered
