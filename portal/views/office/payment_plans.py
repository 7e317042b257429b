"""An order's payment plan for reps and the back office: instalments as shares of
each shipment's value, due on order, shipment or delivery plus days, adding up to
100 % (each row shows what it comes to on the order's total)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from common.errors import DomainError
from notifications import selectors as notification_selectors
from notifications.views.access import rep_required
from orders import selectors, services
from orders.models import Order
from portal.forms import PaymentPlanFormSet
from portal.http import HtmxHttpRequest


def _order_in_scope(request, number: str) -> Order:
    """The order of a dealer this rep serves (a manager: the org subtree), else 404."""
    dealers = notification_selectors.rep_scope(context=request.rep)
    order = (
        Order.objects.select_related("dealer")
        .filter(number=number, dealer__in=dealers)
        .first()
    )
    if order is None:
        raise Http404
    return order


@rep_required
def payment_plan(request: HtmxHttpRequest, number: str):
    order = _order_in_scope(request, number)
    steps = selectors.payment_plan_steps(order=order)
    if request.method == "POST":
        formset = PaymentPlanFormSet(request.POST, prefix="step")
        if formset.is_valid():
            plan = [form.cleaned_data for form in formset if form.cleaned_data]
            try:
                services.payment_plan_set(order=order, plan=plan, by=request.user)
            except DomainError as error:  # shares not adding up to 100, shipped
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("The payment plan of %(number)s is saved.")
                    % {"number": order.number},
                )
                return redirect("office:payment-plan", number=order.number)
    else:
        formset = PaymentPlanFormSet(
            prefix="step",
            initial=[
                {"percent": s["percent"], "due": s["due"], "days": s["days"]}
                for s in steps
            ],
        )
    return render(
        request,
        "office/payment_plan.html",
        {
            "order": order,
            "steps": steps,
            "formset": formset,
            "locked": order.shipments.exists(),
        },
    )


urls = [
    path("orders/<str:number>/payment-plan/", payment_plan, name="payment-plan"),
]
