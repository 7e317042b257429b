"""Invoices dealers asked for, for the reps who serve them: open first, with what
each covers and whom it is made out to (the ERP issues them)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from erp.models import InvoiceRequestPush
from notifications import selectors as notification_selectors
from notifications.views.access import rep_required
from orders import selectors
from orders.models import InvoiceRequest
from portal.http import HtmxHttpRequest


@require_GET
@rep_required
def invoice_requests(request: HtmxHttpRequest):
    dealers = notification_selectors.rep_scope(context=request.rep)
    status = request.GET.get("status", InvoiceRequest.Status.OPEN)
    if status not in InvoiceRequest.Status.values:
        status = InvoiceRequest.Status.OPEN
    requests = list(selectors.invoice_requests(dealers=dealers, status=status)[:200])
    pushes = {
        push.request_number: push
        for push in InvoiceRequestPush.objects.filter(
            request_number__in=[item.number for item in requests]
        )
    }
    for item in requests:
        item.erp_push = pushes.get(item.number)
    return render(
        request,
        "office/invoice_requests.html",
        {"requests": requests, "status": status},
    )


urls = [path("invoice-requests/", invoice_requests, name="invoice-requests")]
