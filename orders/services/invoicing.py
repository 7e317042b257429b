"""Tax invoices (发票) the ERP issued against receivables."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.errors import Conflict, InvalidInput
from dealers.models import Dealer
from orders.models import Invoice, InvoiceAllocation, Receivable

ZERO = Decimal("0.00")


@transaction.atomic
def invoice_record(
    *,
    external_id: str,
    dealer: Dealer,
    number: str,
    kind: str,
    date: datetime.date,
    amount: Decimal,
    tax_amount: Decimal,
    receivables: Iterable[tuple[str, Decimal]],
) -> tuple[Invoice, bool]:
    """Record an invoice: ``amount`` (tax included) covers the named receivables, each
    never invoiced beyond its amount. The same ``external_id`` again answers the first
    invoice and records nothing."""
    existing = Invoice.objects.filter(external_id=external_id).first()
    if existing is not None:
        if (existing.dealer_id, existing.number, existing.amount) != (
            dealer.pk,
            number,
            amount,
        ):
            raise Conflict(
                _("This invoice id was already used for another invoice."),
                code="replay_mismatch",
            )
        return existing, False
    if kind not in Invoice.Kind.values:
        raise InvalidInput(
            _("Unknown invoice kind %(kind)s.") % {"kind": kind},
            code="invalid_kind",
            errors=[{"field": "kind", "message": "vat_special or vat_normal"}],
        )
    if tax_amount > amount:
        raise InvalidInput(
            _("The tax cannot be more than the invoice amount."),
            code="invalid_amount",
            errors=[{"field": "tax_amount", "message": "more than amount"}],
        )
    wanted: dict[str, Decimal] = {}
    for receivable_number, part in receivables:
        wanted[receivable_number] = wanted.get(receivable_number, ZERO) + part
    if not wanted or sum(wanted.values()) != amount:
        raise InvalidInput(
            _("The receivables an invoice covers must add up to its amount."),
            code="invoice_total",
            errors=[{"field": "receivables", "message": "do not add up to amount"}],
        )
    # Locked: two invoices for one receivable at once cannot both fit.
    found = {
        r.number: r
        for r in Receivable.objects.select_for_update().filter(
            number__in=wanted, dealer=dealer
        )
    }
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise InvalidInput(
            _("No receivable %(number)s for this dealer.") % {"number": missing[0]},
            code="invalid_receivable",
            errors=[{"field": "receivables", "message": n} for n in missing],
        )
    invoiced = dict(
        InvoiceAllocation.objects.filter(receivable__in=found.values())
        .values("receivable__number")
        .annotate(total=Sum("amount"))
        .values_list("receivable__number", "total")
    )
    for receivable_number, part in wanted.items():
        receivable = found[receivable_number]
        already = invoiced.get(receivable_number) or ZERO
        if already + part > receivable.amount:
            raise Conflict(
                _(
                    "%(number)s is %(amount)s and %(already)s of it is already "
                    "invoiced: %(part)s more is too much."
                )
                % {
                    "number": receivable_number,
                    "amount": receivable.amount,
                    "already": already,
                    "part": part,
                },
                code="over_invoiced",
                errors=[{"field": "receivables", "message": receivable_number}],
            )
    invoice = Invoice.objects.create(
        external_id=external_id,
        dealer=dealer,
        number=number,
        kind=kind,
        date=date,
        amount=amount,
        tax_amount=tax_amount,
    )
    InvoiceAllocation.objects.bulk_create(
        InvoiceAllocation(invoice=invoice, receivable=found[n], amount=part)
        for n, part in wanted.items()
    )
    return invoice, True
