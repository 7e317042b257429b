"""Who may open the inbox (a dealer's user) and the rep console (a rep)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from notifications import selectors


def dealer_user_required(view):
    """A logged-in user of an active dealer; staff go to the rep console."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "dealer_user", None) is None:
            if request.user.is_staff:
                return redirect("notifications:rep-dealers")
            raise PermissionDenied(_("This login is not attached to an active dealer."))
        return view(request, *args, **kwargs)

    return wrapper


def rep_required(view):
    """A staff user in the sales rep (or manager) group with a rep profile; the view
    gets ``request.rep`` (a ``RepContext``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = selectors.rep_context(user=request.user)
        if context is None:
            raise PermissionDenied(_("The rep console is for sales reps."))
        request.rep = context
        return view(request, *args, **kwargs)

    return wrapper
