"""Checkout: review, delivery notes, submit once.

The form carries a fresh idempotency key, the total the dealer saw and a signed
snapshot of what they reviewed. A double tap or a retry returns the same order; a
quote that changed in between is shown side by side and asked again, never placed.
"""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from common.errors import DomainError
from orders import services
from portal import presenters
from portal.decorators import dealer_required
from portal.forms import CheckoutForm
from portal.http import HtmxHttpRequest


def _context(state, *, form=None, note: str = "", key: str = "") -> dict:
    view = presenters.cart_view(state)
    if form is None and state.quote is not None:
        form = CheckoutForm(
            initial={
                "idempotency_key": key or uuid.uuid4().hex,
                "expected_total": state.quote.total,
                "seen": CheckoutForm.sign(presenters.snapshot(state.quote)),
                "note": note,
            }
        )
    return {"cart": view, "form": form, "summary": presenters.summary(state)}


@require_GET
@dealer_required(can_order=True)
def checkout(request: HtmxHttpRequest):
    """Review the order before placing it."""
    state = services.cart_quote(dealer_user=request.dealer_user)
    if state.quote is None:
        messages.info(
            request,
            _("Remove the products no longer sold to check out.")
            if state.items
            else _("Your cart is empty: add something first."),
        )
        return redirect("portal:cart")
    return render(request, "portal/checkout.html", _context(state))


def _again(request: HtmxHttpRequest, form: CheckoutForm, *, error: str, seen=None):
    """The checkout page again, with a fresh quote and, when known, what changed."""
    state = services.cart_quote(dealer_user=request.dealer_user)
    note = form.cleaned_data.get("note", "") if form.is_bound else ""
    key = form.cleaned_data.get("idempotency_key", "")
    context = _context(state, note=note, key=key)
    context["error"] = error
    if state.quote is not None:
        names = presenters.Names(state.quote.inputs.products)
        fresh = presenters.snapshot(state.quote)
        context["changes"] = presenters.quote_diff(seen, fresh, names)
    template = (
        "portal/checkout.html#checkout" if request.htmx else "portal/checkout.html"
    )
    return render(request, template, context, status=409 if seen is not None else 422)


@require_POST
@dealer_required(can_order=True)
def checkout_place(request: HtmxHttpRequest):
    """Place the cart; then the cart is empty and the dealer sees the order."""
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        return _again(
            request, form, error=_("The form was incomplete. Please check and submit.")
        )
    seen = form.cleaned_data["seen"]
    try:
        placement = services.cart_checkout(
            dealer_user=request.dealer_user,
            idempotency_key=form.cleaned_data["idempotency_key"],
            expected_total=form.cleaned_data["expected_total"],
            expected_lines=(
                {sku: values[0] for sku, values in seen["lines"].items()}
                if seen
                else None
            ),
            note=form.cleaned_data["note"],
        )
    except services.QuoteChanged:
        return _again(
            request,
            form,
            error=_(
                "Your order changed since you reviewed it. Please check what changed "
                "and submit again."
            ),
            seen=seen or {},
        )
    except DomainError as error:
        return _again(request, form, error=error.message)
    order = placement.order
    if placement.created:
        messages.success(
            request, _("Order %(number)s is placed.") % {"number": order.number}
        )
    url = reverse("portal:orders-detail", args=[order.number])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
