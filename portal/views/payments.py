"""Payments: balances, receivables and installments, receipts, gifts owed, statements."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError, NotFound
from orders import selectors, services
from portal import exports
from portal.decorators import dealer_required
from portal.forms import StatementPeriodForm, StatementResponseForm
from portal.http import HtmxHttpRequest


@require_GET
@dealer_required
def payments(request: HtmxHttpRequest):
    """What the dealer owes, has paid ahead, and is owed (gifts, expense credit)."""
    today = timezone.localdate()
    return render(
        request,
        "portal/payments.html",
        {
            "balances": selectors.balances_get(dealer=request.dealer, today=today),
            "receivables": selectors.receivable_list(
                dealer=request.dealer, open_only=True
            )[:50],
            "receipts": selectors.receipt_list(dealer=request.dealer)[:20],
            "gifts": selectors.gifts_owed_list(dealer=request.dealer),
            "today": today,
        },
    )


def _period(request) -> tuple[StatementPeriodForm, datetime.date, datetime.date]:
    today = timezone.localdate()
    form = StatementPeriodForm(
        request.GET or None, initial={"start": today.replace(day=1), "end": today}
    )
    start, end = today.replace(day=1), today
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    return form, start, end


@require_GET
@dealer_required
def statement(request: HtmxHttpRequest):
    """对账单 for any period; ``?format=xlsx`` downloads it, the page prints cleanly."""
    form, start, end = _period(request)
    if start > end:
        start, end = end, start
    data = selectors.statement_get(
        dealer=request.dealer, period_from=start, period_to=end
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.statement_xlsx(dealer=request.dealer, statement=data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="statement-{request.dealer.code}-{start}-{end}.xlsx"'
        )
        return response
    return render(
        request,
        "portal/statement.html",
        {
            "form": form,
            "statement": data,
            "respond_form": StatementResponseForm(
                initial={"start": start, "end": end}, auto_id=False
            ),
        },
    )


@require_POST
@dealer_required(can_order=True)
def statement_respond(request: HtmxHttpRequest):
    """Confirm the statement, or dispute it with a note the rep will see."""
    form = StatementResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the period and the note."))
        return redirect("portal:statement")
    data = form.cleaned_data
    try:
        services.statement_respond(
            dealer=request.dealer,
            period_from=data["start"],
            period_to=data["end"],
            confirm=data["action"] == "confirm",
            note=data["note"],
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if data["action"] == "confirm":
            messages.success(request, _("Thank you: the statement is confirmed."))
        else:
            messages.success(request, _("Your dispute was sent to your sales rep."))
    query = urlencode({"start": data["start"], "end": data["end"]})
    return redirect(f"{reverse('portal:statement')}?{query}")


@require_POST
@dealer_required(can_order=True)
def shipment_confirm(request: HtmxHttpRequest, number: str, shipment: str):
    """确认收货: the dealer confirms a delivered shipment, optionally noting a problem."""
    try:
        selectors.order_get(number=number, dealer=request.dealer)
        services.shipment_confirm(
            number=shipment,
            dealer=request.dealer,
            by=request.user,
            dispute_note=request.POST.get("dispute_note", "")[:1000],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Receipt confirmed. Thank you."))
    return redirect("portal:orders-detail", number=number)
