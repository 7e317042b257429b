"""Promotions a dealer can get: the list with filters, and one promotion in plain words.

``describe(rule)`` (in ``portal.presenters``) writes a rule's definition as sentences.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.errors import NotFound
from portal import presenters
from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest

PROGRESS = "promo-progress"


@require_GET
@dealer_required
def promotion_list(request: HtmxHttpRequest):
    """Live promotions for this dealer, filtered by reward type, with cart hints."""
    kind = request.GET.get("kind", "")
    if kind not in presenters.KINDS:
        kind = ""
    context = presenters.promotions_context(request.dealer_user, kind or None)
    return render(request, "portal/promotions.html", context)


@require_GET
@dealer_required
def promotion_detail(request: HtmxHttpRequest, code: str):
    """Rules in plain words, validity, items with add-to-cart, gift options, the cart's
    progress towards the reward, or why the promotion is not for this dealer.

    The page comes first; its progress card (the cart's quote, most of the cost)
    fetches itself right after (``HX-Target: promo-progress``), as the summary bar
    does, and again whenever the cart changes: the figures are never older than
    the cart."""
    progress_only = bool(request.htmx) and request.htmx.target == PROGRESS
    try:
        context = presenters.promotion_context(
            request.dealer_user,
            code,
            can_order=request.dealer_user.can_order,
            order_now=request.GET.get("add") == "1",
            progress_later=not progress_only,
        )
    except NotFound:
        raise Http404 from None
    template = (
        "portal/promotion.html#promo-progress"
        if progress_only
        else "portal/promotion.html"
    )
    return render(request, template, context)
