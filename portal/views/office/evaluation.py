"""Promotion evaluation, org roll-ups and the abuse guard.

Who sees what: a rep or manager (``rep_required``) sees the promotions owned by their
sales org or an org below it, and the dealers of that subtree; anything else is a 404.
Figures are computed by ``promos.evaluation`` / ``orders.evaluation`` and cached for
``CACHE_SECONDS`` keyed by promotion or org; the page says when they were computed and
``?refresh=1`` recomputes them.
"""

from collections.abc import Callable
from decimal import Decimal

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.money import format_money
from dealers import selectors as dealer_selectors
from notifications import selectors as notification_selectors
from notifications.views.access import rep_required
from orders import evaluation as order_evaluation
from portal.http import HtmxHttpRequest
from portal.views.office import evaluation_charts as charts
from portal.views.office import evaluation_xlsx as xlsx
from promos import evaluation

CACHE_SECONDS = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROMOTION_SORTS: dict[str, Callable] = {
    "code": lambda f: f.code,
    "cost": lambda f: f.cost,
    "budget": lambda f: f.budget_limit,
    "applications": lambda f: f.applications,
    "dealers": lambda f: f.dealers_reached,
    "sales": lambda f: f.promoted_sales,
    "incremental": lambda f: f.incremental,
    "ratio": lambda f: f.cost_ratio,
}
ORG_SORTS: dict[str, Callable] = {
    "org": lambda r: r.org.path,
    "promotions": lambda r: r.promotions,
    "cost": lambda r: r.cost,
    "budget": lambda r: r.budget,
    "sales": lambda r: r.promoted_sales,
    "incremental": lambda r: r.incremental,
    "ratio": lambda r: r.cost_ratio,
}
ABUSE_SORTS: dict[str, Callable] = {
    "dealer": lambda r: r.dealer.code,
    "flags": lambda r: len(r.flags),
    "cancelled": lambda r: len(r.cancelled),
    "debt": lambda r: r.debt_value,
    "share": lambda r: r.share.share if r.share else None,
}


def _sorted(rows: list, request: HtmxHttpRequest, keys: dict, default: str):
    """Rows sorted by ``?sort=key`` or ``?sort=-key`` (empty values last)."""
    sort = request.GET.get("sort", default)
    name = sort.removeprefix("-")
    if name not in keys:
        sort, name = default, default.removeprefix("-")
    key = keys[name]
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + missing, sort


def _cached(request: HtmxHttpRequest, key: str, compute: Callable):
    """(value, computed_at) from the cache, or computed now (always with ?refresh=1)."""
    if request.GET.get("refresh") != "1":
        hit = cache.get(key)  # the cache away (Redis down): computed below
        if hit is not None:
            return hit
    result = (compute(), timezone.now())
    cache.set(key, result, CACHE_SECONDS)
    return result


def _promotion(request: HtmxHttpRequest, code: str):
    promotion = evaluation.promotion_get_for_org(org=request.rep.org, code=code)
    if promotion is None:
        raise Http404
    return promotion


def _org(request: HtmxHttpRequest, code: str | None):
    own = request.rep.org
    if code is None or code == own.code:
        return own
    org = dealer_selectors.sales_org_subtree(org=own).filter(code=code).first()
    if org is None:
        raise Http404
    return org


def _promotion_bundle(request: HtmxHttpRequest, promotion):
    def compute():
        return {
            "figures": evaluation.promotion_figures(promotion=promotion),
            "gifts": order_evaluation.promotion_gift_status(promotion=promotion),
            "funnel": notification_selectors.promotion_funnel(
                promotion_id=promotion.pk
            ),
        }

    return _cached(request, f"office:evaluation:promotion:{promotion.pk}", compute)


def _org_bundle(request: HtmxHttpRequest, org):
    def compute():
        rows, figures = evaluation.org_rollup(org=org)
        return {"rows": rows, "figures": figures}

    return _cached(request, f"office:evaluation:org:{org.pk}", compute)


@require_GET
@rep_required
def evaluation_list(request: HtmxHttpRequest):
    """The promotions of my org subtree with cost, sales and 费效比, sortable."""
    org = request.rep.org
    bundle, computed_at = _org_bundle(request, org)
    rows, sort = _sorted(
        list(bundle["figures"].values()), request, PROMOTION_SORTS, "-cost"
    )
    return render(
        request,
        "office/evaluation_list.html",
        {"org": org, "rows": rows, "sort": sort, "computed_at": computed_at},
    )


@require_GET
@rep_required
def evaluation_detail(request: HtmxHttpRequest, code: str):
    """One promotion: cost against budget over time, sales against baseline, gifts,
    the push funnel."""
    promotion = _promotion(request, code)
    bundle, computed_at = _promotion_bundle(request, promotion)
    figures = bundle["figures"]
    if figures is None:
        raise Http404
    chart = charts.burn_chart(
        points=[(p.day, p.cumulative) for p in figures.burn],
        first_day=figures.window.first_day,
        last_day=figures.window.last_day,
        budget=figures.budget_limit,
        today=timezone.localdate(),
        title=_("Cost against budget over time"),
        budget_label=_("Budget"),
        cost_label=_("Cost"),
    )
    return render(
        request,
        "office/evaluation_detail.html",
        {
            "promotion": promotion,
            "figures": figures,
            "gifts": bundle["gifts"],
            "funnel": bundle["funnel"],
            "chart": chart,
            "computed_at": computed_at,
        },
    )


