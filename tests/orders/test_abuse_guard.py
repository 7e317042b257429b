"""The abuse guard: gifts earned then cancelled, gift debt, gift share far above peers,
orders split at a threshold; and gift status per promotion. Data is made through the
order services (place, ship, cancel, short-close); normal dealers stay unflagged."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Stock, Warehouse
from orders import evaluation
from orders import services as order_services
from orders.models import Order
from promos import services as promo_services
from promos.models import Promotion
from tests.catalog.factories import ProductFactory
from tests.dealers.factories import DealerFactory, RegionFactory, TierFactory
from tests.world import gift_promotion

_ids = itertools.count(1)


def _approve(data: dict) -> Promotion:
    promo_services.promotion_save(data=data, by=None)
    promo_services.promotion_submit(code=data["code"], by=None)
    promo_services.promotion_approve(code=data["code"], by=None)
    return Promotion.objects.get(code=data["code"])


def _place(dealer, lines, code="P-GIFT"):
    return order_services.order_place(
        dealer=dealer,
        lines=lines,
        idempotency_key=f"k{next(_ids)}",
        gift_choices={code: 0},
    ).order


def _ship(order, lines):
    return order_services.shipment_post(
        external_id=f"S{next(_ids)}",
        order_number=order.number,
        warehouse="SH",
        lines=lines,
    )


@pytest.fixture
def guard(world):
    """P-GIFT: a cup (cost 15) for every 10 Tea A, for gold EAST-SH dealers; stock in
    warehouse SH; a second gold dealer D2 next to D1."""
    warehouse = Warehouse.objects.create(code="SH", name="上海仓")
    for sku in ("TEA-A-01", "TEA-C-01", "GIFT-CUP"):
        Stock.objects.create(
            warehouse=warehouse, product=world["products"][sku], quantity=1000
        )
    promotion = _approve(gift_promotion())
    d2 = DealerFactory(
        code="D2",
        sales_org=world["orgs"]["EAST-SH"],
        tier=world["dealer"].tier,
        region=world["dealer"].region,
    )
    return {**world, "promotion": promotion, "d2": d2}


def _facts(*dealers, **kwargs):
    return evaluation.abuse_facts(dealers=dealers, **kwargs)


# --- Pure rules ---------------------------------------------------------------------------


def test_at_threshold_is_within_ten_percent_of_what_was_earned():
    def check(measure, repeat=True, cap=None):
        return evaluation.at_threshold(
            measures=[Decimal(measure)], minimums=[Decimal(10)], repeat=repeat, cap=cap
        )

    assert [check(m) for m in (10, 11, 20, 22)] == [True] * 4
    assert [check(m) for m in (9, 12, 15)] == [False] * 3
    assert not check(20, repeat=False)
    assert not check(30, cap=2)


def test_clusters_need_three_orders_each_within_two_days_of_the_last():
    now = timezone.now()

    def order(hours):
        return evaluation.ThresholdOrder(
            number=f"SO-{hours}",
            placed_at=now + datetime.timedelta(hours=hours),
            measures=(Decimal(10),),
            minimums=(Decimal(10),),
        )

    assert len(evaluation.clusters_of([order(0), order(40), order(80)], "P")) == 1
    assert evaluation.clusters_of([order(0), order(40), order(100)], "P") == []
    assert evaluation.clusters_of([order(0), order(1)], "P") == []


# --- Seeded patterns ----------------------------------------------------------------------


def test_gifts_earned_then_cancelled_are_flagged_from_two_orders(guard):
    """D2 orders 20 Tea A (2 cups) twice and cancels both; D1 cancels nothing."""
    for _n in range(2):
        order = _place(guard["d2"], [("TEA-A-01", 20)])
        order_services.order_cancel(number=order.number)
    normal = _place(guard["dealer"], [("TEA-A-01", 20)])
    _ship(normal, [("TEA-A-01", 20, False)])
    facts = _facts(guard["dealer"], guard["d2"])
    abuser = facts[guard["d2"].pk]
    assert len(abuser.cancelled) == 2
    first = abuser.cancelled[0]
    assert first.gift_units == 2
    assert first.gift_value == Decimal("30.00")
    assert first.goods_value == Decimal("2200.00")  # 20 × 110.00 (gold price)
    assert first.promotions == {"P-GIFT"}
    assert abuser.flags == [evaluation.CANCELLED_GIFTS]
    assert facts[guard["dealer"].pk].flags == []


def test_a_short_close_withdraws_gifts_too(guard):
    order = _place(guard["d2"], [("TEA-A-01", 20)])
    _ship(order, [("TEA-A-01", 10, False)])
    order_services.order_short_close(number=order.number, lines=[("TEA-A-01", 10)])
    (found,) = _facts(guard["d2"])[guard["d2"].pk].cancelled
    assert (found.gift_units, found.goods_value) == (1, Decimal("1100.00"))
    assert evaluation.CANCELLED_GIFTS not in _facts(guard["d2"])[guard["d2"].pk].flags


def test_gift_debt_outstanding_is_flagged(guard):
    """D2's cups ship ahead of the goods, then the rest is cancelled: 2 cups of debt."""
    order = _place(guard["d2"], [("TEA-A-01", 20)])
    _ship(order, [("TEA-A-01", 1, False), ("GIFT-CUP", 2, True)])
    order_services.order_cancel(number=order.number)
    abuser = _facts(guard["d2"])[guard["d2"].pk]
    (debt,) = abuser.debts
    assert (debt.units, debt.value, debt.promotion) == (2, Decimal("30.00"), "P-GIFT")
    assert evaluation.GIFT_DEBT in abuser.flags
    status = evaluation.promotion_gift_status(promotion=guard["promotion"])
    (cup,) = status.rows
    assert (cup.ordered, cup.shipped, cup.clawed_back, cup.debt) == (2, 2, 2, 2)
    assert status.debt_value == Decimal("30.00")


