"""Property: any sequence of shipments, receipts (named or not), manual matches,
undone write-offs, invoices and credit notes keeps the three equations the nightly
reconciliation checks: order total = billed + unshipped; receivable = paid + open;
invoiced (invoices less credit notes) between zero and the receivable. And the
statement's invoice movements add up to what is invoiced."""

import contextlib
import datetime
import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Warehouse
from common.errors import DomainError
from dealers.models import Dealer
from orders import selectors, services
from orders.models import Invoice, InvoiceAllocation, Receivable, WriteOff

_ids = itertools.count(1)
CENT = Decimal("0.01")


@pytest.fixture
def ready(world):
    Warehouse.objects.get_or_create(code="SH", defaults={"name": "上海仓"})
    return world["dealer"]


def _pick(items, index):
    return items[index % len(items)] if items else None


def _part(amount: Decimal, share: int) -> Decimal:
    return max(CENT, (amount * share / 100).quantize(CENT))


def _step(dealer, step) -> None:
    kind, a, b = step
    receivables = list(Receivable.objects.filter(dealer=dealer).order_by("pk"))
    if kind == "ship":
        placement = services.order_place(
            dealer=dealer, lines=[("TEA-A-01", a)], idempotency_key=f"p{next(_ids)}"
        )
        services.shipment_post(
            external_id=f"S{next(_ids)}",
            order_number=placement.order.number,
            warehouse="SH",
            lines=[("TEA-A-01", max(1, a * b // 100), False)],
        )
    elif kind == "receipt":
        named = _pick([r for r in receivables if r.open_amount], b)
        amount = Decimal(a * 13)
        allocations = []
        if named is not None and b % 2:
            allocations = [(named.number, min(amount, named.open_amount))]
        services.receipt_post(
            external_id=f"R{next(_ids)}",
            dealer=dealer,
            amount=amount,
            date=datetime.date(2026, 12, 1),
            allocations=allocations,
        )
    elif kind == "match":
        target = _pick([r for r in receivables if r.open_amount], a)
        if target is not None:
            services.writeoff_from_prepayment(
                receivable_number=target.number, amount=_part(target.open_amount, b)
            )
    elif kind == "undo":
        done = list(
            WriteOff.objects.filter(
                receivable__dealer=dealer,
                reversal_of__isnull=True,
                reversal__isnull=True,
            ).order_by("pk")
        )
        if (writeoff := _pick(done, a)) is not None:
            services.writeoff_reverse(writeoff_id=writeoff.pk)
    elif kind == "invoice":
        target = _pick(receivables, a)
        if target is not None:
            invoiced = target.invoice_allocations.aggregate(t=Sum("amount"))["t"] or 0
            amount = _part(target.amount - invoiced, b)
            _invoice(dealer, target, amount)
    elif kind == "credit":
        invoice = _pick(
            list(Invoice.objects.filter(dealer=dealer, reverses__isnull=True)), a
        )
        if invoice is not None:
            allocation = invoice.allocations.first()
            _invoice(
                dealer, allocation.receivable, _part(allocation.amount, b), invoice
            )


def _invoice(dealer, receivable, amount, reverses=None) -> None:
    number = f"No.{next(_ids)}"
    services.invoice_record(
        external_id=number,
        dealer=dealer,
        number=number,
        kind="vat_special",
        date=datetime.date(2026, 12, 2),
        amount=amount,
        tax_amount=Decimal("0.00"),
        receivables=[(receivable.number, amount)],
        reverses=reverses.number if reverses else "",
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rule=st.sampled_from(Dealer.WriteOffRule.values),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["ship", "receipt", "match", "undo", "invoice", "credit"]),
            st.integers(min_value=1, max_value=40),
            st.integers(min_value=1, max_value=100),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_money_and_invoices_always_reconcile(ready, rule, steps):
    Dealer.objects.filter(pk=ready.pk).update(writeoff_rule=rule)
    ready.refresh_from_db()
    for step in steps:
        # a refusal (over-credited, nothing to match) writes nothing
        with contextlib.suppress(DomainError):
            _step(ready, step)
        issues = services.reconciliation_run()
        assert [(i.kind, i.reference, i.expected, i.actual) for i in issues] == [], step
    for receivable in Receivable.objects.filter(dealer=ready):
        invoiced = receivable.invoice_allocations.aggregate(t=Sum("amount"))["t"] or 0
        assert 0 <= invoiced <= receivable.amount
    statement = selectors.statement_get(
        dealer=ready,
        period_from=datetime.date(2000, 1, 1),
        period_to=datetime.date(2100, 1, 1),
    )
    total = InvoiceAllocation.objects.filter(receivable__dealer=ready).aggregate(
        t=Sum("amount")
    )["t"] or Decimal("0.00")
    assert sum((m.invoiced for m in statement.movements), Decimal("0.00")) == total
    assert sum((o.invoiced for o in statement.orders), Decimal("0.00")) == total
