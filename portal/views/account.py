"""The account page: dealer profile, credit, the dealer's users, language."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError
from dealers import selectors as dealer_selectors
from dealers import services as dealer_services
from orders import selectors as order_selectors
from portal.decorators import dealer_required
from portal.forms import DealerUserAddForm
from portal.http import HtmxHttpRequest


def _account_context(request, add_form=None):
    return {
        "users": dealer_selectors.dealer_users_list(dealer=request.dealer),
        "add_form": add_form or DealerUserAddForm(),
        "credit": order_selectors.credit_get(dealer=request.dealer),
        "expense_credit": order_selectors.account_balance(
            dealer=request.dealer, account="expense_credit"
        ),
    }


@require_GET
@dealer_required
def account(request: HtmxHttpRequest):
    """Profile, your role, credit, users of this dealer, language, password."""
    return render(request, "portal/account.html", _account_context(request))


@require_POST
@dealer_required(can_manage_users=True)
def account_user_add(request: HtmxHttpRequest):
    """An owner adds a buyer or a viewer."""
    form = DealerUserAddForm(request.POST)
    if form.is_valid():
        try:
            dealer_services.dealer_user_add(by=request.dealer_user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(
                "username" if "username" in error.code else None, error.message
            )
        else:
            messages.success(
                request,
                _("User %(name)s added.") % {"name": form.cleaned_data["username"]},
            )
            return redirect("portal:account")
    return render(
        request, "portal/account.html", _account_context(request, form), status=422
    )
