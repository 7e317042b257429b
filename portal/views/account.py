"""The account page: dealer profile, credit, the dealer's users, language."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError, NotFound
from dealers import selectors as dealer_selectors
from dealers import services as dealer_services
from dealers.models import DealerUser
from notifications import telegram
from notifications.telegram import selectors as telegram_selectors
from notifications.telegram import services as telegram_services
from orders import selectors as order_selectors
from portal.decorators import dealer_required
from portal.forms import DealerUserAddForm
from portal.http import HtmxHttpRequest


def _account_context(request, add_form=None, telegram_token=""):
    return {
        "telegram": {
            "enabled": telegram.enabled(),
            "link": telegram_selectors.link_for_user(user=request.user),
            "token": telegram_token,
            "deep_link": telegram_services.deep_link(token=telegram_token)
            if telegram_token
            else "",
        },
        "users": dealer_selectors.dealer_users_list(dealer=request.dealer),
        "roles": DealerUser.Role.choices,
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


@require_POST
@dealer_required
def telegram_connect(request: HtmxHttpRequest):
    """A fresh one-time code (15 minutes) shown as a t.me link and a /link fallback."""
    if not telegram.enabled():
        return redirect("portal:account")
    token = telegram_services.link_token_create(user=request.user)
    return render(
        request, "portal/account.html", _account_context(request, telegram_token=token)
    )


@require_POST
@dealer_required
def telegram_unlink(request: HtmxHttpRequest):
    """Disconnect the Telegram chat linked to this login."""
    if telegram_services.link_remove(user=request.user):
        messages.success(request, _("Telegram disconnected."))
    return redirect("portal:account")


@require_POST
@dealer_required(can_manage_users=True)
def account_user_change(request: HtmxHttpRequest, pk: int):
    """The owner changes another login's role, or switches it off or on again."""
    role = request.POST.get("role") or None
    active = {"0": False, "1": True}.get(request.POST.get("active", ""))
    try:
        changed = dealer_services.dealer_user_change(
            by=request.dealer_user, dealer_user_id=pk, role=role, active=active
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s%(state)s.")
            % {
                "name": changed.user.username,
                "role": changed.get_role_display(),
                "state": "" if changed.user.is_active else _(", switched off"),
            },
        )
    return redirect("portal:account")
