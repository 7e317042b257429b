"""Properties of the engine that must hold for any cart (hypothesis)."""

from __future__ import annotations

import json
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promos.engine import Cart, CartLine, Quote, Rule
from tests.promos.test_engine_builders import (
    ITEMS,
    candidate,
    cart,
    line,
    rule,
    run,
)

CENT = Decimal("0.01")
SKUS = sorted(ITEMS)

prices = st.decimals(min_value="0.00", max_value="500.00", places=2)


@st.composite
def carts_lines(draw) -> list[CartLine]:
    """Up to 8 lines (a SKU may repeat), each SKU at one price."""
    price_of = {sku: str(draw(prices)) for sku in SKUS}
    picks = draw(
        st.lists(st.tuples(st.sampled_from(SKUS), st.integers(0, 60)), max_size=8)
    )
    return [line(sku, quantity, price_of[sku]) for sku, quantity in picks]


lines = carts_lines()
budgets = st.none() | st.decimals(min_value="0.00", max_value="300.00", places=2).map(
    str
)
times_left = st.none() | st.integers(0, 4)

TEA_A = {"categories": ["TEA-A"]}
REWARDS = [
    {"type": "gift", "options": [{"sku": "GIFT-CUP", "quantity": 1}]},
    {"type": "percent_off", "percent": "7.5"},
    {"type": "percent_off", "percent": "3", "scope": "order"},
    {"type": "amount_off", "amount": "33.33"},
    {"type": "addon", "sku": "TEA-Y-01", "price": "0.99", "quantity": 2},
    {"type": "expense_credit", "rate": "0.013"},
]
CONDITIONS = [
    {"type": "quantity", "items": TEA_A, "min": 3},
    {"type": "quantity", "items": {"categories": ["TEA"]}, "min": 5},
    {"type": "amount", "min": "250.00"},
    {"type": "amount", "items": {"skus": ["TEA-B-01", "CUP-01"]}, "min": "99.99"},
    {
        "type": "combo",
        "components": [
            {"items": {"skus": ["TEA-A-01"]}, "min": 2},
            {"items": {"categories": ["TEA-B", "TEA-Y"]}, "min": 1},
        ],
    },
]


@st.composite
def promotions(draw) -> list:
    """A handful of promotions of every type with random stacking and limits."""
    count = draw(st.integers(1, 6))
    found = []
    for number in range(count):
        the_rule = rule(
            code=f"P{number}",
            priority=draw(st.integers(0, 3)),
            exclusive=draw(st.booleans()),
            repeat=draw(st.booleans()),
            condition=draw(st.sampled_from(CONDITIONS)),
            reward=draw(st.sampled_from(REWARDS)),
            max_applications_per_order=draw(st.none() | st.integers(1, 5)),
        )
        found.append(
            candidate(the_rule, budget=draw(budgets), times_left=draw(times_left))
        )
    return found


gift_choices = st.dictionaries(
    st.sampled_from([f"P{n}" for n in range(6)]), st.none() | st.integers(-1, 2)
)


def check_money(value: Decimal) -> None:
    """Money is a Decimal with exactly two places."""
    assert isinstance(value, Decimal)
    assert value == value.quantize(CENT)
    assert value.as_tuple().exponent == -2


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines, candidates=promotions(), choices=gift_choices)
def test_totals_add_up_and_nothing_goes_negative(lines, candidates, choices):
    """total = Σ net = subtotal − discounts; no net below 0; discounts ≤ subtotal."""
    quote = run(cart(*lines), *candidates, gift_choices=choices)
    assert quote.subtotal == sum((x.amount for x in quote.lines), Decimal(0))
    assert quote.discount_total == sum((x.discount for x in quote.lines), Decimal(0))
    assert quote.total == sum((x.net_amount for x in quote.lines), Decimal(0))
    assert quote.total == quote.subtotal - quote.discount_total
    assert Decimal(0) <= quote.discount_total <= quote.subtotal
    for x in quote.lines:
        assert x.net_amount >= 0
        assert x.amount == x.unit_price * x.quantity
        assert x.discount == sum((p.discount for p in x.promotions), Decimal(0))
        for value in (x.unit_price, x.amount, x.discount, x.net_amount):
            check_money(value)
    for applied in quote.applied:
        given_on_lines = sum(
            (
                p.discount
                for x in quote.lines
                for p in x.promotions
                if p.promotion == applied.promotion
            ),
            Decimal(0),
        )
        assert applied.discount == given_on_lines
        assert applied.times >= 1
        for value in (applied.discount, applied.gift_cost, applied.expense_credit):
            check_money(value)
    assert quote.expense_credit_total == sum(
        (a.expense_credit for a in quote.applied), Decimal(0)
    )
    for value in (
        quote.subtotal,
        quote.discount_total,
        quote.total,
        quote.expense_credit_total,
    ):
        check_money(value)
    assert json.loads(json.dumps(quote.to_dict()))["total"] == str(quote.total)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines, candidates=promotions(), choices=gift_choices)
