"""Catalogue models: prices and stock can never go negative; one price per tier."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Product, Stock, TierPrice
from tests.catalog.factories import ProductFactory, StockFactory, TierPriceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [{"list_price": Decimal("-1.00")}, {"cost": Decimal("-0.01")}],
    ids=["list_price", "cost"],
)
def test_negative_product_prices_are_refused_by_the_database(change):
    """A product's list price and cost can never be stored below zero."""
    product = ProductFactory(list_price=Decimal("10.00"), cost=Decimal("5.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**change)

    product.refresh_from_db()
    assert (product.list_price, product.cost) == (Decimal("10.00"), Decimal("5.00"))


def test_negative_tier_price_is_refused_by_the_database():
    """A tier price below zero cannot be stored."""
    with pytest.raises(IntegrityError), transaction.atomic():
        TierPriceFactory(price=Decimal("-5.00"))

    assert not TierPrice.objects.exists()


def test_negative_stock_is_refused_by_the_database():
    """A warehouse can never hold fewer than zero units of a product."""
    stock = StockFactory(quantity=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(quantity=-1)

    stock.refresh_from_db()
    assert stock.quantity == 3


def test_one_price_per_tier_and_product():
    """A product has at most one price for a tier, but other tiers get their own."""
    product = ProductFactory()
    TierPriceFactory(tier="gold", product=product, price=Decimal("80.00"))
    TierPriceFactory(tier="silver", product=product, price=Decimal("90.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        TierPriceFactory(tier="gold", product=product, price=Decimal("70.00"))

    assert dict(product.tier_prices.values_list("tier", "price")) == {
        "gold": Decimal("80.00"),
        "silver": Decimal("90.00"),
    }


def test_one_stock_row_per_warehouse_and_product():
    """Stock of a product in a warehouse is one figure, not several rows to add up."""
    stock = StockFactory(quantity=5)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockFactory(warehouse=stock.warehouse, product=stock.product, quantity=7)


def test_gift_value_is_the_cost_when_known():
    """A gift costs the promotion what the product costs the manufacturer."""
    product = ProductFactory(list_price=Decimal("20.00"), cost=Decimal("15.00"))

    assert product.gift_value == Decimal("15.00")


def test_gift_value_falls_back_to_the_list_price():
    """Without a cost, a gift is valued at its list price."""
    product = ProductFactory(list_price=Decimal("20.00"), cost=None)

    assert product.gift_value == Decimal("20.00")


def test_gift_value_of_a_free_cost_item_is_zero_not_the_list_price():
    """A zero cost is a real cost: the gift is valued at zero, not at its list price."""
    product = ProductFactory(list_price=Decimal("20.00"), cost=Decimal("0.00"))

    assert product.gift_value == Decimal("0.00")
