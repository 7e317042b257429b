"""Confirm receipt of shipments delivered N days ago that nobody confirmed (cron it daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from orders import services


class Command(BaseCommand):
    help = "Auto-confirm delivered shipments after PORTAL['AUTO_CONFIRM_DAYS'] days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="override the setting"
        )

    def handle(self, *args, days, **options):
        after = days if days is not None else settings.PORTAL["AUTO_CONFIRM_DAYS"]
        count = services.shipments_auto_confirm(after_days=after)
        self.stdout.write(
            f"{count} shipment(s) confirmed automatically (delivered {after}+ days ago)."
        )
