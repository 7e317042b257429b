"""Pull from Kingdee K/3 Cloud (and make due pushes: order retries, invoice requests): once, or every few minutes.

    python manage.py erp_sync --once            one incremental run, then exit
    python manage.py erp_sync --once --full     read every row again (upserts: no harm)
    python manage.py erp_sync --forms BD_MATERIAL,BD_Customer --once
    python manage.py erp_sync                   the schedule: a run every K3CLOUD_SYNC_EVERY_MINUTES

Exit status with --once: 0 when the run completed (bad rows are reported, not fatal),
1 when the ERP could not be reached or refused the login, 2 when the connector is off
or misconfigured, 3 when another run holds the lock.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from erp import conf, forms, push, sync
from erp.client import K3Client
from erp.models import SyncError


class Command(BaseCommand):
    help = "Pull master data, stock, deliveries and receipts from Kingdee K/3 Cloud."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One run, then exit.")
        parser.add_argument(
            "--full", action="store_true", help="Ignore the watermarks: read every row."
        )
        parser.add_argument(
            "--forms",
            dest="form_list",
            default="",
            help=f"Comma-separated, of: {', '.join(forms.FORM_NAMES)}",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bars."
        )

    def handle(self, *args, once, full, form_list: str, no_progress, **options):
        config = conf.config()
        if config is None:
            raise CommandError(
                "The ERP connector is off: set K3CLOUD_URL (and the other K3CLOUD_* "
                "variables) to connect to Kingdee K/3 Cloud.",
                returncode=2,
            )
        if missing := conf.missing(config):
            raise CommandError(
                f"The ERP connector lacks: {', '.join(missing)}", returncode=2
            )
        wanted = [f.strip() for f in form_list.split(",") if f.strip()] or None
        if wanted and (unknown := set(wanted) - set(forms.FORM_NAMES)):
            raise CommandError(f"Unknown forms: {', '.join(sorted(unknown))}")
        mode = "app signature" if config.signed else "password session"
        self.stdout.write(f"K/3 Cloud at {config.url} ({mode}, org {config.sale_org})")
        if once:
            if code := self._run(config, wanted, full, not no_progress):
                raise CommandError("The ERP sync did not complete.", returncode=code)
            return
        every = settings.K3CLOUD["SYNC_EVERY_MINUTES"] * 60
        while True:  # the schedule: a run, then wait (Ctrl-C stops it)
            self._run(config, wanted, full, not no_progress)
            full = False
            time.sleep(every)

    def _run(self, config, wanted, full, show) -> int:
        bars: dict[str, tqdm] = {}

        def on_progress(form, progress):
            if not show:
                return
            bar = bars.get(form)
            if bar is None:
                bar = bars[form] = tqdm(desc=form, unit="row", file=self.stdout)
            bar.update(progress["rows"] - bar.n)
            bar.set_postfix(pages=progress["pages"], errors=progress["errors"])
            if progress["done"]:
                bar.close()

        with K3Client(config) as client:
            push.pushes_run(client=client)
            try:
                outcome = sync.sync_run(
                    client=client, form_names=wanted, full=full, on_progress=on_progress
                )
            except sync.SyncBusy:
                self.stderr.write("Another ERP sync is running; try again later.")
                return 3
        for bar in bars.values():
            bar.close()
        run = outcome.run
        for form, progress in run.progress.items():
            self.stdout.write(
                f"{form}: {progress['rows']} rows, {progress['pages']} pages, "
                f"{progress['errors']} bad, {progress['skipped']} skipped"
            )
        for error in SyncError.objects.filter(run=run)[:50]:
            self.stdout.write(f"  bad row {error.form} {error.erp_id}: {error.reason}")
        if not outcome.ok:
            self.stderr.write(f"The run failed: {run.error}")
            return 1
        self.stdout.write(f"Run {run.pk} done.")
        return 0
