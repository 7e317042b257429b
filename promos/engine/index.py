"""Find the candidates that concern a cart without scanning every promotion."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .types import Candidate, Cart


class PromotionIndex:
    """Candidates indexed by the SKUs and categories their rules touch.

    Built once per set of candidates; ``for_cart`` then costs a few dictionary
    look-ups per cart line, whatever the number of promotions.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        """Index ``candidates`` by touched SKU, touched category and order scope."""
        self._candidates = tuple(candidates)
        self._by_sku: dict[str, list[int]] = defaultdict(list)
        self._by_category: dict[str, list[int]] = defaultdict(list)
        self._order_scope: list[int] = []
        for position, candidate in enumerate(self._candidates):
            rule = candidate.rule
            if rule.is_order_scope:
                self._order_scope.append(position)
            for sku in rule.touched_skus:
                self._by_sku[sku].append(position)
            for code in rule.touched_categories:
                self._by_category[code].append(position)
        self._by_sku = dict(self._by_sku)
        self._by_category = dict(self._by_category)

    def __len__(self) -> int:
        """Number of candidates indexed."""
        return len(self._candidates)

    def for_cart(self, cart: Cart) -> list[Candidate]:
        """Return the candidates touching a cart SKU or category, plus order-scope ones.

        A line's categories are its whole ``category_path``, so a rule naming a
        parent category is found from a product of any of its descendants.
        """
        found = set(self._order_scope)
        for line in cart.lines:
            found.update(self._by_sku.get(line.item.sku, ()))
            for code in line.item.category_path:
                found.update(self._by_category.get(code, ()))
        return [self._candidates[position] for position in sorted(found)]
