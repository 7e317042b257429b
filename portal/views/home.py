"""Home: greeting, credit, recommended promotions, "almost there" hints, recent orders."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import presenters
from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest


@require_GET
@dealer_required
def home(request: HtmxHttpRequest):
    """What a dealer checks first thing: credit, deals that fit, their orders."""
    return render(
        request, "portal/home.html", presenters.home_context(request.dealer_user)
    )
