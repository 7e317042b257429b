"""Engine semantics of promotions.md, one behaviour per test (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from promos.engine import Hint, NotApplied, evaluate
from tests.promos.test_engine_builders import (
    AT,
    GIFTS,
    D,
    by_code,
    candidate,
    cart,
    dealer,
    history,
    line,
    line_of,
    parse_definition,
    reasons,
    rule,
    run,
    seed,
)

TEA_A = {"categories": ["TEA-A"]}
PERCENT_10 = {"type": "percent_off", "percent": "10"}


def amount_off(amount: str) -> dict:
    """An amount_off reward."""
    return {"type": "amount_off", "amount": amount}


# --- conditions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "repeat", "max_per_order", "times"),
    [
        (9, False, None, 0),
        (10, False, None, 1),
        (25, False, None, 1),
        (25, True, None, 2),
        (30, True, None, 3),
        (50, True, 3, 3),
        (50, False, 3, 1),
    ],
)
def test_quantity_condition_times(quantity, repeat, max_per_order, times):
    """Times = floor(Q / min) when repeating, else 1; capped per order."""
    # given
    promotion = rule(repeat=repeat, max_applications_per_order=max_per_order)
    # when
    quote = run(cart(line("TEA-A-01", quantity)), promotion)
    # then
    applied = by_code(quote)
    assert (applied["P1"].times if applied else 0) == times
    if times:
        assert quote.gifts[0].quantity == times
    else:
        assert reasons(quote) == {"P1": "condition"}


@pytest.mark.parametrize(
    ("quantity", "repeat", "times"),
    [(9, False, 0), (10, False, 1), (25, False, 1), (25, True, 2)],
)
def test_amount_condition_times(quantity, repeat, times):
    """An amount condition counts floor(A / min) on the matched net amount."""
    promotion = rule(
        repeat=repeat,
        condition={"type": "amount", "items": TEA_A, "min": "1000.00"},
    )
    quote = run(cart(line("TEA-A-01", quantity, "100.00")), promotion)
    assert sum(a.times for a in quote.applied) == times


def test_amount_condition_sees_net_after_higher_priority_discounts():
    """A higher-priority discount lowers the amount a later condition sees."""
    discount = rule(code="P-HIGH", priority=9, reward=PERCENT_10)
    threshold = rule(
        code="P-LOW", condition={"type": "amount", "items": TEA_A, "min": "1000.00"}
    )
    quote = run(cart(line("TEA-A-01", 10, "100.00")), discount, threshold)
    assert set(by_code(quote)) == {"P-HIGH"}
    assert reasons(quote) == {"P-LOW": "condition"}
    assert quote.not_applied[0].detail == {
        "missing": [{"component": 0, "amount": "100.00"}]
    }


@pytest.mark.parametrize(
    ("a", "b", "repeat", "times"),
    [
        (2, 1, False, 1),
        (1, 5, False, 0),
        (6, 0, True, 0),
        (6, 2, True, 2),
        (6, 5, True, 3),
        (7, 5, False, 1),
    ],
)
def test_combo_times_are_the_smallest_component(a, b, repeat, times):
    """Every component must reach its min; times = min over floor(Qi / mini)."""
    promotion = rule(
        repeat=repeat,
        condition={
            "type": "combo",
            "components": [
                {"items": {"skus": ["TEA-A-01"]}, "min": 2},
                {"items": {"skus": ["TEA-B-01"]}, "min": 1},
            ],
        },
    )
    lines = [line("TEA-A-01", a)] + ([line("TEA-B-01", b)] if b else [])
    quote = run(cart(*lines), promotion)
    assert sum(x.times for x in quote.applied) == times


def test_lines_of_one_sku_are_merged():
    """Two lines of one SKU count as one line with their summed quantity."""
    quote = run(cart(line("TEA-A-01", 6), line("TEA-A-01", 4)), rule())
    assert [(x.sku, x.quantity, x.amount) for x in quote.lines] == [
        ("TEA-A-01", 10, D("1000.00"))
    ]
    assert by_code(quote)["P1"].times == 1


# --- stacking and order ------------------------------------------------------------


def test_exclusive_promotion_takes_its_lines():
    """A later promotion cannot use lines an exclusive one took: reason exclusive."""
    exclusive = rule(code="P-EX", priority=90, exclusive=True, reward=PERCENT_10)
    later = rule(code="P-LOW", priority=10)
    elsewhere = rule(
        code="P-B",
        priority=5,
        condition={"type": "quantity", "items": {"categories": ["TEA-B"]}, "min": 1},
    )
    quote = run(
        cart(line("TEA-A-01", 10), line("TEA-B-01", 1)), exclusive, later, elsewhere
    )
    assert set(by_code(quote)) == {"P-EX", "P-B"}
    refusal = quote.not_applied[0]
    assert (refusal.promotion, refusal.reason) == ("P-LOW", "exclusive")
    assert refusal.detail == {"taken_by": ["P-EX"]}
    assert by_code(quote)["P-EX"].exclusive is True


def test_exclusive_of_lower_priority_does_not_undo_earlier_discounts():
    """Non-exclusive promotions share lines, each on the net left before it."""
    first = rule(code="P-1", priority=9, reward=PERCENT_10)
    second = rule(code="P-2", priority=8, reward=PERCENT_10, exclusive=True)
    quote = run(cart(line("TEA-A-01", 10)), first, second)
    assert [(p.promotion, p.discount) for p in quote.lines[0].promotions] == [
        ("P-1", D("100.00")),
        ("P-2", D("90.00")),
    ]
    assert quote.total == D("810.00")


@pytest.mark.parametrize(
    ("half", "hundred", "first"),
    [
        # priority decides
        ({"priority": 5}, {"priority": 1}, "P-HALF"),
        ({"priority": 1}, {"priority": 5}, "P-100"),
        # same priority: the earlier start first
        (
            {"starts_at": "2026-12-02T00:00:00+08:00"},
            {"starts_at": "2026-12-01T00:00:00+08:00"},
            "P-100",
        ),
        # same priority and start: the code
        ({}, {}, "P-100"),
    ],
)
def test_priority_then_start_then_code(half, hundred, first):
    """Higher priority first, then earlier starts_at, then code."""
    halve = rule(code="P-HALF", reward={"type": "percent_off", "percent": "50"}, **half)
    minus = rule(code="P-100", reward=amount_off("100.00"), **hundred)
    quote = run(cart(line("TEA-A-01", 10)), halve, minus)
    order = [p.promotion for p in quote.lines[0].promotions]
    assert order[0] == first
    # 1000 → 500 → 400, or 1000 → 900 → 450
    assert quote.total == (D("400.00") if first == "P-HALF" else D("450.00"))


def test_order_scope_percent_off_applies_after_line_discounts():
    """An order-scope percent_off of higher priority still comes after line rewards."""
    order = rule(
        code="P-ORDER",
        priority=99,
        condition={"type": "amount", "min": "100.00"},
        reward={"type": "percent_off", "percent": "10", "scope": "order"},
    )
    lines_off = rule(code="P-LINE", priority=1, reward=amount_off("100.00"))
    the_cart = cart(line("TEA-A-01", 10, "100.00"), line("TEA-B-01", 5, "100.00"))
    quote = run(the_cart, order, lines_off)
    assert [a.promotion for a in quote.applied] == ["P-LINE", "P-ORDER"]
    # net after P-LINE: A 900, B 500 → 10 % = 140.00, spread 90 / 50
    assert by_code(quote)["P-ORDER"].discount == D("140.00")
    assert line_of(quote, "TEA-A-01").net_amount == D("810.00")
    assert line_of(quote, "TEA-B-01").net_amount == D("450.00")
    assert quote.total == D("1260.00")


def test_exclusive_order_discount_shuts_out_later_order_discounts():
    """Between order-scope discounts, an exclusive one takes every line."""
    order = {"type": "amount", "min": "100.00"}
    first = rule(
        code="P-O1",
        priority=5,
        exclusive=True,
        condition=order,
        reward={"type": "percent_off", "percent": "10", "scope": "order"},
    )
    second = rule(
        code="P-O2",
        condition=order,
        reward={"type": "percent_off", "percent": "5", "scope": "order"},
    )
    quote = run(cart(line("TEA-A-01", 10)), first, second)
    assert [a.promotion for a in quote.applied] == ["P-O1"]
    assert reasons(quote) == {"P-O2": "exclusive"}
    assert quote.total == D("900.00")


# --- rewards ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prices", "amount", "shares"),
    [
        # equal lines: the cent left over goes to the first SKU
        (["100.00", "100.00", "100.00"], "10.00", ["3.34", "3.33", "3.33"]),
        # rounding up overshoots: the largest line gives the cent back
        (["100.00", "200.00", "100.00"], "0.10", ["0.03", "0.04", "0.03"]),
        # exact split
        (["300.00", "100.00", "100.00"], "10.00", ["6.00", "2.00", "2.00"]),
    ],
)
def test_amount_off_spread_with_cent_remainder_to_largest_line(prices, amount, shares):
    """amount_off is spread in proportion to net; cents left go to the largest line."""
    skus = ["TEA-A-01", "TEA-A-02", "TEA-B-01"]
    promotion = rule(
        condition={"type": "quantity", "items": {"categories": ["TEA"]}, "min": 1},
        reward=amount_off(amount),
    )
    quote = run(
        cart(*(line(s, 1, p) for s, p in zip(skus, prices, strict=True))), promotion
    )
    assert [x.discount for x in quote.lines] == [D(s) for s in shares]
    assert quote.discount_total == D(amount)


def test_amount_off_is_capped_at_the_matched_net():
    """amount_off never takes a line below zero."""
    promotion = rule(reward=amount_off("5000.00"), repeat=True)
    quote = run(cart(line("TEA-A-01", 10, "100.00"), line("TEA-B-01", 1)), promotion)
    assert line_of(quote, "TEA-A-01").net_amount == D("0.00")
    assert line_of(quote, "TEA-B-01").net_amount == D("100.00")
    assert by_code(quote)["P1"].discount == D("1000.00")
    assert by_code(quote)["P1"].times == 1


def test_percent_off_is_once_and_per_line():
    """percent_off applies once (even when repeatable), each line's discount rounded."""
    promotion = rule(
        repeat=True,
        condition={"type": "quantity", "items": TEA_A, "min": 1},
        reward={"type": "percent_off", "percent": "3.5"},
    )
    quote = run(
        cart(line("TEA-A-01", 3, "10.10"), line("TEA-A-02", 1, "0.10")), promotion
    )
    # 30.30 × 3.5 % = 1.0605 → 1.06; 0.10 × 3.5 % = 0.0035 → 0.00
    assert [x.discount for x in quote.lines] == [D("1.06"), D("0.00")]
    assert by_code(quote)["P1"].times == 1


