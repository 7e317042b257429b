"""Tax invoices (发票) the ERP issued against receivables."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, Forbidden, InvalidInput
from dealers.models import Dealer, InvoicingDetails
from orders import selectors
from orders.models import (
    Invoice,
    InvoiceAllocation,
    InvoiceRequest,
    Receivable,
)

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
    reverses: str = "",
) -> tuple[Invoice, bool]:
    """Record an invoice: ``amount`` (tax included) covers the named receivables, each
    never invoiced beyond its amount. With ``reverses`` (the number of one of the
    dealer's invoices) it is a credit note (红字发票): ``amount`` comes off the named
    receivables' invoiced amounts, never more than that invoice put on each. The same
    ``external_id`` again answers the first and records nothing."""
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
    if reverses:
        original = _reversed_invoice(dealer, reverses, kind)
        _credit_check(original, wanted)
    else:
        original = None
        _invoice_check(found, wanted)
    invoice = Invoice.objects.create(
        external_id=external_id,
        dealer=dealer,
        number=number,
        kind=kind,
        date=date,
        amount=amount,
        tax_amount=tax_amount,
        reverses=original,
    )
    sign = -1 if original is not None else 1
    InvoiceAllocation.objects.bulk_create(
        InvoiceAllocation(invoice=invoice, receivable=found[n], amount=sign * part)
        for n, part in wanted.items()
    )
    _requests_close(dealer)
    return invoice, True


def _reversed_invoice(dealer: Dealer, number: str, kind: str) -> Invoice:
    original = Invoice.objects.filter(
        dealer=dealer, number=number, reverses__isnull=True
    ).first()
    if original is None:
        raise InvalidInput(
            _("No invoice %(number)s of this dealer to reverse.") % {"number": number},
            code="invalid_invoice",
            errors=[{"field": "reverses", "message": number}],
        )
    if original.kind != kind:
        raise InvalidInput(
            _("A credit note is of its invoice's kind."),
            code="invalid_kind",
            errors=[{"field": "kind", "message": original.kind}],
        )
    return original


def _invoice_check(found: dict[str, Receivable], wanted: dict[str, Decimal]) -> None:
    """An invoice puts on each receivable no more than is left to invoice of it."""
    invoiced = _invoiced(found.values())
    for receivable_number, part in wanted.items():
        receivable = found[receivable_number]
        already = invoiced.get(receivable.pk) or ZERO
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


def _credit_check(original: Invoice, wanted: dict[str, Decimal]) -> None:
    """A credit note takes off a receivable no more than ``original`` still covers
    of it (what it invoiced, less its earlier credit notes)."""
    covered = selectors.invoice_still_covers(invoice=original)
    for receivable_number, part in wanted.items():
        left = covered.get(receivable_number) or ZERO
        if part > left:
            raise Conflict(
                _(
                    "Invoice %(invoice)s covers %(left)s of %(number)s: a credit note "
                    "of %(part)s is too much."
                )
                % {
                    "invoice": original.number,
                    "left": left,
                    "number": receivable_number,
                    "part": part,
                },
                code="over_credited",
                errors=[{"field": "receivables", "message": receivable_number}],
            )


def _invoiced(receivables) -> dict[int, Decimal]:
    """What is invoiced of each receivable (invoices less credit notes), by id."""
    return selectors.money_totals(
        InvoiceAllocation.objects.filter(receivable__in=list(receivables)),
        "receivable_id",
    )


def _uninvoiced(receivables) -> dict[int, Decimal]:
    """Of ``receivables``, what is not invoiced yet, by receivable id (> 0 only)."""
    invoiced = _invoiced(receivables)
    left = {r.pk: r.amount - (invoiced.get(r.pk) or ZERO) for r in receivables}
    return {pk: amount for pk, amount in left.items() if amount > 0}


def _requests_close(dealer: Dealer) -> None:
    """Open requests whose receivables are now invoiced in full are done."""
    for request in InvoiceRequest.objects.filter(
        dealer=dealer, status=InvoiceRequest.Status.OPEN
    ).prefetch_related("receivables"):
        if not _uninvoiced(list(request.receivables.all())):
            request.status = InvoiceRequest.Status.ISSUED
            request.closed_at = timezone.now()
            request.save(update_fields=["status", "closed_at"])


@transaction.atomic
def invoice_request_create(*, dealer_user, kind: str) -> InvoiceRequest:
    """One tap: ask for an invoice for every shipped receivable of the dealer not yet
    invoiced nor already asked for, made out to the dealer's invoicing details."""
    if not dealer_user.can_order:
        raise Forbidden(
            _("Only the dealer's owner and buyers can request invoices."),
            code="not_allowed",
        )
    if kind not in Invoice.Kind.values:
        raise InvalidInput(
            _("Unknown invoice kind %(kind)s.") % {"kind": kind}, code="invalid_kind"
        )
    dealer = Dealer.objects.select_for_update().get(pk=dealer_user.dealer_id)
    details = InvoicingDetails.objects.filter(dealer=dealer).first()
    if details is None:
        raise InvalidInput(
            _("Fill in your invoicing details first (account page)."),
            code="no_invoicing_details",
        )
    asked = InvoiceRequest.objects.filter(
        dealer=dealer, status=InvoiceRequest.Status.OPEN
    ).values_list("receivables", flat=True)
    candidates = list(
        Receivable.objects.filter(
            dealer=dealer, kind=Receivable.Kind.SHIPMENT, amount__gt=0
        ).exclude(pk__in=[pk for pk in asked if pk])
    )
    left = _uninvoiced(candidates)
    if not left:
        raise InvalidInput(
            _("Everything shipped is invoiced or already requested."),
            code="nothing_to_invoice",
        )
    request = InvoiceRequest.objects.create(
        # numbered per dealer; the dealer row is locked above
        number=f"IR-{dealer.code}-{InvoiceRequest.objects.filter(dealer=dealer).count() + 1:04d}",
        dealer=dealer,
        kind=kind,
        amount=sum(left.values(), ZERO),
        details={
            "company_name": details.company_name,
            "taxpayer_number": details.taxpayer_number,
            "bank": details.bank,
            "bank_account": details.bank_account,
            "address": details.address,
            "phone": details.phone,
        },
        requested_by=dealer_user.user,
    )
    request.receivables.set(left)
    return request
