"""Home: greeting, credit, recommended promotions, "almost there" hints, recent orders."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import fragments, presenters
from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest
from promos import selectors as promo_selectors

OFFERS = "home-offers"


def _page(request: HtmxHttpRequest, offers: dict | None = None):
    """The page: its content from the cache (``portal.fragments``) unless it carries
    the offers (no JavaScript), which quote the cart and are never cached."""
    dealer_user = request.dealer_user

    def context() -> dict:
        return {**presenters.home_context(dealer_user), **(offers or {})}

    return fragments.page(
        request,
        "home",
        "portal/home.html",
        context,
        parts=[promo_selectors.offers_signature(dealer=dealer_user.dealer)],
        cache=offers is None,
    )


@require_GET
@dealer_required
def home(request: HtmxHttpRequest):
    """What a dealer checks first thing: credit, deals that fit, their orders.

    The deals quote the cart, so they come after first paint (``home_offers``) with
    a skeleton in their place.
    """
    return _page(request)


@require_GET
@dealer_required
def home_offers(request: HtmxHttpRequest):
    """Recommendations and "almost there" hints: the fragment the home page loads,
    or without JavaScript the whole home page with them in place."""
    context = presenters.home_offers_context(request.dealer_user)
    if request.htmx:
        return render(request, "portal/home.html#home-offers", context)
    return _page(request, offers=context)
