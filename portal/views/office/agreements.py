"""Dealer agreements for reps and managers: to approve, dealers at risk, export.

A rep or manager sees the agreements of their sales org's subtree; approving needs a
manager (the same authority rule as promotions, enforced by the service).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError
from contracts import selectors, services
from notifications.views.access import rep_required
from portal import exports
from portal.http import HtmxHttpRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@rep_required
def agreements(request: HtmxHttpRequest):
    """Agreements waiting for approval and the dealers at risk of missing target;
    ``?format=xlsx`` downloads every target with its progress."""
    org = request.rep.org
    risks = selectors.agreement_risk_list(org=org)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.agreements_xlsx(org=org, risks=risks), content_type=XLSX
        )
        response["Content-Disposition"] = (
            f'attachment; filename="agreements-{org.code}.xlsx"'
        )
        return response
    return render(
        request,
        "office/agreements.html",
        {
            "org": org,
            "pending": selectors.agreements_to_approve(org=org),
            "risks": risks,
            "manager": request.rep.manager,
        },
    )


@require_POST
@rep_required
def agreement_approve(request: HtmxHttpRequest, code: str):
    """Approve the submitted version (managers of the owning org or above)."""
    try:
        services.agreement_approve(code=code, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Agreement %(code)s approved.") % {"code": code})
    return redirect("office:agreements")


urls = [
    path("agreements/", agreements, name="agreements"),
    path("agreements/<str:code>/approve/", agreement_approve, name="agreement-approve"),
]
