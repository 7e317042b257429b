"""The Telegram bot process: ``runbot`` polls getUpdates (development); ``runbot
--webhook`` works through the updates the webhook view stored (production, behind
the reverse proxy). Either way each update_id is processed once."""

import asyncio
import logging

from asgiref.sync import async_to_sync, sync_to_async
from django.core.management.base import BaseCommand, CommandError
from telegram import Update

from notifications import telegram
from notifications.telegram import bot as telegram_bot
from notifications.telegram import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the Telegram bot (polling, or --webhook to process stored updates)."

    def add_arguments(self, parser):
        parser.add_argument("--webhook", action="store_true")
        parser.add_argument("--idle", type=float, default=0.5, help="seconds")
        parser.add_argument(
            "--once",
            action="store_true",
            help="process what is waiting now, then exit (a drain, and the tests)",
        )
        parser.add_argument(
            "--poll-timeout", type=int, default=25, help="getUpdates long poll, seconds"
        )

    def handle(
        self, *args, webhook=False, idle=0.5, once=False, poll_timeout=25, **options
    ):
        if not telegram.enabled():
            raise CommandError("TELEGRAM_BOT_TOKEN is not set: the bot is off.")
        try:
            async_to_sync(self._main)(
                webhook=webhook, idle=idle, once=once, poll_timeout=poll_timeout
            )
        except KeyboardInterrupt:
            self.stdout.write("bot stopped")

    async def _process(self, application, update_id: int, payload: dict) -> None:
        failed = False
        try:
            await application.process_update(Update.de_json(payload, application.bot))
        except Exception:
            failed = True
            logger.exception("update %s failed", update_id)
        await sync_to_async(services.update_done)(update_id=update_id, failed=failed)

    async def _main(
        self, *, webhook: bool, idle: float, once: bool = False, poll_timeout: int = 25
    ) -> None:
        application = telegram_bot.build_application()
        async with application:
            me = application.bot
            self.stdout.write(
                f"bot @{me.username} running ({'webhook' if webhook else 'polling'})"
            )
            if not webhook:
                await me.delete_webhook()
            offset = None
            while True:
                if webhook:
                    pending = await sync_to_async(services.updates_pending)()
                    for row in pending:
                        await self._process(application, row.update_id, row.payload)
                    if once and not pending:
                        return
                    if not pending:
                        await asyncio.sleep(idle)
                    continue
                updates = await me.get_updates(
                    offset=offset, timeout=0 if once else poll_timeout
                )
                for update in updates:
                    offset = update.update_id + 1
                    payload = update.to_dict()
                    fresh = await sync_to_async(services.update_record)(
                        update_id=update.update_id, payload=payload
                    )
                    if fresh:
                        await self._process(application, update.update_id, payload)
                if once and not updates:
                    if offset is not None:  # confirm the last ones to Telegram
                        await me.get_updates(offset=offset, timeout=0)
                    return