def test_budget_and_dealer_limit_are_never_exceeded(lines, candidates, choices):
    """The reported cost never exceeds the budget left, nor times the dealer limit."""
    quote = run(cart(*lines), *candidates, gift_choices=choices)
    usage = {c.rule.code: c.usage for c in candidates}
    for applied in quote.applied:
        left = usage[applied.promotion]
        if left.budget_remaining is not None:
            assert quote.cost_of(applied.promotion) <= left.budget_remaining
        if left.dealer_times_remaining is not None:
            assert applied.times <= left.dealer_times_remaining


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines, candidates=promotions(), choices=gift_choices, seed=st.randoms())
def test_result_does_not_depend_on_line_or_candidate_order(
    lines, candidates, choices, seed
):
    """Shuffling lines (or splitting one in two) and candidates changes nothing."""
    first = run(cart(*lines), *candidates, gift_choices=choices)
    shuffled = list(lines)
    seed.shuffle(shuffled)
    if shuffled and shuffled[0].quantity > 1:
        head = shuffled[0]
        split = [
            CartLine(head.item, 1, head.unit_price),
            CartLine(head.item, head.quantity - 1, head.unit_price),
        ]
        shuffled = split + shuffled[1:]
    others = list(candidates)
    seed.shuffle(others)
    second = run(Cart(tuple(shuffled)), *others, gift_choices=choices)
    assert second == first
    assert second.to_dict() == first.to_dict()


def times_of(quote: Quote, code: str) -> int:
    """Times a promotion applied in a quote (0 if it did not)."""
    return sum(a.times for a in quote.applied if a.promotion == code)


@settings(max_examples=300)
@given(
    base=st.integers(0, 80),
    more=st.integers(1, 40),
    minimum=st.integers(1, 12),
    cap=st.none() | st.integers(1, 6),
    budget=budgets,
    left=times_left,
    other=st.integers(0, 30),
)
def test_more_quantity_never_lowers_the_times(
    base, more, minimum, cap, budget, left, other
):
    """More units of a matched SKU never lower a repeatable condition's times."""
    the_rule: Rule = rule(
        repeat=True,
        condition={"type": "quantity", "items": TEA_A, "min": minimum},
        max_applications_per_order=cap,
    )
    promotion = candidate(the_rule, budget=budget, times_left=left)
    extra = [line("TEA-A-02", other)] if other else []
    before = run(cart(line("TEA-A-01", base), *extra), promotion)
    after = run(cart(line("TEA-A-01", base + more), *extra), promotion)
    assert times_of(after, "P1") >= times_of(before, "P1")


def test_a_large_cart_is_deterministic():
    """A fixed large random cart gives the same quote twice (sanity for the above)."""
    rng = random.Random(7)
    the_lines = [line(rng.choice(SKUS), rng.randint(1, 30), "12.34") for _ in range(40)]
    promos = [candidate(rule(code=f"P{n}", reward=r)) for n, r in enumerate(REWARDS)]
    assert run(cart(*the_lines), *promos) == run(
        cart(*reversed(the_lines)), *reversed(promos)
    )
