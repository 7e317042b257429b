"""The catalogue: category tree, search, product pages with the dealer's own price."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog import selectors as catalog_selectors
from common.errors import NotFound
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
    """Products of a category (or all), searchable, paged with htmx."""
    form = CatalogSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    current = None
    if category:
        try:
            current = catalog_selectors.category_get(code=category)
        except NotFound:
            raise Http404 from None
    products = catalog_selectors.product_list(
        dealer=request.dealer, category=current, search=search
    )
    paginator = Paginator(products, settings.PORTAL["PAGE_SIZE"])
    page = paginator.get_page(_page_number(request))
    for product in page.object_list:
        product.dealer_price = catalog_selectors.dealer_price(product)
        product.availability = catalog_selectors.availability_of(product.stock_total)
    context = {
        "categories": catalog_selectors.category_list(),
        "current": current,
        "form": form,
        "search": search,
        "page": page,
    }
    if request.htmx and request.GET.get("page"):
        return render(request, "portal/catalog.html#product-page", context)
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
