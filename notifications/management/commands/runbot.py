"""The Telegram bot process: ``runbot`` polls getUpdates (development); ``runbot
--webhook`` works through the updates the webhook view stored (production, behind
the reverse proxy). Either way each update_id is processed once, and the process
rides out network, Bot API and database outages (``notifications.telegram.runner``)."""

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand, CommandError

from notifications import telegram
from notifications.telegram import runner


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
            async_to_sync(runner.run)(
                webhook=webhook,
                idle=idle,
                once=once,
                poll_timeout=poll_timeout,
                started=self.stdout.write,
            )
        except runner.BotStopped as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            self.stdout.write("bot stopped")