def test_gift_status_counts_shipped_and_owed(guard):
    """30 Tea A earn 3 cups; the warehouse has 1 cup: 1 shipped, 2 owed."""
    Stock.objects.filter(product__sku="GIFT-CUP").update(quantity=1)
    order = _place(guard["dealer"], [("TEA-A-01", 30)])
    _ship(order, [("TEA-A-01", 30, False)])
    status = evaluation.promotion_gift_status(promotion=guard["promotion"])
    assert (status.shipped, status.owed, status.clawed_back, status.debt) == (
        1,
        2,
        0,
        0,
    )
    assert status.shipped_value == Decimal("15.00")
    assert status.owed_value == Decimal("30.00")


@pytest.fixture
def kettle(guard):
    """P-KETTLE: a kettle (cost 150) for every 10 Tea A, for gold dealers in EAST-SH."""
    ProductFactory(
        sku="GIFT-KETTLE",
        category=guard["products"]["GIFT-CUP"].category,
        list_price=Decimal("200.00"),
        cost=Decimal("150.00"),
        gift_only=True,
    )
    return _approve(
        gift_promotion(
            code="P-KETTLE",
            reward={"type": "gift", "options": [{"sku": "GIFT-KETTLE", "quantity": 1}]},
        )
    )


def test_a_gift_share_three_times_the_peers_median_is_flagged(guard, kettle):
    """Each order of 10+ Tea A earns a kettle (150) and P-GIFT's cup (15): 165.
    Peers (gold, same region) order 12 Tea A + 100 Tea C: 165 / 9,320 = 1.77 %.
    D2 orders 15 Tea A three times: 495 / 4,950 = 10 % > 3 × 1.77 % and > 5 %.
    A peer in another region does not count."""
    region = guard["dealer"].region
    gold = guard["dealer"].tier
    peers = [guard["dealer"]] + [
        DealerFactory(sales_org=guard["orgs"]["EAST-SH"], tier=gold, region=region)
        for _n in range(2)
    ]
    for peer in peers:
        for _n in range(3):
            _place(peer, [("TEA-A-01", 12), ("TEA-C-01", 100)], code="P-KETTLE")
    far = DealerFactory(
        sales_org=guard["orgs"]["EAST-SH"], tier=gold, region=RegionFactory(code="w")
    )
    _place(far, [("TEA-A-01", 10)], code="P-KETTLE")
    for _n in range(3):
        _place(guard["d2"], [("TEA-A-01", 15)], code="P-KETTLE")
    facts = _facts(guard["d2"], *peers)
    share = facts[guard["d2"].pk].share
    assert share.ordered_value == Decimal("4950.00")
    assert share.gift_value == Decimal("495.00")
    assert share.share == Decimal("0.1000")
    assert share.peers == 3
    assert share.peer_median == Decimal("0.0177")
    assert facts[guard["d2"].pk].flags == [evaluation.GIFT_SHARE]
    for peer in peers:
        assert facts[peer.pk].flags == [], facts[peer.pk]


