"""My agreement: targets with progress, the rebate and what is left to the next tier."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest
from portal.presenters.agreement import agreement_page


@require_GET
@dealer_required
def agreement(request: HtmxHttpRequest):
    """The dealer's agreement with the year's progress and rebate."""
    return render(
        request,
        "portal/agreement.html",
        {"page": agreement_page(dealer=request.dealer)},
    )


@require_GET
@dealer_required
def agreement_nearest(request: HtmxHttpRequest):
    """The home page's lazy fragment: the nearest rebate tier (empty without one)."""
    response = render(
        request,
        "portal/agreement.html#agreement-nearest",
        {"page": agreement_page(dealer=request.dealer)},
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@dealer_required
def agreement_document(request: HtmxHttpRequest):
    """The signed agreement (PDF) of the dealer's own agreement, never another's."""
    page = agreement_page(dealer=request.dealer)
    if page is None or not page.report.version.document:
        raise Http404
    document = page.report.version.document
    return FileResponse(
        document.open("rb"),
        content_type="application/pdf",
        filename=f"{page.report.agreement.code}.pdf",
    )
