"""The notifications sweep, for deployments whose task workers run apart from the web
processes (``manage.py serve`` runs it itself): due retries, the end of quiet hours,
claims of workers that died, scheduled and lost campaigns."""

import time

from django.core.management.base import BaseCommand

from notifications import conf, services


class Command(BaseCommand):
    help = "Deliver what is due and restart lost work, every few seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one sweep.")
        parser.add_argument(
            "--every", type=float, default=None, help="Seconds between sweeps."
        )

    def handle(self, *args, once, every, **options):
        every = every or conf.get("TICK_SECONDS")
        while True:
            report = services.tick()
            if report.claimed:
                self.stdout.write(
                    f"sent {report.sent}, retried {report.retried}, "
                    f"failed {report.failed}"
                )
            if once:
                return
            time.sleep(every)
