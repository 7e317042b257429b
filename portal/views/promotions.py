"""Promotions a dealer can get: the list with filters, and one promotion in plain words.

``describe(rule)`` (in ``portal.presenters``) writes a rule's definition as sentences.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.errors import NotFound
from portal import fragments, presenters
from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest
from promos import selectors as promo_selectors

PROGRESS = "promo-progress"
HINTS = "promo-hints"


@require_GET
@dealer_required
def promotion_list(request: HtmxHttpRequest):
    """Live promotions for this dealer, filtered by reward type: the list from the
    cache (``portal.fragments``); the cart's hints come right after (``HX-Target:
    promo-hints``) as out-of-band swaps into each card, quoted live."""
    dealer_user = request.dealer_user
    if request.htmx and request.htmx.target == HINTS:
        return render(
            request,
            "portal/promotions.html#hints",
            presenters.promotions_hints(dealer_user),
        )
    kind = request.GET.get("kind", "")
    if kind not in presenters.KINDS:
        kind = ""
    return fragments.page(
        request,
        "promotions",
        "portal/promotions.html",
        lambda: presenters.promotions_context(dealer_user, kind or None),
        parts=[promo_selectors.offers_signature(dealer=dealer_user.dealer)],
    )


@require_GET
@dealer_required
def promotion_detail(request: HtmxHttpRequest, code: str):
    """Rules in plain words, validity, items with add-to-cart, gift options, the cart's
    progress towards the reward, or why the promotion is not for this dealer.

    The page comes first, from the cache (``portal.fragments``); its progress card
    (the cart's quote, most of the cost) fetches itself right after (``HX-Target:
    promo-progress``), as the summary bar does, and again whenever the cart
    changes: the figures are never older than the cart."""
    progress_only = bool(request.htmx) and request.htmx.target == PROGRESS
    order_now = request.GET.get("add") == "1"
    dealer_user = request.dealer_user

    def context() -> dict:
        return presenters.promotion_context(
            dealer_user,
            code,
            can_order=dealer_user.can_order,
            order_now=order_now,
        )

    try:
        if progress_only:
            return render(
                request,
                "portal/promotion.html#promo-progress",
                presenters.promotion_progress_context(dealer_user, code),
            )
        return fragments.page(
            request,
            "promotion",
            "portal/promotion.html",
            context,
            parts=[promo_selectors.offers_signature(dealer=dealer_user.dealer)],
            # What one tap adds quotes the cart: never cached.
            cache=not order_now,
        )
    except NotFound:
        raise Http404 from None
