from decimal import Decimal

import factory

from catalog.models import Category, Product, Stock, TierPrice, Warehouse


class CategoryFactory(factory.django.DjangoModelFactory):
    """A category; pass ``parent`` to nest it."""

    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"CAT{n}")
    name = factory.LazyAttribute(lambda o: f"类别 {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.code}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is not None:
            return parent.add_child(**kwargs)
        return model_class.add_root(**kwargs)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"产品 {n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")
    category = factory.SubFactory(CategoryFactory)
    list_price = Decimal("100.00")
    cost = Decimal("60.00")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"WH{n}")
    name = factory.LazyAttribute(lambda o: f"仓库 {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Warehouse {o.code}")


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    warehouse = factory.SubFactory(WarehouseFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 100


class TierPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierPrice

    tier = "silver"
    product = factory.SubFactory(ProductFactory)
    price = Decimal("90.00")
