"""What every portal page needs: the dealer, the active tab, the cart badge."""

from django.urls import resolve
from django.urls.exceptions import Resolver404


def shell(request):
    try:
        url_name = resolve(request.path_info).url_name or ""
    except Resolver404:
        url_name = ""
    return {
        "dealer": getattr(request, "dealer", None),
        "dealer_user": getattr(request, "dealer_user", None),
        "active_tab": url_name.split("-")[0],
    }
