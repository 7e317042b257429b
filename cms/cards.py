"""Product cards in CMS content: a product as the viewing dealer buys it now (their
price, the stock), read from the catalogue. Apart from the page models, so the
content blocks that show them import no page model."""

from dataclasses import dataclass
from decimal import Decimal

from catalog import selectors as catalog_selectors
from cms import links
from common.errors import NotFound


@dataclass(frozen=True)
class ProductCard:
    """A product as the viewing dealer buys it now: their price, the stock."""

    sku: str
    name: str
    unit: str
    image_url: str | None
    price: Decimal
    list_price: Decimal
    stock: int
    availability: str
    gift_only: bool
    url: str

    @property
    def tier_price(self) -> bool:
        """True when the dealer's tier pays less than the list price."""
        return self.price < self.list_price


def product_card(*, dealer, sku: str) -> ProductCard | None:
    """One product priced for ``dealer`` (list price when previewed without one), or
    None when it is gone or inactive."""
    if dealer is not None:
        try:
            product = catalog_selectors.product_get(dealer=dealer, sku=sku)
        except NotFound:
            return None
    else:
        product = catalog_selectors.products_by_sku(skus=[sku], tier_code="").get(sku)
        if product is None or not product.active:
            return None
    stock = getattr(product, "stock_total", 0) or 0
    return ProductCard(
        sku=product.sku,
        name=product.display_name,
        unit=product.get_unit_display(),
        image_url=product.image.url if product.image else None,
        price=catalog_selectors.dealer_price(product),
        list_price=product.list_price,
        stock=stock,
        availability=catalog_selectors.availability_of(stock),
        gift_only=product.gift_only,
        url=links.product_url(product.sku),
    )
