"""The catalogue: category tree, search, product pages with the dealer's own price."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog import selectors as catalog_selectors
from common import versions
from common.errors import NotFound
from portal import fragments
from portal.decorators import dealer_required
from portal.forms import CatalogSearchForm
from portal.http import HtmxHttpRequest


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@require_GET
@dealer_required
def catalog(request: HtmxHttpRequest, category: str | None = None):
    """Products of a category (or all), searchable, paged with htmx.

    Nothing here is one dealer's: the page is cached once per tier (its prices),
    role (the add buttons), language and URL until the catalogue or stock moves
    (``portal.fragments``)."""
    form = CatalogSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    more = bool(request.htmx and request.GET.get("page"))

    def context() -> dict:
        current = None
        if category:
            current = catalog_selectors.category_get(code=category)
        products = catalog_selectors.product_list(
            dealer=request.dealer, category=current, search=search
        )
        page = Paginator(products, settings.PORTAL["PAGE_SIZE"]).get_page(
            _page_number(request)
        )
        for product in page.object_list:
            product.dealer_price = catalog_selectors.dealer_price(product)
            product.availability = catalog_selectors.availability_of(
                product.stock_total
            )
        return {
            "categories": [] if more else catalog_selectors.category_list(),
            "current": current,
            "heading": current.display_name if current else "",
            "form": form,
            "search": search,
            "page": page,
        }

    shared = {
        "scopes": (versions.CATALOG, versions.STOCK),
        "shared_by": (request.dealer.tier.code, request.dealer_user.can_order),
    }
    try:
        if more:
            return HttpResponse(
                fragments.content(
                    request,
                    "catalog-more",
                    "portal/catalog.html#product-page",
                    context,
                    **shared,
                )
            )
        return fragments.page(
            request,
            "catalog",
            "portal/catalog.html",
            context,
            keep=("heading",),
            **shared,
        )
    except NotFound:
        raise Http404 from None


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
