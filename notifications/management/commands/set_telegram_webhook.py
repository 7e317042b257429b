"""Point Telegram at this deployment's webhook (with the secret token), or remove it."""

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from notifications import telegram
from notifications.telegram.bot import plain_bot


class Command(BaseCommand):
    help = "Register (or --delete) the Telegram webhook."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="defaults to PORTAL_BASE_URL + the route")
        parser.add_argument("--delete", action="store_true")

    def handle(self, *args, url=None, delete=False, **options):
        if not telegram.enabled():
            raise CommandError("TELEGRAM_BOT_TOKEN is not set: the bot is off.")
        secret = settings.TELEGRAM.get("WEBHOOK_SECRET", "")
        if not delete and not secret:
            raise CommandError("Set TELEGRAM_WEBHOOK_SECRET first.")
        url = url or settings.PORTAL_BASE_URL.rstrip("/") + reverse("telegram-webhook")

        async def run():
            async with plain_bot() as bot:
                if delete:
                    return await bot.delete_webhook()
                return await bot.set_webhook(
                    url=url,
                    secret_token=secret,
                    allowed_updates=["message", "callback_query"],
                )

        ok = asyncio.run(run())
        self.stdout.write(
            ("deleted" if delete else f"webhook set to {url}") if ok else "failed"
        )
