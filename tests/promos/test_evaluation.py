"""Promotion evaluation: cost from the ledger, sales against a baseline, the control
adjustment, 费效比, the burn, the org roll-up, and bounded queries. Hand-computed."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from catalog.services import HistoryRecord
from orders import services as order_services
from promos import evaluation
from promos import services as promo_services
from promos.models import Promotion
from tests.dealers.factories import DealerFactory, SalesOrgFactory, TierFactory
from tests.world import gift_promotion

_ids = itertools.count(1)
TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=9)  # 10 days so far, today included


def _window(code="P-EVAL", org="EAST", **overrides) -> dict:
    starts = timezone.make_aware(datetime.datetime.combine(START, datetime.time()))
    return gift_promotion(
        code=code,
        sales_org=org,
        starts_at=starts.isoformat(),
        ends_at=(starts + datetime.timedelta(days=30)).isoformat(),
        **overrides,
    )


def _approve(data: dict) -> Promotion:
    promo_services.promotion_save(data=data, by=None)
    promo_services.promotion_submit(code=data["code"], by=None)
    promo_services.promotion_approve(code=data["code"], by=None)
    return Promotion.objects.select_related("sales_org", "budget").get(
        code=data["code"]
    )


def _sale(dealer, product, amount: str, day: datetime.date) -> None:
    catalog_services.sales_history_record(
        records=[
            HistoryRecord(
                external_id=f"H{next(_ids)}",
                dealer_id=dealer.pk,
                product_id=product.pk,
                quantity=1,
                amount=Decimal(amount),
                date=day,
            )
        ]
    )


def _order(dealer, quantity: int):
    return order_services.order_place(
        dealer=dealer,
        lines=[("TEA-A-01", quantity)],
        idempotency_key=f"k{next(_ids)}",
        gift_choices={"P-EVAL": 0},
    ).order


def _figures(promotion):
    return evaluation.promotion_figures(promotion=promotion, today=TODAY)


# --- Pure computation -------------------------------------------------------------------


def test_estimate_without_enough_control_dealers_is_during_minus_baseline():
    """Four control dealers are not enough: incremental = 1000 − 600."""
    estimate = evaluation.estimate_sales(
        during=Decimal("1000.00"),
        baseline=Decimal("600.00"),
        control=[(Decimal("150.00"), Decimal("100.00"))] * 4,
    )
    assert estimate.control_growth is None
    assert estimate.expected == Decimal("600.00")
    assert estimate.incremental == Decimal("400.00")


def test_estimate_with_five_control_dealers_scales_the_baseline_by_their_growth():
    """Five dealers grew 500 → 750 (×1.5): expected 600 × 1.5 = 900, incremental 100.
    A dealer with nothing before says nothing about growth and is left out."""
    estimate = evaluation.estimate_sales(
        during=Decimal("1000.00"),
        baseline=Decimal("600.00"),
        control=[(Decimal("150.00"), Decimal("100.00"))] * 5
        + [(Decimal("999.00"), Decimal("0.00"))],
    )
    assert estimate.control_dealers == 5
    assert estimate.control_growth == Decimal("1.5000")
    assert estimate.expected == Decimal("900.00")
    assert estimate.incremental == Decimal("100.00")


def test_window_runs_to_today_and_the_baseline_is_as_long_just_before():
    tz = timezone.get_current_timezone()
    window = evaluation.window_of(
        datetime.datetime(2026, 3, 1, tzinfo=tz),
        datetime.datetime(2026, 4, 1, tzinfo=tz),
        datetime.date(2026, 3, 10),
    )
    assert (window.first_day, window.last_day, window.period_end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 3, 10),
    )
    assert window.days == 10
    assert (window.baseline_start, window.baseline_end) == (
        datetime.date(2026, 2, 19),
        datetime.date(2026, 2, 28),
    )


def test_ratio_is_a_quantized_decimal_and_none_without_a_denominator():
    assert evaluation.ratio(Decimal("30.00"), Decimal("1000.00")) == Decimal("0.0300")
    assert evaluation.ratio(Decimal("30.00"), Decimal("0.00")) is None
    assert evaluation.ratio(Decimal("30.00"), Decimal("-5.00")) is None


# --- From the ledgers ---------------------------------------------------------------------


@pytest.fixture
def scenario(world):
    """P-EVAL (a cup at cost 15 for every 10 Tea A) started 9 days ago; D1 ordered 20:
    2 cups, cost 30.00. D1 bought 1000 of Tea A during, 600 in the 10 days before,
    plus sales that must not count (Tea C, and Tea A before the baseline)."""
    promotion = _approve(_window())
    dealer = world["dealer"]
    tea_a, tea_c = world["products"]["TEA-A-01"], world["products"]["TEA-C-01"]
    _order(dealer, 20)
    _sale(dealer, tea_a, "1000.00", START + datetime.timedelta(days=1))
    _sale(dealer, tea_c, "500.00", START + datetime.timedelta(days=1))
    _sale(dealer, tea_a, "600.00", START - datetime.timedelta(days=3))
    _sale(dealer, tea_a, "999.00", START - datetime.timedelta(days=11))
    return {**world, "promotion": promotion}


def test_cost_sales_baseline_and_ratio_of_a_small_scenario(scenario):
    figures = _figures(scenario["promotion"])
    assert figures.applications == 1
    assert figures.times == 2
    assert figures.dealers_reached == 1
    assert figures.gift_cost == Decimal("30.00")
    assert figures.cost == Decimal("30.00")
    assert figures.budget_limit == Decimal("50000.00")
    assert figures.window.days == 10
    assert figures.sales.during == Decimal("1000.00")
    assert figures.sales.baseline == Decimal("600.00")
    assert figures.sales.control_growth is None
    assert figures.incremental == Decimal("400.00")
    assert figures.cost_ratio == Decimal("0.0300")
    assert figures.cost_per_incremental == Decimal("0.0750")
    assert [(p.day, p.cumulative) for p in figures.burn] == [(TODAY, Decimal("30.00"))]


def test_the_baseline_is_adjusted_by_five_eligible_dealers_who_did_not_take_it(
    scenario,
):
    """Five gold EAST-SH dealers grew 100 → 150 each: expected 600 × 1.5 = 900,
    incremental 1000 − 900 = 100, cost per incremental ¥ = 30 / 100. A dealer outside
    the audience's orgs (SOUTH) is no control, however it sold."""
    tea_a = scenario["products"]["TEA-A-01"]
    gold = TierFactory(code="gold")
    for _n in range(5):
        peer = DealerFactory(sales_org=scenario["orgs"]["EAST-SH"], tier=gold)
        _sale(peer, tea_a, "100.00", START - datetime.timedelta(days=2))
        _sale(peer, tea_a, "150.00", START + datetime.timedelta(days=2))
    outsider = DealerFactory(sales_org=scenario["orgs"]["SOUTH"], tier=gold)
    _sale(outsider, tea_a, "10.00", START - datetime.timedelta(days=2))
    _sale(outsider, tea_a, "9000.00", START + datetime.timedelta(days=2))
    figures = _figures(scenario["promotion"])
    assert figures.sales.control_dealers == 5
    assert figures.sales.control_growth == Decimal("1.5000")
    assert figures.sales.expected == Decimal("900.00")
    assert figures.incremental == Decimal("100.00")
    assert figures.cost_per_incremental == Decimal("0.3000")
    assert figures.cost_ratio == Decimal("0.0300")


