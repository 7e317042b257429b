"""Orders: the list (filters, search, infinite paging), one order, reorder, cancel."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from common.errors import DomainError, NotFound
from orders import selectors, services
from orders.models import Order
from portal import fragments, presenters
from portal.decorators import dealer_required
from portal.forms import OrderFilterForm, order_cancel_form
from portal.http import HtmxHttpRequest
from promos import selectors as promo_selectors


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _order_or_404(request: HtmxHttpRequest, number: str) -> Order:
    try:
        return selectors.order_get(number=number, dealer=request.dealer)
    except NotFound:
        raise Http404 from None


# The order cards show the dealer's own data only (numbers, statuses, totals).
ORDER_SCOPES = ()


@require_GET
@dealer_required
def order_list(request: HtmxHttpRequest):
    """The dealer's orders, newest first, by status and number, paged as you scroll;
    the list from the cache until the dealer's data moves (``portal.fragments``)."""
    form = OrderFilterForm(request.GET or None, statuses=Order.Status.choices)
    status = search = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        search = form.cleaned_data["q"].strip()

    def context() -> dict:
        orders = selectors.order_card_list(
            dealer=request.dealer, status=status or None, search=search
        )
        page = Paginator(orders, settings.PORTAL["PAGE_SIZE"]).get_page(
            _page_number(request)
        )
        counts = selectors.order_status_counts(dealer=request.dealer)
        query = urlencode({k: v for k, v in (("status", status), ("q", search)) if v})
        return {
            "form": form,
            "page": page,
            "cards": [presenters.order_card(order) for order in page.object_list],
            "status": status,
            "search": search,
            "query": query,
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in Order.Status.choices
            ],
            "total_count": sum(counts.values()),
        }

    if request.htmx and request.GET.get("page"):
        return HttpResponse(
            fragments.content(
                request,
                "orders-page",
                "portal/orders.html#order-page",
                context,
                scopes=ORDER_SCOPES,
            )
        )
    return fragments.page(
        request, "orders", "portal/orders.html", context, scopes=ORDER_SCOPES
    )


@require_GET
@dealer_required
def order_detail(request: HtmxHttpRequest, number: str):
    """One order: lines, gifts, the promotions (with version) that priced it, totals,
    history, and what can be done with it."""
    order = _order_or_404(request, number)
    versions = promo_selectors.applied_versions(order_number=order.number)
    context = presenters.order_view(order, versions)
    context["can_cancel"] = (
        request.dealer_user.can_order
        and order.status in services.CANCELLABLE
        and context["open_units"] > 0
    )
    context["progress"] = selectors.order_progress(order=order)
    context["shipments"] = order.shipments.all()
    context["receivables"] = order.receivables.all()
    context["payment_steps"] = selectors.payment_plan_steps(order=order)
    plan = selectors.delivery_plan_get(order=order)
    for line in context["goods"]:
        line.plan = plan.get(line.pk, [])
    context["can_plan"] = (
        request.dealer_user.can_order
        and order.status in selectors.OPEN_STATUSES
        and context["open_units"] > 0
    )
    return render(request, "portal/order.html", context)


@require_POST
@dealer_required(can_order=True)
def order_reorder(request: HtmxHttpRequest, number: str):
    """Put a past order's goods back in the cart, re-priced; say what could not be."""
    try:
        result = services.cart_reorder(dealer_user=request.dealer_user, number=number)
    except NotFound:
        raise Http404 from None
    if result.added:
        messages.success(
            request,
            _("%(n)s products from %(number)s are in your cart at today's prices.")
            % {"n": len(result.added), "number": number},
        )
    if result.unavailable:
        messages.warning(
            request,
            _("No longer sold, left out: %(skus)s.")
            % {"skus": ", ".join(sku for sku, _q in result.unavailable)},
        )
    if result.out_of_stock:
        messages.warning(
            request,
            _("Out of stock now (they ship when stock arrives): %(skus)s.")
            % {"skus": ", ".join(result.out_of_stock)},
        )
    url = reverse("portal:cart")
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _cancel_context(order: Order, form) -> dict:
    goods = [line for line in order.lines.all() if not line.is_gift]
    return {
        "order": order,
        "form": form,
        "rows": [
            {"line": form.lines[name], "field": form[name]} for name in form.fields
        ],
        "goods": goods,
    }


def _wanted(form) -> dict[int, int]:
    return {
        form.lines[name].pk: value for name, value in form.cleaned_data.items() if value
    }


