"""Category tree, warehouses, products and gifts, tier prices and stock."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from catalog.models import Category, Product, Stock, TierPrice, Warehouse
from portal.demo import data
from portal.demo.context import SeedContext
from portal.demo.helpers import BATCH, CENT, leaf_codes, root_of


@dataclass(frozen=True)
class Sellable:
    """A sellable product as the history step needs it, without queries."""

    product_id: int
    sku: str
    category: str
    root: str
    quantity: int  # a usual order line, in the product's unit
    prices: dict[str, Decimal]  # tier code → price


def _product_candidates(leaf: str):
    """Every product line × pack size × edition of one leaf category, in a fixed order."""
    bases = [b for b in data.BASE_PRODUCTS if b.category == leaf]
    specs = data.SPECS_BY_ROOT.get(leaf) or data.SPECS_BY_ROOT[root_of(leaf)]
    for n in count():
        if n < len(data.SERIES):
            series = data.SERIES[n]
        else:  # more products than editions: number further batches
            series = (f"B{n}", f"第{n}批", f"batch {n}", Decimal("1"))
        for spec in specs:
            for base in bases:
                yield base, spec, series


def _plan_products(number: int) -> list[tuple]:
    """``number`` products spread round-robin over the leaf categories."""
    generators = [_product_candidates(leaf) for leaf in leaf_codes()]
    planned = []
    while len(planned) < number:
        for generator in generators:
            if len(planned) == number:
                break
            planned.append(next(generator))
    return planned


def _list_price(raw: Decimal) -> Decimal:
    """Prices end in 8 as Chinese shelf prices do; small ones step by ¥0.50."""
    if raw >= 20:
        return (raw / 10).to_integral_value(ROUND_HALF_UP) * 10 - 2
    return ((raw * 2).to_integral_value(ROUND_HALF_UP) / 2).quantize(CENT)


def seed_catalog(ctx: SeedContext) -> None:
    """Category tree, warehouses, products and gifts, tier prices and stock."""
    rng, today = ctx.rng, ctx.today
    for spec in data.CATEGORIES:  # parents come first
        fields = {"code": spec.code, "name": spec.name, "name_en": spec.name_en}
        if spec.parent:
            parent = Category.objects.get(pk=ctx.categories[spec.parent].pk)
            ctx.categories[spec.code] = parent.add_child(**fields)
        else:
            ctx.categories[spec.code] = Category.add_root(**fields)
    ctx.categories = {c.code: c for c in Category.objects.all()}
    ctx.warehouses = {
        w.code: w
        for w in Warehouse.objects.bulk_create(
            Warehouse(code=code, name=name, name_en=name_en)
            for code, name, name_en in data.WAREHOUSES
        )
    }

    products, quantities = [], {}
    for base, spec, (s_code, s_name, s_name_en, s_factor) in ctx.bar(
        _plan_products(ctx.products), desc="products", unit="sku"
    ):
        sku = f"{base.stem}-{spec.code}" + (f"-{s_code}" if s_code else "")
        jitter = Decimal(rng.randint(95, 105)) / 100
        price = _list_price(base.price * spec.price_factor * s_factor * jitter)
        cost_share = Decimal(rng.randint(45, 65)) / 100
        if base.category == data.NEW_LAUNCH_CATEGORY:
            launched_days_ago = rng.randint(3, 25)
        else:  # launched before the history starts
            launched_days_ago = rng.randint(0, 3000) + 31 * (ctx.months + 1)
        products.append(
            Product(
                sku=sku,
                name=" ".join(filter(None, [base.name, spec.name, s_name])),
                name_en=", ".join(
                    filter(None, [base.name_en, spec.name_en, s_name_en])
                ),
                category=ctx.categories[base.category],
                unit=spec.unit,
                list_price=price,
                cost=(price * cost_share).quantize(CENT, ROUND_HALF_UP),
                launched_on=today - timedelta(days=launched_days_ago),
            )
        )
        quantities[sku] = max(1, round(base.quantity * spec.qty_factor))
    for gift in data.GIFTS:
        products.append(
            Product(
                sku=gift.sku,
                name=gift.name,
                name_en=gift.name_en,
                category=ctx.categories["GIFT"],
                unit=gift.unit,
                list_price=gift.list_price,
                cost=gift.cost,
                gift_only=True,
            )
        )
    Product.objects.bulk_create(products, batch_size=BATCH)
    ctx.products_by_sku = {p.sku: p for p in products}

    tier_prices, sellables = [], []
    for product in products:
        if product.gift_only:
            continue
        prices = {
            tier.code: (product.list_price * tier.price_factor).quantize(
                CENT, ROUND_HALF_UP
            )
            for tier in data.TIERS
        }
        tier_prices += [
            TierPrice(tier=tier, product=product, price=price)
            for tier, price in prices.items()
        ]
        code = product.category.code
        sellables.append(
            Sellable(
                product.pk,
                product.sku,
                code,
                root_of(code),
                quantities[product.sku],
                prices,
            )
        )
    TierPrice.objects.bulk_create(tier_prices, batch_size=BATCH)
    ctx.sellables = sellables

    stock = []
    gifts = {g.sku: g for g in data.GIFTS}
    for index, product in enumerate(products):
        for warehouse in ctx.warehouses.values():
            roll = rng.random()
            if product.gift_only:
                quantity = rng.randint(200, 5000) if gifts[product.sku].in_stock else 0
            elif roll < 0.05:
                quantity = 0
            elif roll < 0.13:
                quantity = rng.randint(1, 19)  # below PORTAL["LOW_STOCK_THRESHOLD"]
            else:
                quantity = rng.randint(50, 3000)
            # A sure example of each stock state, whatever the seed.
            if index == 1 and warehouse.code == "WH":
                quantity = 8
            elif index == 2 and warehouse.code == "GZ":
                quantity = 0
            stock.append(Stock(warehouse=warehouse, product=product, quantity=quantity))
    Stock.objects.bulk_create(stock, batch_size=BATCH)

    ctx.count("categories", len(ctx.categories))
    ctx.count("warehouses", len(ctx.warehouses))
    ctx.count("products", len(sellables))
    ctx.count("gift-only products", len(data.GIFTS))
    ctx.count("tier prices", len(tier_prices))
    ctx.count("stock rows", len(stock))


def flush_catalog() -> None:
    Stock.objects.all().delete()
    TierPrice.objects.all().delete()
    Product.objects.all().delete()
    Warehouse.objects.all().delete()
    Category.objects.all().delete()
