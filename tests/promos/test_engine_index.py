"""Finding the candidates that concern a cart (promotions.md, "Speed")."""

from __future__ import annotations

from promos.engine import Cart, PromotionIndex, history_keys
from tests.promos.test_engine_builders import candidate, cart, line, rule


def by_category(code: str, category: str):
    """A candidate whose condition names one category."""
    condition = {"type": "quantity", "items": {"categories": [category]}, "min": 1}
    return candidate(rule(code=code, condition=condition))


def by_sku(code: str, sku: str):
    """A candidate whose condition names one SKU."""
    condition = {"type": "quantity", "items": {"skus": [sku]}, "min": 1}
    return candidate(rule(code=code, condition=condition))


def test_for_cart_finds_by_sku_category_ancestor_addon_and_order_scope():
    """A cart finds rules on its SKUs, categories on its paths, add-ons, order scope."""
    addon = candidate(
        rule(
            code="P-ADDON",
            condition={"type": "quantity", "items": {"skus": ["ELSEWHERE"]}, "min": 1},
            reward={"type": "addon", "sku": "TEA-B-01", "price": "1", "quantity": 1},
        )
    )
    order = candidate(rule(code="P-ORDER", condition={"type": "amount", "min": "1"}))
    found_ones = [
        by_sku("P-SKU", "TEA-A-01"),
        by_category("P-LEAF", "TEA-A"),
        by_category("P-ROOT", "TEA"),
        addon,
        order,
    ]
    others = [
        by_sku("P-OTHER-SKU", "TEA-A-02"),
        by_category("P-OTHER-CAT", "WARE"),
    ]
    index = PromotionIndex([*others, *found_ones])
    found = index.for_cart(cart(line("TEA-A-01", 1), line("TEA-B-01", 1)))
    assert {c.rule.code for c in found} == {c.rule.code for c in found_ones}
    assert len(index) == 7


def test_empty_cart_finds_only_order_scope():
    """With nothing in the cart only order-scope promotions are candidates."""
    order = candidate(rule(code="P-ORDER", condition={"type": "amount", "min": "1"}))
    index = PromotionIndex([by_sku("P-SKU", "TEA-A-01"), order])
    assert [c.rule.code for c in index.for_cart(Cart())] == ["P-ORDER"]


def test_history_keys_accept_rules_and_candidates():
    """history_keys lists the totals the caller must fetch, for rules or candidates."""
    needs = {
        "history": [
            {"category": "TEA-C", "min_amount": "10", "window_days": 365},
            {"sku": "TEA-A-01", "min_quantity": 3, "window_days": 90},
        ]
    }
    with_history = rule(code="P-H", audience=needs)
    assert history_keys([with_history, candidate(rule())]) == {
        ("category", "TEA-C", 365),
        ("sku", "TEA-A-01", 90),
    }
    assert history_keys([]) == set()