def test_a_cancelled_order_costs_nothing_and_no_longer_counts_its_dealer(scenario):
    order = _order(scenario["dealer"], 10)
    assert _figures(scenario["promotion"]).cost == Decimal("45.00")
    order_services.order_cancel(number=order.number)
    figures = _figures(scenario["promotion"])
    assert figures.cost == Decimal("30.00")
    assert figures.applications == 1
    assert figures.cancelled_applications == 1


def test_no_incremental_sales_means_no_cost_per_incremental(scenario):
    tea_a = scenario["products"]["TEA-A-01"]
    _sale(scenario["dealer"], tea_a, "800.00", START - datetime.timedelta(days=1))
    figures = _figures(scenario["promotion"])
    assert figures.sales.baseline == Decimal("1400.00")
    assert figures.incremental == Decimal("-400.00")
    assert figures.cost_per_incremental is None


def test_a_promotion_without_takers_has_no_ratio(world):
    promotion = _approve(_window())
    figures = _figures(promotion)
    assert figures.cost == Decimal("0.00")
    assert figures.promoted_sales == Decimal("0.00")
    assert figures.cost_ratio is None
    assert figures.burn == []


def test_org_rollup_adds_up_the_subtree(scenario):
    """HQ counts EAST's and SOUTH's promotions; EAST-SH owns none; SOUTH only its own."""
    south_dealer = DealerFactory(
        code="DS",
        sales_org=scenario["orgs"]["SOUTH"],
        tier=TierFactory(code="gold"),
    )
    _approve(
        _window(
            code="P-SOUTH",
            org="SOUTH",
            audience={"sales_orgs": ["SOUTH"]},
            limits={"budget": "1000.00"},
        )
    )
    order_services.order_place(
        dealer=south_dealer,
        lines=[("TEA-A-01", 10)],
        idempotency_key="south-1",
        gift_choices={"P-SOUTH": 0},
    )
    rows, figures = evaluation.org_rollup(org=scenario["orgs"]["HQ"], today=TODAY)
    by_code = {row.org.code: row for row in rows}
    assert [row.org.code for row in rows] == ["HQ", "EAST", "EAST-SH", "SOUTH"]
    assert (by_code["HQ"].promotions, by_code["HQ"].cost) == (2, Decimal("45.00"))
    assert (by_code["EAST"].promotions, by_code["EAST"].cost) == (1, Decimal("30.00"))
    assert by_code["EAST"].budget == Decimal("50000.00")
    assert by_code["EAST"].promoted_sales == Decimal("1000.00")
    assert by_code["EAST"].cost_ratio == Decimal("0.0300")
    assert by_code["EAST-SH"].promotions == 0
    assert (by_code["SOUTH"].cost, by_code["SOUTH"].budget) == (
        Decimal("15.00"),
        Decimal("1000.00"),
    )
    assert by_code["HQ"].budget == Decimal("51000.00")
    assert set(figures) == set(Promotion.objects.values_list("pk", flat=True))
    east_rows, east_figures = evaluation.org_rollup(
        org=scenario["orgs"]["EAST"], today=TODAY
    )
    assert [row.org.code for row in east_rows] == ["EAST", "EAST-SH"]
    assert [f.code for f in east_figures.values()] == ["P-EVAL"]


