"""The rep console, built for the rep's phone: my dealers, compose a push, campaigns."""

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import DomainError, Forbidden, NotFound
from notifications import selectors, services
from notifications.forms import CampaignForm
from notifications.views.access import rep_required

PREVIEW = "audience-preview"
PROGRESS = "campaign-progress"
SAMPLE_SIZE = 5


@require_GET
@rep_required
def dealers(request: HttpRequest):
    """My dealers: orders this month, overdue, what each cart is close to earning."""
    search = request.GET.get("q", "").strip()[:60]
    page, rows = selectors.rep_dealer_rows(
        context=request.rep, search=search, page=request.GET.get("page", 1)
    )
    return render(
        request,
        "notifications/rep/dealers.html",
        {"page": page, "rows": rows, "search": search, "rep": request.rep},
    )


def _preview(request: HttpRequest, form: CampaignForm) -> dict:
    version = None
    code = form.cleaned_data.get("promotion")
    if code:
        version = selectors.promotion_for_rep(context=request.rep, code=code)
    audience = selectors.audience_resolve(
        context=request.rep, spec=form.audience_spec, version=version
    )
    return {
        "count": audience.count,
        "sample": audience.dealers[:SAMPLE_SIZE],
        "not_eligible": audience.not_eligible,
        "out_of_scope": audience.out_of_scope,
    }


@require_http_methods(["GET", "POST"])
@rep_required
def compose(request: HttpRequest):
    """Write a push, choose the audience, preview it, send now or later.

    The ``preview`` action answers the count and a sample (an htmx partial, or the
    whole page without JavaScript); ``send`` creates the campaign.
    """
    if request.method == "GET":
        initial = {
            "promotion": request.GET.get("promotion", ""),
            "dealers": request.GET.getlist("dealers"),
        }
        if initial["dealers"]:
            initial["audience"] = selectors.PICKED
        form = CampaignForm(context=request.rep, initial=initial)
        return render(request, "notifications/rep/compose.html", {"form": form})
    form = CampaignForm(request.POST, context=request.rep)
    action = request.POST.get("action", "send")
    preview = None
    status = 200
    if not form.is_valid():
        status = 422
    elif action == "preview":
        preview = _preview(request, form)
        if preview["out_of_scope"]:
            status = 403
    else:
        try:
            campaign = services.campaign_create(
                user=request.user,
                audience=form.audience_spec,
                promotion_code=form.cleaned_data.get("promotion") or "",
                title_zh=form.cleaned_data["title_zh"],
                body_zh=form.cleaned_data["body_zh"],
                title_en=form.cleaned_data["title_en"],
                body_en=form.cleaned_data["body_en"],
                order_now=form.cleaned_data["order_now"],
                send_at=form.cleaned_data.get("send_at"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 403 if isinstance(error, Forbidden) else error.status
        else:
            if campaign.status == campaign.Status.SCHEDULED:
                messages.success(request, _("Scheduled."))
            else:
                messages.success(request, _("Sending now."))
            return redirect("notifications:rep-campaign", pk=campaign.pk)
    context = {"form": form, "preview": preview}
    template = "notifications/rep/compose.html"
    if request.htmx and request.htmx.target == PREVIEW:
        template += "#audience-preview"
    return render(request, template, context, status=status)


@require_GET
@rep_required
def campaigns(request: HttpRequest):
    """The campaigns the rep follows, newest first."""
    queryset = selectors.campaign_list(context=request.rep)[:50]
    return render(request, "notifications/rep/campaigns.html", {"campaigns": queryset})


@require_GET
@rep_required
def campaign(request: HttpRequest, pk: int):
    """One campaign: progress while it runs, then the funnel."""
    try:
        item = selectors.campaign_get(context=request.rep, pk=pk)
    except NotFound:
        raise Http404 from None
    context = {"campaign": item, "funnel": selectors.campaign_funnel(campaign=item)}
    template = "notifications/rep/campaign.html"
    if request.htmx and request.htmx.target == PROGRESS:
        template += "#campaign-progress"
    return render(request, template, context)


@require_POST
@rep_required
def campaign_cancel(request: HttpRequest, pk: int):
    try:
        services.campaign_cancel(user=request.user, campaign_id=pk)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Campaign cancelled."))
    return redirect("notifications:rep-campaign", pk=pk)
