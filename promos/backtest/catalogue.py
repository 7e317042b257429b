"""What the replay reads once: every product as the engine sees it, prices, gifts, orgs."""

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from catalog import selectors as catalog_selectors
from catalog.models import Product, TierPrice
from dealers.models import SalesOrg
from promos import engine, selectors
from promos.engine.rules import AddonReward, GiftReward


@dataclasses.dataclass(frozen=True)
class Catalogue:
    items: dict[int, engine.Item]
    sellable: set[int]
    list_prices: dict[int, Decimal]
    tier_prices: dict[tuple[str, int], Decimal]
    keys: dict[int, frozenset[str]]
    sku_paths: dict[str, tuple[str, ...]]
    by_sku: dict[str, tuple[engine.Item, Decimal]]


def catalogue() -> tuple[Catalogue, catalog_selectors.CategoryIndex]:
    """Every product as the engine sees it, with prices and fact keys (two queries)."""
    index = catalog_selectors.category_index()
    units = selectors._unit_labels()
    items, sellable, list_prices, keys, sku_paths, by_sku = {}, set(), {}, {}, {}, {}
    for row in Product.objects.order_by().values_list(
        "pk",
        "sku",
        "name",
        "name_en",
        "category_id",
        "unit",
        "list_price",
        "cost",
        "gift_only",
        "active",
    ):
        pk, sku, name, name_en, category_id, unit, price, cost, gift_only, active = row
        path = index.paths.get(category_id, ())
        unit_zh, unit_en = units.get(unit, (unit, unit))
        item = engine.Item(
            sku=sku,
            name=name,
            name_en=name_en or name,
            category_path=path,
            unit=unit_zh,
            unit_en=unit_en,
            gift_only=gift_only,
        )
        items[pk] = item
        list_prices[pk] = price
        if active and not gift_only:
            sellable.add(pk)
        keys[pk] = frozenset({f"sku:{sku}", *(f"category:{c}" for c in path)})
        sku_paths[sku] = path
        by_sku[sku] = (item, cost if cost is not None else price)
    tier_prices = {
        (tier, product_id): price
        for tier, product_id, price in TierPrice.objects.order_by().values_list(
            "tier", "product_id", "price"
        )
    }
    return (
        Catalogue(items, sellable, list_prices, tier_prices, keys, sku_paths, by_sku),
        index,
    )


def gift_products(rules: Iterable[engine.Rule], catalog: Catalogue) -> dict:
    skus = set()
    for rule in rules:
        if isinstance(rule.reward, GiftReward):
            skus.update(option.sku for option in rule.reward.options)
        elif isinstance(rule.reward, AddonReward):
            skus.add(rule.reward.sku)
    skus &= set(catalog.by_sku)
    in_stock = catalog_selectors.skus_in_stock(skus=skus) if skus else set()
    return {
        sku: engine.GiftProduct(
            item=catalog.by_sku[sku][0],
            value=catalog.by_sku[sku][1],
            in_stock=sku in in_stock,
        )
        for sku in skus
    }


def org_code_paths() -> tuple[dict[int, tuple[str, ...]], dict[str, str]]:
    """Org id → codes root-down, and org code → tree path (one query)."""
    orgs = list(SalesOrg.objects.order_by().values_list("pk", "code", "path"))
    code_by_path = {path: code for _pk, code, path in orgs}
    step = SalesOrg.steplen
    codes = {
        pk: tuple(code_by_path[path[:i]] for i in range(step, len(path) + 1, step))
        for pk, _code, path in orgs
    }
    return codes, {code: path for _pk, code, path in orgs}
