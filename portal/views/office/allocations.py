"""Manual allocation: the rep matches a dealer's unallocated money (receipts held by
the "manual" write-off rule, reversed write-offs, prepayment) to its open
receivables, and undoes a write-off when the ERP reverses a receipt. Every match and
every undo is a row naming who made it; nothing is edited or deleted."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError
from common.money import format_money
from dealers.models import Dealer
from notifications import selectors as notification_selectors
from notifications.views.access import rep_required
from orders import selectors, services
from orders.models import Receivable, WriteOff
from portal.forms import AllocateForm
from portal.http import HtmxHttpRequest


def _dealer_in_scope(request, code: str) -> Dealer:
    """A dealer this rep serves (a manager: the org subtree), else 404."""
    dealer = (
        notification_selectors.rep_scope(context=request.rep).filter(code=code).first()
    )
    if dealer is None:
        raise Http404
    return dealer


@require_GET
@rep_required
def allocations(request: HtmxHttpRequest):
    dealers = notification_selectors.rep_scope(context=request.rep)
    rows = selectors.allocation_worklist(dealers=dealers)
    return render(request, "office/allocations.html", {"rows": rows})


@require_GET
@rep_required
def allocation_dealer(request: HtmxHttpRequest, code: str):
    dealer = _dealer_in_scope(request, code)
    desk = selectors.allocation_desk(dealer=dealer)
    return render(request, "office/allocation_dealer.html", {"desk": desk})


@require_POST
@rep_required
def allocate(request: HtmxHttpRequest, code: str):
    """Match unallocated money to one open receivable of the dealer."""
    dealer = _dealer_in_scope(request, code)
    form = AllocateForm(request.POST)
    receivable = None
    if form.is_valid():
        receivable = Receivable.objects.filter(
            dealer=dealer, number=form.cleaned_data["receivable"]
        ).first()
    if not form.is_valid():
        messages.error(request, _("Enter an amount above zero, in yuan and fen."))
    elif receivable is None:  # another dealer's, or made up
        messages.error(request, _("Choose an open receivable of this dealer."))
    else:
        try:
            writeoff = services.writeoff_from_prepayment(
                receivable_number=receivable.number,
                amount=form.cleaned_data["amount"],
                by=request.user,
            )
        except DomainError as error:  # nothing unallocated, nothing open
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(amount)s matched to %(number)s.")
                % {
                    "amount": format_money(writeoff.amount),
                    "number": receivable.number,
                },
            )
    return redirect("office:allocation-dealer", code=dealer.code)


@require_POST
@rep_required
def unallocate(request: HtmxHttpRequest, code: str, pk: int):
    """Undo one write-off (the ERP reversed its receipt): the receivable opens again
    and the money is unallocated, to be matched again."""
    dealer = _dealer_in_scope(request, code)
    if not WriteOff.objects.filter(pk=pk, receivable__dealer=dealer).exists():
        raise Http404
    try:
        reversal = services.writeoff_reverse(writeoff_id=pk, by=request.user)
    except DomainError as error:  # already reversed
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The write-off of %(amount)s on %(number)s is undone.")
            % {
                "amount": format_money(-reversal.amount),
                "number": reversal.receivable.number,
            },
        )
    return redirect("office:allocation-dealer", code=dealer.code)


urls = [
    path("allocations/", allocations, name="allocations"),
    path("allocations/<str:code>/", allocation_dealer, name="allocation-dealer"),
    path("allocations/<str:code>/allocate/", allocate, name="allocate"),
    path(
        "allocations/<str:code>/write-offs/<int:pk>/undo/",
        unallocate,
        name="unallocate",
    ),
]
