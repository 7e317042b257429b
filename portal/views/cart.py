"""The cart: a live quote that changes in place, quick order by SKU, the sticky summary.

Every change posts a normal form. From the cart page, htmx swaps ``#cart-body`` with
the re-quoted cart; from other pages it swaps ``#toast`` with a one-line answer; in
both cases the ``cart-changed`` event tells the summary bar and the badge to refresh.
Without JavaScript the post redirects back.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from common.errors import DomainError
from orders import selectors, services
from portal import presenters
from portal.decorators import dealer_required
from portal.forms import (
    CartAddForm,
    CartFillForm,
    CartFillUndoForm,
    CartQuantityForm,
    CartRemoveForm,
    ExpenseCreditForm,
    GiftChoiceForm,
    QuickOrderForm,
)
from portal.http import HtmxHttpRequest

CART_BODY = "cart-body"


def _next_url(request: HtmxHttpRequest) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:cart")


def _cart_context(request: HtmxHttpRequest, error: str = "") -> dict:
    state = services.cart_quote(dealer_user=request.dealer_user)
    return {
        "cart": presenters.cart_view(state),
        "summary": presenters.summary(state),
        "error": error,
        "credit_form": ExpenseCreditForm(
            initial={"amount": state.use_expense_credit or ""}
        ),
    }


def _answer(request: HtmxHttpRequest, *, done: str = "", error: str = ""):
    """Answer a cart change the way it was asked (see the module docstring)."""
    if request.htmx:
        status = 422 if error else 200
        if request.htmx.target == CART_BODY:
            response = render(
                request,
                "portal/cart.html#cart-body",
                _cart_context(request, error),
                status=status,
            )
        else:
            response = render(
                request,
                "_base.html#toast",
                {"toast": error or done, "toast_error": bool(error)},
                status=status,
            )
        return response if error else trigger_client_event(response, "cart-changed")
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(_next_url(request))


def _form_error(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_GET
@dealer_required(can_order=True)
def cart(request: HtmxHttpRequest):
    """The cart, priced live: lines, discounts, gifts, hints, credit."""
    template = (
        "portal/cart.html#cart-body"
        if request.htmx and request.htmx.target == CART_BODY
        else "portal/cart.html"
    )
    return render(request, template, _cart_context(request))


@require_POST
@dealer_required(can_order=True)
def cart_add(request: HtmxHttpRequest):
    """Add units of a product (catalog, promotion, a hint's one-tap "+N")."""
    form = CartAddForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        item = services.cart_add(
            dealer_user=request.dealer_user,
            sku=form.cleaned_data["sku"],
            quantity=form.cleaned_data["quantity"],
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    done = _("Added %(n)s × %(name)s. You now have %(total)s in the cart.") % {
        "n": form.cleaned_data["quantity"],
        "name": item.product.display_name,
        "total": item.quantity,
    }
    return _answer(request, done=done)


@require_POST
@dealer_required(can_order=True)
def cart_fill(request: HtmxHttpRequest):
    """ "Order now" from a pushed recommendation: put what earns the promotion in the
    cart. The promotion page opened from a push does it by itself (htmx, on load,
    with ``ensure``: a reload adds nothing more) and says what it added; without
    JavaScript its button posts here and the cart is shown."""
    form = CartFillForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        added = services.cart_fill(
            dealer_user=request.dealer_user,
            promotion=form.cleaned_data["promotion"],
            ensure=form.cleaned_data["ensure"],
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    if request.htmx:
        response = render(
            request,
            "portal/promotion.html#order-now-done",
            {"added": presenters.order_now_lines(request.dealer_user, added)},
        )
        return trigger_client_event(response, "cart-changed") if added else response
    if added:
        messages.success(
            request,
            _("Added what earns the promotion: %(lines)s.")
            % {"lines": ", ".join(f"{sku} × {n}" for sku, n in added.items())},
        )
    else:
        messages.info(request, _("Nothing to add: pick the items yourself below."))
    return redirect("portal:cart")


@require_POST
@dealer_required(can_order=True)
def cart_fill_undo(request: HtmxHttpRequest):
    """Undo what "order now" added (the lines it said it added)."""
    form = CartFillUndoForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        services.cart_take_back(
            dealer_user=request.dealer_user, lines=form.cleaned_data["lines"]
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    return _answer(request, done=_("Taken back out of your cart."))


@require_POST
@dealer_required(can_order=True)
def cart_set(request: HtmxHttpRequest):
    """A stepper: −, +, or a typed quantity (0 removes the line)."""
    form = CartQuantityForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        services.cart_set_quantity(
            dealer_user=request.dealer_user,
            sku=form.cleaned_data["sku"],
            quantity=form.cleaned_data["quantity"],
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    return _answer(request, done=_("Cart updated."))


@require_POST
@dealer_required(can_order=True)
def cart_remove(request: HtmxHttpRequest):
    form = CartRemoveForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    services.cart_remove(dealer_user=request.dealer_user, sku=form.cleaned_data["sku"])
    return _answer(request, done=_("Removed from the cart."))


@require_POST
@dealer_required(can_order=True)
def cart_gift(request: HtmxHttpRequest):
    """Pick a gift option of a promotion, or decline the gift."""
    form = GiftChoiceForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        services.cart_set_gift_choice(
            dealer_user=request.dealer_user,
            promotion=form.cleaned_data["promotion"],
            option=form.cleaned_data["option"],
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    done = (
        _("Gift declined.")
        if form.cleaned_data["option"] is None
        else _("Gift chosen.")
    )
    return _answer(request, done=done)


@require_POST
@dealer_required(can_order=True)
def cart_credit(request: HtmxHttpRequest):
    """Use expense credit on this order."""
    form = ExpenseCreditForm(request.POST)
    if not form.is_valid():
        return _answer(request, error=_form_error(form))
    try:
        services.cart_set_expense_credit(
            dealer_user=request.dealer_user, amount=form.cleaned_data["amount"]
        )
    except DomainError as error:
        return _answer(request, error=error.message)
    return _answer(request, done=_("Expense credit updated."))


@require_POST
@dealer_required(can_order=True)
def cart_clear(request: HtmxHttpRequest):
    services.cart_clear(dealer_user=request.dealer_user)
    return _answer(request, done=_("Your cart is empty now."))


@require_GET
@dealer_required
def cart_summary(request: HtmxHttpRequest):
    """The sticky bar (count, total, gifts), refreshed on ``cart-changed``."""
    if not request.dealer_user.can_order:
        return HttpResponse(status=204)
    state = services.cart_quote(dealer_user=request.dealer_user)
    return render(
        request,
        "portal/cart.html#cart-summary",
        {"summary": presenters.summary(state), "live": True},
    )


@require_GET
@dealer_required
def cart_badge(request: HtmxHttpRequest):
    """The line count on the cart icon, refreshed on ``cart-changed``."""
    count = selectors.cart_item_count(dealer_user=request.dealer_user)
    return render(request, "_base.html#cart-badge", {"cart_count": count})


@require_GET
@dealer_required(can_order=True)
def quick_order(request: HtmxHttpRequest):
    """Quick order: paste or type "SKU quantity" lines."""
    return render(request, "portal/quick_order.html", {"form": QuickOrderForm()})


@require_POST
@dealer_required(can_order=True)
def quick_order_add(request: HtmxHttpRequest):
    """Add pasted lines (all or nothing), or show each line that needs fixing."""
    form = QuickOrderForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = services.cart_paste(
                dealer_user=request.dealer_user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(n)s products added to your cart.") % {"n": len(result.added)},
                )
                if request.htmx:
                    return HttpResponseClientRedirect(reverse("portal:cart"))
                return redirect("portal:cart")
    return render(
        request,
        "portal/quick_order.html",
        {"form": form, "result": result},
        status=422,
    )
