"""The nightly reconciliation's differences for the rep's dealers (a manager: the
org subtree); empty when every dealer's money adds up."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from notifications import selectors as notification_selectors
from notifications.views.access import rep_required
from orders.models import ReconciliationIssue
from portal.http import HtmxHttpRequest


@require_GET
@rep_required
def reconciliation(request: HtmxHttpRequest):
    dealers = notification_selectors.rep_scope(context=request.rep)
    issues = (
        ReconciliationIssue.objects.filter(dealer__in=dealers)
        .select_related("dealer")
        .order_by("dealer__code", "reference")[:500]
    )
    return render(request, "office/reconciliation.html", {"issues": issues})


urls = [path("reconciliation/", reconciliation, name="reconciliation")]