def test_a_manager_scope_finds_only_promotions_of_the_subtree(scenario):
    _approve(_window(code="P-SOUTH", org="SOUTH", audience={"sales_orgs": ["SOUTH"]}))
    east = scenario["orgs"]["EAST"]
    assert evaluation.promotion_get_for_org(org=east, code="P-EVAL") is not None
    assert evaluation.promotion_get_for_org(org=east, code="P-SOUTH") is None
    sh = scenario["orgs"]["EAST-SH"]
    assert evaluation.promotion_get_for_org(org=sh, code="P-EVAL") is None


def test_figures_of_many_promotions_take_a_bounded_number_of_queries(
    scenario, django_assert_max_num_queries
):
    """Three promotions or one: the same handful of queries."""
    org = SalesOrgFactory(code="EAST-HZ", parent=scenario["orgs"]["EAST"])
    for n in range(3):
        _approve(
            _window(
                code=f"P-MANY{n}",
                audience={"sales_orgs": [org.code]},
                condition={
                    "type": "amount",
                    "items": {"skus": ["TEA-C-01"]},
                    "min": "100.00",
                },
            )
        )
    promotions = list(evaluation.promotion_list_for_org(org=scenario["orgs"]["HQ"]))
    assert len(promotions) == 4
    with django_assert_max_num_queries(8):
        many = evaluation.promotion_figures_many(promotions=promotions, today=TODAY)
    assert len(many) == 4
    with django_assert_max_num_queries(8):
        evaluation.promotion_figures_many(promotions=promotions[:1], today=TODAY)
