"""The nightly reconciliation (cron it): per dealer, order totals against what was
billed and is still to ship, receivables against what paid them and what is open,
invoices against receivables. Differences are listed on /office/reconciliation/."""

from django.core.management.base import BaseCommand

from orders import services


class Command(BaseCommand):
    help = "Check that every dealer's money adds up; list the differences."

    def handle(self, *args, **options):
        found = services.reconciliation_run()
        for issue in found:
            self.stdout.write(
                f"{issue.dealer_id} {issue.reference} {issue.kind}: "
                f"expected {issue.expected}, found {issue.actual}"
            )
        self.stdout.write(f"{len(found)} difference(s).")
