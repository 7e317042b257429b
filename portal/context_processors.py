"""What every portal page needs: the dealer, the active tab, the cart badge."""

from functools import cache

from django.urls import resolve
from django.urls.exceptions import Resolver404

from common import i18n, versions
from orders import selectors as order_selectors


def shell(request):
    try:
        url_name = resolve(request.path_info).url_name or ""
    except Resolver404:
        url_name = ""
    dealer_user = getattr(request, "dealer_user", None)

    @cache
    def cart_count() -> int:
        # A callable: templates call it only where the badge shows (cached until
        # the dealer's data moves: common.versions).
        if dealer_user is None or not dealer_user.can_order:
            return 0
        return versions.dealer_cached(
            dealer_user.dealer_id,
            f"cart-count:{dealer_user.pk}",
            lambda: order_selectors.cart_item_count(dealer_user=dealer_user),
        )

    return {
        "dealer": getattr(request, "dealer", None),
        "dealer_user": dealer_user,
        "active_tab": url_name.split("-")[0],
        "cart_count": cart_count,
        "date_format": i18n.date_format(),
    }
