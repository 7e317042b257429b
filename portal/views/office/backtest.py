"""Back-testing a draft promotion against recent history.

A rep or manager picks a draft (or submitted) version of a promotion of their org,
chooses how many days to replay and starts a run; the run page shows progress while
the task works (htmx polling, or a plain refresh without JavaScript) and then the
figures of the draft next to those of the promotions it would compete with.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from common.errors import DomainError, Forbidden, NotFound
from notifications.views.access import rep_required
from portal.http import HtmxHttpRequest
from promos import selectors, services
from promos.forms import BacktestForm

PROGRESS = "backtest-progress"

# The rows of the results table: (label, key in each promotion's figures, kind).
ROWS = [
    (_("Qualifying dealers"), "qualifying_dealers", "count"),
    (_("Dealers reached"), "dealers_reached", "count"),
    (_("Carts it concerned"), "carts", "count"),
    (_("Orders it applied to"), "orders", "count"),
    (_("Applications"), "applications", "count"),
    (_("Gift units"), "gift_units", "count"),
    (_("Gift cost"), "gift_cost", "money"),
    (_("Discounts"), "discount", "money"),
    (_("Expense credit"), "expense_credit", "money"),
    (_("Total cost (budget needed)"), "cost", "money"),
    (_("Budget in the definition"), "budget", "money"),
]


def _table(result: dict) -> list[dict]:
    """The figures as rows of (label, one cell per promotion), for the template."""
    promotions = result.get("promotions", [])
    return [
        {
            "label": label,
            "key": key,
            "kind": kind,
            "cells": [promotion.get(key) for promotion in promotions],
        }
        for label, key, kind in ROWS
    ]


@require_GET
@rep_required
def backtests(request: HtmxHttpRequest):
    """The drafts of my org that can be back-tested, and the recent runs."""
    org = request.rep.org
    context = {
        "versions": selectors.backtest_versions(org=org)[:50],
        "runs": selectors.backtest_list(org=org)[:20],
        "org": org,
    }
    return render(request, "office/backtest_list.html", context)


@require_http_methods(["GET", "POST"])
@rep_required
def backtest_new(request: HtmxHttpRequest, version_pk: int):
    """Choose the number of days and start a back-test of one draft version."""
    try:
        version = selectors.backtest_version_get(org=request.rep.org, pk=version_pk)
    except NotFound:
        raise Http404 from None
    form = BacktestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.backtest_start(
                    user=request.user, version=version, days=form.cleaned_data["days"]
                )
            except Forbidden:
                raise Http404 from None
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                return redirect("office:backtest", pk=run.pk)
        else:
            status = 422
    summary_zh, summary_en = selectors.promotion_summary(version=version)
    context = {
        "form": form,
        "version": version,
        "summary": summary_en
        if (request.LANGUAGE_CODE or "").startswith("en")
        else summary_zh,
    }
    return render(request, "office/backtest_new.html", context, status=status)


@require_GET
@rep_required
def backtest(request: HtmxHttpRequest, pk: int):
    """One back-test: progress while it runs, then the figures side by side."""
    try:
        run = selectors.backtest_get(org=request.rep.org, pk=pk)
    except NotFound:
        raise Http404 from None
    context = {
        "run": run,
        "promotions": run.result.get("promotions", []),
        "rows": _table(run.result),
    }
    template = "office/backtest_run.html"
    if request.htmx and request.htmx.target == PROGRESS:
        template += "#backtest-progress"
    return render(request, template, context)


@require_POST
@rep_required
def backtest_retry(request: HtmxHttpRequest, pk: int):
    """Run a failed back-test again (one click on its page)."""
    try:
        run = selectors.backtest_get(org=request.rep.org, pk=pk)
        fresh = services.backtest_retry(user=request.user, run=run)
    except (NotFound, Forbidden):
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("office:backtest", pk=pk)
    return redirect("office:backtest", pk=fresh.pk)


urls = [
    path("backtests/", backtests, name="backtests"),
    path("backtests/versions/<int:version_pk>/", backtest_new, name="backtest-new"),
    path("backtests/<int:pk>/", backtest, name="backtest"),
    path("backtests/<int:pk>/retry/", backtest_retry, name="backtest-retry"),
]
