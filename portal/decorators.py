"""Access rules for dealer-facing pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common import versions


def dealer_required(
    view=None, *, can_order: bool = False, can_manage_users: bool = False
):
    """Only a logged-in dealer user passes; staff go to the back office.

    ``can_order`` keeps viewers out; ``can_manage_users`` lets only the owner in.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.dealer is None:
                if request.user.is_staff:
                    return redirect("admin:index")
                logout(request)
                messages.error(
                    request, _("This login is not attached to an active dealer.")
                )
                return redirect("portal:login")
            if can_order and not request.dealer_user.can_order:
                raise PermissionDenied(_("Your role can browse but not order."))
            if can_manage_users and not request.dealer_user.can_manage_users:
                raise PermissionDenied(_("Only the dealer's owner can manage users."))
            if request.method not in ("GET", "HEAD"):
                return view_func(request, *args, **kwargs)
            # A read: the page, its badges and its caches key on one reading of
            # the version numbers (one query, or none if nothing is cached).
            with versions.pinned(
                (*versions.GLOBAL, versions.dealer(request.dealer.pk))
            ):
                return view_func(request, *args, **kwargs)

        return wrapper

    if view is not None:
        return decorator(view)
    return decorator