@require_GET
@rep_required
def evaluation_export(request: HtmxHttpRequest, code: str):
    """The promotion's figures as an xlsx download."""
    promotion = _promotion(request, code)
    bundle, computed_at = _promotion_bundle(request, promotion)
    if bundle["figures"] is None:
        raise Http404
    content = xlsx.promotion_xlsx(
        figures=bundle["figures"],
        gifts=bundle["gifts"],
        funnel=bundle["funnel"],
        computed_at=timezone.localtime(computed_at),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{promotion.code}.xlsx"'
    )
    return response


@require_GET
@rep_required
def org_detail(request: HtmxHttpRequest, code: str | None = None):
    """An org as a profit centre: its subtree's promotions rolled up the tree."""
    org = _org(request, code)
    bundle, computed_at = _org_bundle(request, org)
    tree = bundle["rows"]
    rows, sort = _sorted(list(tree), request, ORG_SORTS, "org")
    bars = [
        charts.Bar(
            label=f"{row.org.code} {row.org.display_name}",
            value=row.cost,
            limit=row.budget or None,
            note=_ratio_note(row.cost, row.cost_ratio),
        )
        for row in tree
        if row.depth <= 1
    ]
    chart = charts.bar_chart(bars=bars, title=_("Cost by sales organisation"))
    return render(
        request,
        "office/org_rollup.html",
        {
            "org": org,
            "own": request.rep.org,
            "total": tree[0] if tree else None,
            "rows": rows,
            "sort": sort,
            "chart": chart,
            "computed_at": computed_at,
        },
    )


def _ratio_note(cost: Decimal, cost_ratio: Decimal | None) -> str:
    amount = format_money(cost)
    if cost_ratio is None:
        return amount
    return f"{amount} · {cost_ratio * 100:.2f}%"


@require_GET
@rep_required
def org_export(request: HtmxHttpRequest, code: str):
    """The org roll-up as an xlsx download."""
    org = _org(request, code)
    bundle, computed_at = _org_bundle(request, org)
    content = xlsx.org_xlsx(
        org=org,
        rows=bundle["rows"],
        figures=bundle["figures"],
        computed_at=timezone.localtime(computed_at),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="org-{org.code}.xlsx"'
    return response


@require_GET
@rep_required
def abuse_promotion(request: HtmxHttpRequest, code: str):
    """The abuse guard for one promotion: the dealers that took it, flagged first."""
    promotion = _promotion(request, code)
    rows = order_evaluation.promotion_abuse_report(
        promotion=promotion, org=request.rep.org
    )
    rows, sort = _sorted(rows, request, ABUSE_SORTS, "-flags")
    return render(
        request,
        "office/abuse_promotion.html",
        {
            "promotion": promotion,
            "rows": rows,
            "sort": sort,
            "computed_at": timezone.now(),
            "rules": _rules(),
        },
    )


@require_GET
@rep_required
def abuse_dealer(request: HtmxHttpRequest, code: str):
    """The abuse guard for one dealer of my subtree, across promotions."""
    dealer = (
        dealer_selectors.dealer_list_for_org(org=request.rep.org)
        .filter(code=code)
        .first()
    )
    if dealer is None:
        raise Http404
    report = order_evaluation.dealer_abuse_report(dealer=dealer)
    return render(
        request,
        "office/abuse_dealer.html",
        {
            "dealer": dealer,
            "report": report,
            "computed_at": timezone.now(),
            "rules": _rules(),
        },
    )


def _rules() -> dict:
    return {
        "lookback": order_evaluation.LOOKBACK_DAYS,
        "cancelled_min": order_evaluation.CANCELLED_MIN_ORDERS,
        "factor": order_evaluation.GIFT_SHARE_FACTOR,
        "floor": int(order_evaluation.GIFT_SHARE_FLOOR * 100),
        "min_orders": order_evaluation.MIN_ORDERS,
        "margin": int(order_evaluation.THRESHOLD_MARGIN * 100),
        "split_orders": order_evaluation.THRESHOLD_MIN_ORDERS,
        "gap_days": order_evaluation.THRESHOLD_GAP.days,
    }


urls = [
    path("evaluation/", evaluation_list, name="evaluation-list"),
    path("evaluation/<str:code>/", evaluation_detail, name="evaluation-detail"),
    path(
        "evaluation/<str:code>/export.xlsx",
        evaluation_export,
        name="evaluation-export",
    ),
    path("orgs/", org_detail, name="org-rollup"),
    path("orgs/<str:code>/", org_detail, name="org-detail"),
    path("orgs/<str:code>/export.xlsx", org_export, name="org-export"),
    path("abuse/promotions/<str:code>/", abuse_promotion, name="abuse-promotion"),
    path("abuse/dealers/<str:code>/", abuse_dealer, name="abuse-dealer"),
]