def test_a_high_share_needs_enough_orders_and_peers(guard, kettle):
    """One order is not a pattern; and without three peers there is no median to beat."""
    _place(guard["d2"], [("TEA-A-01", 15)], code="P-KETTLE")
    share = _facts(guard["d2"])[guard["d2"].pk].share
    assert share.share == Decimal("0.1000")
    assert not share.flagged


def test_orders_split_at_the_threshold_within_two_days_are_flagged(guard):
    """D2 orders exactly 10 Tea A three times in a day; D1 orders 10, 15, 10."""
    for _n in range(3):
        _place(guard["d2"], [("TEA-A-01", 10)])
    for quantity in (10, 15, 10):
        _place(guard["dealer"], [("TEA-A-01", quantity)])
    facts = _facts(guard["dealer"], guard["d2"])
    (cluster,) = facts[guard["d2"].pk].clusters
    assert cluster.promotion == "P-GIFT"
    assert len(cluster.orders) == 3
    assert cluster.orders[0].measures == (Decimal(10),)
    assert facts[guard["d2"].pk].flags == [evaluation.THRESHOLD_SPLIT]
    assert facts[guard["dealer"].pk].flags == []


def test_threshold_orders_spread_over_weeks_are_normal(guard):
    orders = [_place(guard["d2"], [("TEA-A-01", 10)]) for _n in range(3)]
    now = timezone.now()
    for index, order in enumerate(orders):
        Order.objects.filter(pk=order.pk).update(
            placed_at=now - datetime.timedelta(days=7 * index)
        )
    assert _facts(guard["d2"])[guard["d2"].pk].flags == []


def test_the_promotion_report_lists_its_takers_flagged_first(guard):
    for _n in range(2):
        order = _place(guard["d2"], [("TEA-A-01", 20)])
        order_services.order_cancel(number=order.number)
    _place(guard["dealer"], [("TEA-A-01", 20)])
    rows = evaluation.promotion_abuse_report(promotion=guard["promotion"])
    assert [r.dealer.code for r in rows] == ["D2", "D1"]
    assert rows[0].flags == [evaluation.CANCELLED_GIFTS]
    outside = evaluation.promotion_abuse_report(
        promotion=guard["promotion"], org=guard["orgs"]["SOUTH"]
    )
    assert outside == []


def test_flags_for_a_page_of_dealers_take_a_bounded_number_of_queries(
    guard, django_assert_max_num_queries
):
    for _n in range(2):
        order = _place(guard["d2"], [("TEA-A-01", 20)])
        order_services.order_cancel(number=order.number)
    dealers = [guard["dealer"], guard["d2"]] + [
        DealerFactory(sales_org=guard["orgs"]["EAST-SH"], tier=TierFactory(code="gold"))
        for _n in range(10)
    ]
    for dealer in dealers[2:6]:
        _place(dealer, [("TEA-A-01", 20)])
    with django_assert_max_num_queries(9):
        flags = evaluation.dealer_flags(dealers=dealers)
    assert flags == {guard["d2"].pk: [evaluation.CANCELLED_GIFTS]}
