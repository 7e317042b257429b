"""Home: greeting, credit, recommended promotions, "almost there" hints, recent orders."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import presenters
from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest

OFFERS = "home-offers"


@require_GET
@dealer_required
def home(request: HtmxHttpRequest):
    """What a dealer checks first thing: credit, deals that fit, their orders.

    The deals quote the cart, so they come after first paint (``home_offers``) with
    a skeleton in their place.
    """
    return render(
        request, "portal/home.html", presenters.home_context(request.dealer_user)
    )


@require_GET
@dealer_required
def home_offers(request: HtmxHttpRequest):
    """Recommendations and "almost there" hints: the fragment the home page loads,
    or without JavaScript the whole home page with them in place."""
    context = presenters.home_offers_context(request.dealer_user)
    if request.htmx:
        return render(request, "portal/home.html#home-offers", context)
    context.update(presenters.home_context(request.dealer_user))
    return render(request, "portal/home.html", context)
