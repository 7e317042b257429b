"""The ERP connector in the back office: runs with progress per form, bad rows with
the K/3 id and the reason, and orders the ERP did not take ("ERP: failed (reason)")."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from erp import selectors
from notifications.views.access import rep_required
from portal.http import HtmxHttpRequest


def _rows(run) -> list[dict]:
    english = (get_language() or "").startswith("en")
    rows = []
    for form, progress in (run.progress or {}).items():
        zh, en = selectors.FORM_LABELS.get(form, (form, form))
        rows.append({"form": form, "label": en if english else zh, **progress})
    return rows


@require_GET
@rep_required
def erp_status(request: HtmxHttpRequest):
    """The connector, the latest runs and the orders it could not push."""
    runs = selectors.sync_run_list()
    latest = runs[0] if runs else None
    context = {
        "state": selectors.connector_state(),
        "runs": runs,
        "latest": latest,
        "rows": _rows(latest) if latest else [],
        "errors": selectors.sync_error_list(run=latest) if latest else [],
        "failures": selectors.order_push_failures(org=request.rep.org),
    }
    template = "office/erp.html"
    if request.htmx:
        template += "#erp-latest"
    return render(request, template, context)


@require_GET
@rep_required
def erp_run(request: HtmxHttpRequest, pk: int):
    """One run: progress per form and its bad rows."""
    run = selectors.sync_run_get(pk=pk)
    if run is None:
        raise Http404
    context = {
        "latest": run,
        "rows": _rows(run),
        "errors": selectors.sync_error_list(run=run),
    }
    template = "office/erp_run.html"
    if request.htmx:
        template += "#erp-latest"
    return render(request, template, context)


urls = [
    path("erp/", erp_status, name="erp"),
    path("erp/runs/<int:pk>/", erp_run, name="erp-run"),
]
