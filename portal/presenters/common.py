"""What every presenter needs: the active language, names of codes, dates."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import get_language

from catalog import selectors as catalog_selectors
from common.i18n import pick_name
from promos.engine.rules import GiftReward, Rule

ZERO = Decimal("0.00")


def pick(zh: str, en: str) -> str:
    """The engine's sentence in the active language."""
    return en if (get_language() or "").startswith("en") else zh


# --- Names ------------------------------------------------------------------------------


class Names:
    """Display names of SKUs and categories for rules and quotes."""

    def __init__(
        self,
        products: Mapping[str, object] | None = None,
        categories: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.products = dict(products or {})
        self.categories = dict(categories or {})

    def __call__(self, code: str) -> str:
        product = self.products.get(code)
        if product is not None:
            return product.display_name
        if code in self.categories:
            return pick_name(*self.categories[code])
        return code


def rule_skus(rule: Rule) -> set[str]:
    """Every SKU a rule names: in its condition, its gifts, its add-on."""
    skus = set(rule.touched_skus)
    if isinstance(rule.reward, GiftReward):
        skus |= {option.sku for option in rule.reward.options}
    return skus


def names_for(*, rules: Iterable[Rule], tier_code: str) -> Names:
    """Names of everything some rules mention: two queries whatever their number."""
    skus = set().union(*(rule_skus(rule) for rule in rules))
    products = (
        catalog_selectors.products_by_sku(skus=skus, tier_code=tier_code)
        if skus
        else {}
    )
    return Names(products, catalog_selectors.category_index().names)


def last_day(rule: Rule):
    """The last moment a promotion applies (its end is exclusive): "until 31 Dec"."""
    return rule.ends_at - timedelta(seconds=1)


# --- Hints ------------------------------------------------------------------------------


@dataclass
class HintView:
    promotion: str
    promotion_name: str
    message: str
    quantity: int | None
    sku: str | None
    product_name: str = ""

    @property
    def one_tap(self) -> bool:
        return bool(self.quantity and self.sku)


def hint_view(hint, names: Names, promotion_name: str = "") -> HintView:
    return HintView(
        promotion=hint.promotion,
        promotion_name=promotion_name,
        message=pick(hint.message_zh, hint.message_en),
        quantity=hint.missing_quantity,
        sku=hint.sku_suggestion,
        product_name=names(hint.sku_suggestion) if hint.sku_suggestion else "",
    )