@require_GET
@dealer_required(can_order=True)
def order_cancel(request: HtmxHttpRequest, number: str):
    """Choose what to cancel; with ``preview`` see what the order keeps first."""
    order = _order_or_404(request, number)
    if order.status not in services.CANCELLABLE:
        messages.error(request, _("This order can no longer be cancelled."))
        return redirect("portal:orders-detail", number)
    goods = [line for line in order.lines.all() if not line.is_gift]
    data = request.GET
    if "all" in data:  # "cancel everything not shipped" fills every line
        data = {f"line_{line.pk}": line.open_quantity for line in goods}
        data["preview"] = "1"
    bound = "preview" in data
    form = order_cancel_form(goods, data if bound else None)
    context = _cancel_context(order, form)
    if not form.fields:
        messages.info(
            request, _("Everything on this order has shipped or is cancelled.")
        )
        return redirect("portal:orders-detail", number)
    if bound and form.is_valid():
        wanted = _wanted(form)
        if not wanted:
            context["error"] = _("Enter how many units to cancel on at least one line.")
        else:
            context["preview"] = presenters.cancel_preview(order, wanted)
            context["wanted"] = [
                (f"line_{pk}", quantity) for pk, quantity in wanted.items()
            ]
    return render(
        request,
        "portal/order_cancel.html",
        context,
        status=422 if bound and "preview" not in context else 200,
    )


@require_POST
@dealer_required(can_order=True)
def order_cancel_confirm(request: HtmxHttpRequest, number: str):
    """Cancel the confirmed quantities through ``order_cancel``."""
    order = _order_or_404(request, number)
    goods = [line for line in order.lines.all() if not line.is_gift]
    form = order_cancel_form(goods, request.POST)
    if not form.is_valid() or not _wanted(form):
        messages.error(request, _("Enter how many units to cancel."))
        return redirect("portal:orders-cancel", number)
    lines = [
        (form.lines[name].sku, value)
        for name, value in form.cleaned_data.items()
        if value
    ]
    try:
        services.order_cancel(
            number=number, dealer=request.dealer, lines=lines, by=request.user
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:orders-cancel", number)
    messages.success(request, _("Cancelled. This is the order now."))
    url = reverse("portal:orders-detail", args=[number])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


PLAN_ROWS = 3  # parts offered per line on the phone; more is rare


def _plan_rows(order, data=None) -> list[dict]:
    """Each goods line with its plan parts as form rows (the saved plan, the posted
    values, or one row for the whole line at its estimated date)."""
    plan = selectors.delivery_plan_get(order=order)
    rows = []
    for line in order.lines.all():
        if line.is_gift or not line.effective_quantity:
            continue
        if data is not None:
            parts = [
                (data.get(f"d-{line.pk}-{i}", ""), data.get(f"q-{line.pk}-{i}", ""))
                for i in range(PLAN_ROWS)
            ]
        elif line.pk in plan:
            parts = [(p.date.isoformat(), p.quantity) for p in plan[line.pk]]
        else:
            when = line.estimated_date.isoformat() if line.estimated_date else ""
            parts = [(when, line.effective_quantity)]
        parts += [("", "")] * (PLAN_ROWS - len(parts))
        rows.append(
            {
                "line": line,
                "parts": [
                    {"i": i, "date": d, "quantity": q}
                    for i, (d, q) in enumerate(parts[:PLAN_ROWS])
                ],
            }
        )
    return rows


def _plan_parts(rows) -> list:
    """(sku, date, quantity) from the posted rows; blank rows are skipped."""
    parts = []
    for row in rows:
        for part in row["parts"]:
            if not part["date"] and not part["quantity"]:
                continue
            try:
                day = datetime.date.fromisoformat(part["date"])
                quantity = int(part["quantity"])
            except (TypeError, ValueError):
                raise DomainError(
                    _("Give each part a date and a whole number of units."),
                    code="invalid",
                ) from None
            if not 0 < quantity <= 1_000_000:
                raise DomainError(
                    _("Give each part a whole number of units above zero."),
                    code="invalid",
                )
            parts.append((row["line"].sku, day, quantity))
    return parts


@dealer_required(can_order=True)
def order_plan(request: HtmxHttpRequest, number: str):
    """Ask for the order to arrive in parts (收货计划), checked against what can arrive."""
    order = _order_or_404(request, number)
    if request.method == "POST":
        rows = _plan_rows(order, request.POST)
        try:
            services.delivery_plan_set(
                number=number,
                dealer=request.dealer,
                parts=_plan_parts(rows),
                by=request.user,
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            context = {"order": order, "rows": rows, "error": error.message}
            return render(request, "portal/order_plan.html", context, status=422)
        messages.success(request, _("Delivery plan saved."))
        return redirect("portal:orders-detail", number)
    if order.status not in selectors.OPEN_STATUSES:
        messages.info(
            request, _("This order is closed: its delivery can no longer be planned.")
        )
        return redirect("portal:orders-detail", number)
    return render(
        request, "portal/order_plan.html", {"order": order, "rows": _plan_rows(order)}
    )
