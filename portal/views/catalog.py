"""The catalogue: category tree, search, product pages with the dealer's own price."""

import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from catalog import selectors as catalog_selectors
from common import versions
from common.errors import NotFound
from portal.decorators import dealer_required
from portal.forms import CatalogSearchForm
from portal.http import HtmxHttpRequest

CARDS_TIMEOUT = 600  # seconds; a catalogue or stock write moves the key before


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


CSRF_MARK = "csrf-token-of-this-request"


def _product_cards(request: HtmxHttpRequest, current, search: str) -> str:
    """One page of product cards, rendered once per tier, language, URL and role
    until the catalogue or stock changes (``common.versions``); each request puts
    its own CSRF token in (the forms post without JavaScript too)."""
    can_order = request.dealer_user.can_order
    parts = (
        request.dealer.tier.code,
        get_language(),
        can_order,
        request.get_full_path(),
        versions.current((versions.CATALOG, versions.STOCK)),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()

    def render_cards() -> str:
        products = catalog_selectors.product_list(
            dealer=request.dealer, category=current, search=search
        )
        paginator = Paginator(products, settings.PORTAL["PAGE_SIZE"])
        page = paginator.get_page(_page_number(request))
        for product in page.object_list:
            product.dealer_price = catalog_selectors.dealer_price(product)
            product.availability = catalog_selectors.availability_of(
                product.stock_total
            )
        if not page.object_list:
            return ""
        return render_to_string(
            "portal/catalog.html#product-page",
            {
                "page": page,
                "search": search,
                "request": request,
                "dealer_user": request.dealer_user,
                "csrf_token": CSRF_MARK,
            },
        )

    cards = versions.cached(
        f"catalog-cards:{digest}", render_cards, timeout=CARDS_TIMEOUT
    )
    return mark_safe(cards.replace(CSRF_MARK, get_token(request)))  # noqa: S308


@require_GET
@dealer_required
def catalog(request: HtmxHttpRequest, category: str | None = None):
    """Products of a category (or all), searchable, paged with htmx."""
    form = CatalogSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    current = None
    if category:
        try:
            current = catalog_selectors.category_get(code=category)
        except NotFound:
            raise Http404 from None
    cards = _product_cards(request, current, search)
    if request.htmx and request.GET.get("page"):
        return HttpResponse(cards)
    context = {
        "categories": catalog_selectors.category_list(),
        "current": current,
        "form": form,
        "search": search,
        "cards": cards,
    }
    return render(request, "portal/catalog.html", context)


@require_GET
@dealer_required
def product(request: HtmxHttpRequest, sku: str):
    """A product with the dealer's price and stock per warehouse."""
    try:
        item = catalog_selectors.product_get(dealer=request.dealer, sku=sku)
    except NotFound:
        raise Http404 from None
    item.dealer_price = catalog_selectors.dealer_price(item)
    item.availability = catalog_selectors.availability_of(item.stock_total)
    warehouses = [
        {
            "warehouse": s.warehouse,
            "quantity": s.quantity,
            "availability": catalog_selectors.availability_of(s.quantity),
        }
        for s in item.stock.all()
    ]
    return render(
        request, "portal/product.html", {"product": item, "warehouses": warehouses}
    )
