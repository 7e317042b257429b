"""The nightly reconciliation: per dealer, money that must add up, checked and the
differences listed for the back office (never corrected silently).

- an order's total = what was billed for it (receivables and adjustments, less
  credits) + what is still to ship;
- a receivable = what paid it (write-offs, net of reversals) + what is still open;
- a receivable is never invoiced beyond its amount, nor an order credited after
  invoicing beyond what it is still billed (its credit note is due).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from orders import selectors
from orders.models import (
    AccountMovement,
    InvoiceAllocation,
    Order,
    Receivable,
    ReconciliationIssue,
    WriteOff,
)

ZERO = Decimal("0.00")


def _dealer_issues(dealer_id: int, now) -> list[ReconciliationIssue]:
    issues = []

    def issue(kind, reference, expected, actual):
        issues.append(
            ReconciliationIssue(
                checked_at=now,
                dealer_id=dealer_id,
                kind=kind,
                reference=reference,
                expected=expected,
                actual=actual,
            )
        )

    receivables = Receivable.objects.filter(dealer_id=dealer_id)
    raised = selectors.money_totals(receivables, "order_id")
    credited = selectors.money_totals(
        AccountMovement.objects.filter(
            order__dealer_id=dealer_id,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.ADJUSTED,
        ),
        "order_id",
    )
    invoiced_orders = selectors.money_totals(
        InvoiceAllocation.objects.filter(receivable__dealer_id=dealer_id),
        "receivable__order_id",
    )
    for order in Order.objects.filter(dealer_id=dealer_id).only(
        "pk", "number", "total", "unshipped_value"
    ):
        billed = (raised.get(order.pk) or ZERO) - (credited.get(order.pk) or ZERO)
        # an adjustment in the dealer's favour after invoicing needs a credit note
        covered = invoiced_orders.get(order.pk) or ZERO
        if credited.get(order.pk) and covered > billed:
            issue(ReconciliationIssue.Check.INVOICED, order.number, billed, covered)
        if order.total != billed + order.unshipped_value:
            issue(
                ReconciliationIssue.Check.BILLED,
                order.number,
                order.total,
                billed + order.unshipped_value,
            )
    paid = selectors.money_totals(
        WriteOff.objects.filter(receivable__dealer_id=dealer_id), "receivable_id"
    )
    invoiced = selectors.money_totals(
        InvoiceAllocation.objects.filter(receivable__dealer_id=dealer_id),
        "receivable_id",
    )
    for receivable in receivables.only("pk", "number", "amount", "open_amount"):
        settled = (paid.get(receivable.pk) or ZERO) + receivable.open_amount
        if receivable.amount != settled:
            issue(
                ReconciliationIssue.Check.PAID,
                receivable.number,
                receivable.amount,
                settled,
            )
        covered = invoiced.get(receivable.pk) or ZERO
        if covered > receivable.amount:
            issue(
                ReconciliationIssue.Check.INVOICED,
                receivable.number,
                receivable.amount,
                covered,
            )
    return issues


def reconciliation_run(*, dealer_ids=None) -> list[ReconciliationIssue]:
    """Check every dealer (or ``dealer_ids``) and record what does not add up; the
    page shows the latest run. Returns the differences found."""
    from dealers.models import Dealer

    now = timezone.now()
    ids = (
        list(dealer_ids)
        if dealer_ids is not None
        else list(Dealer.objects.values_list("pk", flat=True))
    )
    found = []
    for dealer_id in ids:
        found += _dealer_issues(dealer_id, now)
    with transaction.atomic():
        ReconciliationIssue.objects.filter(dealer_id__in=ids).delete()
        ReconciliationIssue.objects.bulk_create(found)
    return found