def addon_rule(**fields):
    """Buy 10 Tea A, get 1 tea box at 1.00, per time."""
    fields.setdefault("condition", {"type": "quantity", "items": TEA_A, "min": 10})
    return rule(
        repeat=True,
        reward={"type": "addon", "sku": "TEA-Y-01", "price": "1.00", "quantity": 1},
        **fields,
    )


@pytest.mark.parametrize(
    ("tea", "boxes", "taken", "discount", "box_net"),
    [
        (20, 3, 2, "98.00", "52.00"),  # earned 2, third box at the usual price
        (20, 1, 1, "49.00", "1.00"),
        (10, 2, 1, "49.00", "51.00"),
    ],
)
def test_addon_prices_earned_units_only(tea, boxes, taken, discount, box_net):
    """Add-on units up to what is earned cost the add-on price; more cost as usual."""
    the_cart = cart(line("TEA-A-01", tea), line("TEA-Y-01", boxes, "50.00"))
    quote = run(the_cart, addon_rule())
    offer = quote.addon_offers[0]
    assert (offer.quantity_earned, offer.quantity_taken) == (tea // 10, taken)
    assert by_code(quote)["P1"].discount == D(discount)
    assert by_code(quote)["P1"].times == taken
    assert line_of(quote, "TEA-Y-01").net_amount == D(box_net)


def test_addon_without_the_sku_in_the_cart_is_only_an_offer():
    """No add-on units in the cart: an offer and a hint, no application recorded."""
    names = {"TEA-Y-01": ("茶盒", "Tea box")}
    quote = run(cart(line("TEA-A-01", 20)), addon_rule(), names=names)
    assert quote.applied == ()
    assert [
        (o.sku, o.quantity_earned, o.quantity_taken) for o in quote.addon_offers
    ] == [("TEA-Y-01", 2, 0)]
    assert quote.hints[0].sku_suggestion == "TEA-Y-01"
    assert quote.hints[0].missing_quantity == 2
    # the box is not in the cart, so its unit is unknown: "units"
    assert quote.hints[0].message_en == "You can add 2 units of Tea box at ¥1.00 each"
    assert quote.hints[0].message_zh == "可以 ¥1.00 的价格加购 2 件 茶盒"


@pytest.mark.parametrize(("tea", "applies"), [(9, False), (10, True)])
def test_addon_units_do_not_count_toward_their_own_condition(tea, applies):
    """Boxes taken as add-on are not counted by the same promotion's condition."""
    promotion = addon_rule(
        condition={"type": "quantity", "items": {"categories": ["TEA"]}, "min": 10}
    )
    quote = run(cart(line("TEA-A-01", tea), line("TEA-Y-01", 1, "50.00")), promotion)
    assert bool(quote.applied) is applies
    if not applies:
        assert reasons(quote) == {"P1": "condition"}


def test_expense_credit_is_credited_not_deducted():
    """expense_credit = matched net × rate, once; the total is not reduced."""
    promotion = rule(reward={"type": "expense_credit", "rate": "0.01"}, repeat=True)
    quote = run(cart(line("TEA-A-01", 20, "120.00")), promotion)
    applied = by_code(quote)["P1"]
    assert (applied.times, applied.expense_credit) == (1, D("24.00"))
    assert quote.expense_credit_total == D("24.00")
    assert quote.total == quote.subtotal == D("2400.00")
    assert quote.cost_of("P1") == D("24.00")


# --- gifts -----------------------------------------------------------------------


def gift_rule(**fields):
    """Every 10 Tea A: a cup, or 2 bags (out of stock)."""
    return rule(
        repeat=True,
        reward={
            "type": "gift",
            "options": [
                {"sku": "GIFT-CUP", "quantity": 1},
                {"sku": "GIFT-BAG", "quantity": 2},
            ],
        },
        **fields,
    )


@pytest.mark.parametrize(
    ("choices", "sku", "quantity", "index", "defaulted", "cost", "in_stock"),
    [
        ({}, "GIFT-CUP", 2, 0, True, "30.00", True),
        ({"P1": 0}, "GIFT-CUP", 2, 0, False, "30.00", True),
        ({"P1": 1}, "GIFT-BAG", 4, 1, False, "18.00", False),
        ({"P1": 7}, "GIFT-CUP", 2, 0, True, "30.00", True),
        ({"P1": -1}, "GIFT-CUP", 2, 0, True, "30.00", True),
        ({"OTHER": 1}, "GIFT-CUP", 2, 0, True, "30.00", True),
    ],
)
def test_gift_choice(choices, sku, quantity, index, defaulted, cost, in_stock):
    """The chosen option × times; none or an invalid index: the first, defaulted."""
    quote = run(cart(line("TEA-A-01", 20)), gift_rule(), gift_choices=choices)
    (gift,) = quote.gifts
    assert (gift.sku, gift.quantity, gift.option_index) == (sku, quantity, index)
    assert (gift.defaulted, gift.declined, gift.in_stock) == (
        defaulted,
        False,
        in_stock,
    )
    assert by_code(quote)["P1"].gift_cost == D(cost)
    assert [(o.sku, o.in_stock) for o in gift.options] == [
        ("GIFT-CUP", True),
        ("GIFT-BAG", False),
    ]
    invalid = choices.get("P1") in (7, -1)
    assert [n.kind for n in quote.notes] == (["invalid_gift_choice"] if invalid else [])


def test_declined_gift_costs_nothing_but_applies():
    """A declined gift: quantity 0, no cost, times recorded, options still listed."""
    quote = run(
        cart(line("TEA-A-01", 20)),
        candidate(gift_rule(), budget="1.00"),
        gift_choices={"P1": None},
    )
    (gift,) = quote.gifts
    assert (gift.quantity, gift.declined, gift.option_index, gift.sku) == (
        0,
        True,
        None,
        "",
    )
    assert len(gift.options) == 2
    applied = by_code(quote)["P1"]
    assert (applied.times, applied.cost) == (2, D("0.00"))
    assert quote.hints == ()


def test_gift_product_missing_from_gifts_is_a_caller_error():
    """Every gift option's product must be passed in ``gifts``."""
    promotion = rule(
        reward={"type": "gift", "options": [{"sku": "NOPE", "quantity": 1}]}
    )
    with pytest.raises(ValueError, match="NOPE"):
        run(cart(line("TEA-A-01", 10)), promotion)


# --- audience ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "dealer_fields", "criterion"),
    [
        ({"tiers": ["gold"]}, {"tier": "bronze"}, "tier"),
        ({"regions": ["SH", "HZ"]}, {"region": "NJ"}, "region"),
        ({"min_tenure_years": 2}, {"customer_since": date(2024, 12, 11)}, "tenure"),
        (
            {
                "history": [
                    {"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}
                ]
            },
            {"history": history("99999.99")},
            "history",
        ),
        (
            {"history": [{"category": "TEA-C", "min_quantity": 5, "window_days": 365}]},
            {},
            "history",
        ),
        (
            {"agreement": [{"category": "TEA-C", "min_percent": "100"}]},
            {"achievement": {"TEA-C": D("99.99")}},
            "agreement",
        ),
        ({"agreement": [{"category": None, "min_percent": "80"}]}, {}, "agreement"),
    ],
)
def test_audience_failure_names_its_criterion(audience, dealer_fields, criterion):
    """A failing audience criterion is explained with its name."""
    quote = run(
        cart(line("TEA-A-01", 10)),
        rule(audience=audience),
        the_dealer=dealer(**dealer_fields),
    )
    (refusal,) = quote.not_applied
    assert (refusal.reason, refusal.detail["criterion"]) == ("audience", criterion)
    assert refusal.message_en
    assert refusal.message_zh
    assert quote.applied == ()


@pytest.mark.parametrize(
    ("audience", "dealer_fields"),
    [
        ({"tiers": ["gold"]}, {}),
        ({"min_tenure_years": 2}, {"customer_since": date(2024, 12, 10)}),
        (
            {
                "history": [
                    {"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}
                ]
            },
            {"history": history("100000.00")},
        ),
        ({"sales_orgs": ["EAST"]}, {}),
        ({"sales_orgs": []}, {}),
        ({"dealers": ["D1"]}, {}),
        (
            {"agreement": [{"category": "TEA-C", "min_percent": "100"}]},
            {"achievement": {"TEA-C": D("100.00")}},
        ),
    ],
)
def test_audience_met(audience, dealer_fields):
    """Criteria met exactly (anniversary, threshold) let the promotion apply."""
    quote = run(
        cart(line("TEA-A-01", 10)),
        rule(audience=audience),
        the_dealer=dealer(**dealer_fields),
    )
    assert set(by_code(quote)) == {"P1"}


@pytest.mark.parametrize(
    ("audience", "dealer_fields"),
    [
        ({"dealers": ["D9"]}, {}),
        ({"dealers": ["D1"], "tiers": ["silver"]}, {}),
        ({"sales_orgs": ["WEST"]}, {}),
        ({}, {"sales_org_path": ("HQ", "WEST")}),  # missing: the owner's subtree
        ({"sales_orgs": []}, {"sales_org_path": ("HQ", "WEST")}),  # empty: the same
        ({"sales_orgs": ["WEST"], "tiers": ["silver"]}, {}),
    ],
)
def test_audience_for_others_is_silent(audience, dealer_fields):
    """A deal for other dealers or orgs is never mentioned to this dealer."""
    quote = run(
        cart(line("TEA-A-01", 10)),
        rule(audience=audience),
        the_dealer=dealer(**dealer_fields),
    )
    assert quote.applied == quote.not_applied == quote.hints == ()


# --- limits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "times", "reason", "notes"),
    [
        (None, 3, None, []),
        ("45.00", 3, None, []),
        ("44.99", 2, None, ["budget_cut"]),
        ("15.00", 1, None, ["budget_cut"]),
        ("14.99", 0, "budget", []),
        ("0.00", 0, "budget", []),
    ],
)
def test_budget_cuts_times_to_what_fits(budget, times, reason, notes):
    """Times are cut to the largest number whose cost fits; at zero, reason budget."""
    quote = run(cart(line("TEA-A-01", 30)), candidate(gift_rule(), budget=budget))
    assert sum(a.times for a in quote.applied) == times
    assert reasons(quote) == ({"P1": reason} if reason else {})
    assert [n.kind for n in quote.notes] == notes
    if budget is not None:
        assert quote.cost_of("P1") <= D(budget)


@pytest.mark.parametrize(("budget", "applies"), [("100.00", True), ("99.99", False)])
def test_once_only_reward_must_fit_whole(budget, applies):
    """A once-only reward whose whole cost does not fit does not apply."""
    quote = run(
        cart(line("TEA-A-01", 10)), candidate(rule(reward=PERCENT_10), budget=budget)
    )
    assert bool(quote.applied) is applies
    assert reasons(quote) == ({} if applies else {"P1": "budget"})


@pytest.mark.parametrize(
    ("left", "times", "reason"),
    [(None, 3, None), (5, 3, None), (2, 2, None), (0, 0, "dealer_limit")],
)
def test_dealer_limit_cuts_times(left, times, reason):
    """Times beyond the dealer's remaining applications are cut; at zero, a reason."""
    quote = run(cart(line("TEA-A-01", 30)), candidate(gift_rule(), times_left=left))
    assert sum(a.times for a in quote.applied) == times
    assert reasons(quote) == ({"P1": reason} if reason else {})


# --- explanations and hints --------------------------------------------------------


@pytest.mark.parametrize(("quantity", "hinted"), [(4, False), (5, True), (9, True)])
def test_hint_when_half_way(quantity, hinted):
    """A condition met at half or more gives a hint with the missing quantity."""
    quote = run(
        cart(line("TEA-A-01", quantity, "120.00")),
        rule(
            condition={"type": "quantity", "items": {"skus": ["TEA-A-01"]}, "min": 10}
        ),
    )
    (refusal,) = quote.not_applied
    missing = 10 - quantity
    cases = "case" if missing == 1 else "cases"
    assert refusal.message_en == f"Add {missing} more {cases} of Tea A"
    assert refusal.message_zh == f"再买 {missing} 箱 龙井 A"
    expected = (
        Hint(
            "P1",
            f"再买 {missing} 箱 龙井 A，即可获赠 杯子 1 个",
            f"Add {missing} more {cases} of Tea A to get Cup × 1",
            missing,
            None,
            "TEA-A-01",
        ),
    )
    assert quote.hints == (expected if hinted else ())


def test_category_names_come_from_the_names_mapping():
    """A category is named by ``names`` when given, else by its code."""
    quote = run(
        cart(line("TEA-A-01", 5)),
        rule(reward=PERCENT_10),
        names={"TEA-A": ("A类茶", "Category A")},
    )
    assert quote.not_applied[0].message_en == "Add 5 more cases of Category A"
    assert quote.hints[0].message_en == "Add 5 more cases of Category A to get 10% off"
    assert quote.hints[0].message_zh == "再买 5 箱 A类茶，即可享受 10% 优惠"


def test_amount_hint_carries_missing_amount_and_units():
    """An amount condition's hint gives the missing amount and the units to reach it."""
    promotion = rule(
        condition={"type": "amount", "items": TEA_A, "min": "1000.00"},
        reward=amount_off("50.00"),
    )
    quote = run(cart(line("TEA-A-01", 6, "120.00")), promotion)
    (hint,) = quote.hints
    assert (hint.missing_amount, hint.missing_quantity) == (D("280.00"), 3)
    assert hint.message_en == "Add ¥280.00 more of TEA-A to get ¥50.00 off"


def test_combo_hint_follows_the_weakest_component():
    """A combo hints when its weakest component is half-way, suggesting that SKU."""
    promotion = rule(
        condition={
            "type": "combo",
            "components": [
                {"items": {"skus": ["TEA-A-01"]}, "min": 4},
                {"items": {"skus": ["TEA-B-01"]}, "min": 2},
            ],
        }
    )
    quote = run(cart(line("TEA-A-01", 3), line("TEA-B-01", 1)), promotion)
    (hint,) = quote.hints
    assert (hint.missing_quantity, hint.sku_suggestion) == (1, "TEA-B-01")
    assert hint.message_en == (
        "Add 1 more case of Tea A and 1 more case of Tea B to get Cup × 1"
    )
    no_hint = run(cart(line("TEA-A-01", 4), line("TEA-B-01", 0)), promotion)
    assert no_hint.hints == ()
    assert reasons(no_hint) == {"P1": "condition"}


@pytest.mark.parametrize(
    ("quantity", "max_per_order", "budget", "hinted"),
    [
        (25, None, None, True),
        (24, None, None, False),  # 6 missing: more than half of 10
        (29, None, None, True),
        (25, 2, None, False),  # at the per-order cap
        (25, None, "30.00", False),  # the budget cannot pay one more
        (25, None, "45.00", True),
    ],
)
def test_hint_for_the_next_repeat(quantity, max_per_order, budget, hinted):
    """A repeatable promotion hints when one more time is within half a min."""
    promotion = gift_rule(max_applications_per_order=max_per_order)
    quote = run(cart(line("TEA-A-01", quantity)), candidate(promotion, budget=budget))
    assert by_code(quote)["P1"].times == 2
    if hinted:
        (hint,) = quote.hints
        assert hint.missing_quantity == 30 - quantity
        assert hint.message_en.endswith("for 1 more gift (Cup × 1)")
        assert "即可再获赠 杯子 1 个" in hint.message_zh
    else:
        assert quote.hints == ()


def test_next_repeat_hint_of_an_amount_condition_ignores_its_own_discount():
    """The amount still missing for one more time is counted before its own discount."""
    promotion = rule(
        repeat=True,
        condition={"type": "amount", "items": TEA_A, "min": "1000.00"},
        reward=amount_off("100.00"),
    )
    quote = run(cart(line("TEA-A-01", 25, "100.00")), promotion)
    assert by_code(quote)["P1"].discount == D("200.00")
    (hint,) = quote.hints
    assert (hint.missing_amount, hint.missing_quantity) == (D("500.00"), 5)
    assert hint.message_en == "Add ¥500.00 more of TEA-A for ¥100.00 more off"
    assert hint.message_zh == "再买 TEA-A ¥500.00，即可再减 ¥100.00"


def test_no_hint_at_the_dealer_limit():
    """No "one more" hint when the dealer's limit is reached by this order."""
    quote = run(cart(line("TEA-A-01", 25)), candidate(gift_rule(), times_left=2))
    assert by_code(quote)["P1"].times == 2
    assert quote.hints == ()


def test_window_and_untouched_candidates_are_ignored():
    """Candidates outside their window or not touching the cart are not mentioned."""
    early = rule(code="P-LATE", starts_at="2026-12-20T00:00:00+08:00")
    other = rule(
        code="P-B",
        condition={"type": "quantity", "items": {"categories": ["TEA-B"]}, "min": 10},
    )
    quote = run(cart(line("TEA-A-01", 1)), early, other)
    assert quote.applied == quote.not_applied == quote.hints == ()


def test_highest_version_of_a_code_wins():
    """Two versions of one code: only the highest version applies."""
    old = candidate(rule(reward=PERCENT_10), version=1)
    new = candidate(rule(reward=amount_off("5.00")), version=2)
    quote = run(cart(line("TEA-A-01", 10)), old, new)
    assert [(a.promotion, a.version, a.discount) for a in quote.applied] == [
        ("P1", 2, D("5.00"))
    ]


def test_naive_evaluation_time_is_refused():
    """The evaluation time must carry its offset."""
    with pytest.raises(ValueError, match="aware"):
        run(cart(), rule(), at=AT.replace(tzinfo=None))


# --- the worked example of promotions.md --------------------------------------------


def test_seed_example():
    """Loyal gold dealers buying 20 of category A get 2 cups and 1 % expense support."""
    # given: the seed's gift promotion and its "10 for 0.1" companion
    gift = parse_definition(seed())
    credit_definition = seed()
    credit_definition.update(
        code="P2026-0043",
        name="10 for 0.1 expense support",
        reward={"type": "expense_credit", "rate": "0.01"},
        repeat=False,
    )
    credit = parse_definition(credit_definition)
    loyal = dealer(customer_since=date(2022, 6, 1), history=history("120000.00"))
    # when
    quote = evaluate(
        cart=cart(line("TEA-A-01", 20, "120.00")),
        dealer=loyal,
        candidates=[
            candidate(gift, budget="50000.00", times_left=20),
            candidate(credit),
        ],
        gifts=GIFTS,
        at=AT,
    )
    # then
    data = quote.to_dict()
    assert data["lines"] == [
        {
            "sku": "TEA-A-01",
            "quantity": 20,
            "unit_price": "120.00",
            "amount": "2400.00",
            "discount": "0.00",
            "net_amount": "2400.00",
            "promotions": [],
        }
    ]
    assert [
        {k: g[k] for k in ("sku", "quantity", "promotion", "defaulted")}
        for g in data["gifts"]
    ] == [
        {"sku": "GIFT-CUP", "quantity": 2, "promotion": "P2026-0042", "defaulted": True}
    ]
    assert data["applied"] == [
        {
            "promotion": "P2026-0042",
            "version": 1,
            "times": 2,
            "discount": "0.00",
            "gift_cost": "30.00",
            "expense_credit": "0.00",
            "exclusive": False,
        },
        {
            "promotion": "P2026-0043",
            "version": 1,
            "times": 1,
            "discount": "0.00",
            "gift_cost": "0.00",
            "expense_credit": "24.00",
            "exclusive": False,
        },
    ]
    assert (data["subtotal"], data["discount_total"], data["total"]) == (
        "2400.00",
        "0.00",
        "2400.00",
    )
    assert data["not_applied"] == data["hints"] == []
    # a newer dealer (2 years) is told why, since the audience covers them
    newer = dealer(
        customer_since=date.today() - timedelta(days=800), history=history("120000.00")
    )
    newer = dealer(customer_since=date(2024, 6, 1), history=history("120000.00"))
    refused = run(cart(line("TEA-A-01", 20, "120.00")), gift, the_dealer=newer)
    assert refused.not_applied == (
        NotApplied(
            "P2026-0042",
            "audience",
            "仅限合作满 3 年的经销商",
            "Only for dealers who have been customers for at least 3 years",
            {
                "criterion": "tenure",
                "failures": [
                    {"criterion": "tenure", "required_years": 3, "actual_years": 2}
                ],
            },
        ),
    )
