"""The dealer's VAT invoices: invoicing details, one-tap requests for shipped and
not yet invoiced goods, the requests' status and the invoices the ERP issued."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from dealers import services as dealer_services
from orders import selectors, services
from portal.decorators import dealer_required
from portal.forms import InvoiceRequestForm, InvoicingDetailsForm
from portal.http import HtmxHttpRequest


def _details_initial(details) -> dict:
    if details is None:
        return {}
    return {name: getattr(details, name) for name in dealer_services.INVOICING_FIELDS}


@require_http_methods(["GET", "POST"])
@dealer_required
def invoices(request: HtmxHttpRequest):
    details = selectors.invoicing_details(dealer=request.dealer)
    form = InvoicingDetailsForm(initial=_details_initial(details))
    if request.method == "POST":
        form = InvoicingDetailsForm(request.POST)
        if form.is_valid():
            try:
                dealer_services.invoicing_details_set(
                    dealer_user=request.dealer_user, **form.cleaned_data
                )
            except DomainError as error:
                for problem in error.errors:
                    if problem.get("field") in form.fields:
                        form.add_error(problem["field"], problem["message"])
                if not error.errors:
                    form.add_error(None, error.message)
            else:
                messages.success(request, _("Your invoicing details are saved."))
                return redirect("portal:invoices")
    return render(
        request,
        "portal/invoices.html",
        {
            "details": details,
            "form": form,
            "request_form": InvoiceRequestForm(),
            "requests": selectors.invoice_requests(dealer=request.dealer)[:20],
            "invoices": selectors.invoice_list(dealer=request.dealer)[:20],
            "can_edit": request.dealer_user.can_order,
        },
    )


@require_POST
@dealer_required
def invoice_request(request: HtmxHttpRequest):
    form = InvoiceRequestForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else "vat_special"
    try:
        created = services.invoice_request_create(
            dealer_user=request.dealer_user, kind=kind
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Invoice requested for %(amount)s (%(number)s).")
            % {"amount": f"¥{created.amount:,.2f}", "number": created.number},
        )
    return redirect("portal:invoices")
