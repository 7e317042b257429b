"""Portal addresses the content links to, by URL name with a plain-path fallback.

``cms`` sits below ``portal`` and never imports it; it only names its routes.
"""

from urllib.parse import quote

from django.urls import NoReverseMatch, reverse


def _reverse(name: str, *args, fallback: str | None) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def promotion_detail_url(code: str) -> str:
    """The portal's page of one promotion (rules, items, progress)."""
    return _reverse(
        "portal:promotions-detail", code, fallback=f"/promotions/{quote(code)}/"
    )


def promotions_url() -> str:
    return _reverse("portal:promotions", fallback="/promotions/")


def home_url() -> str:
    return _reverse("portal:home", fallback="/")


def product_url(sku: str) -> str:
    return _reverse("portal:catalog-product", sku, fallback=f"/catalog/p/{quote(sku)}/")


def cart_add_url() -> str | None:
    """Where an add-to-cart form posts (``sku``, ``quantity``, ``next``), if the
    portal has that route."""
    return _reverse("portal:cart-add", fallback=None)
