"""Delivery plans (收货计划): an order asked to arrive in parts, checked against what
can arrive, filled by shipments in date order."""

import datetime

import pytest
from django.utils import timezone, translation

from catalog.models import LeadTime, PlannedReceipt, Stock, Warehouse
from common.errors import InvalidInput, NotFound
from orders import selectors, services
from orders.models import DeliveryPlanPart
from tests.orders.factories import place

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=timezone.get_fixed_timezone(480))
D = datetime.date


@pytest.fixture
def world(db, time_machine):
    """WH-SH one working day away; Longjing: 60 on hand, 500 more on 18 Dec."""
    from tests.orders.factories import build_world

    time_machine.move_to(NOW, tick=False)
    world = build_world()
    warehouse = Warehouse.objects.get(code="WH-SH")
    LeadTime.objects.create(warehouse=warehouse, region=world["dealer"].region, days=1)
    Stock.objects.filter(product__sku="TEA-A-01").update(quantity=60)
    PlannedReceipt.objects.create(
        external_id="MO-1",
        warehouse=warehouse,
        product=world["products"]["TEA-A-01"],
        quantity=500,
        expected_date=D(2026, 12, 18),
    )
    world["order"] = place(world["buyer"], [("TEA-A-01", 100)])
    return world


def _plan(world, parts, dealer=None):
    translation.activate("en")
    return services.delivery_plan_set(
        number=world["order"].number,
        dealer=dealer or world["dealer"],
        parts=parts,
        by=world["buyer"].user,
    )


def test_a_plan_in_two_parts_ships_in_two_parts(world):
    # given: 60 now, 40 in January
    _plan(world, [("TEA-A-01", D(2026, 12, 7), 60), ("TEA-A-01", D(2027, 1, 15), 40)])
    order = world["order"]
    # when: the first part ships
    services.shipment_post(
        external_id="S-1",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 60, False)],
    )
    order.refresh_from_db()
    # then: the first part is filled, the second waits
    ((line_id, parts),) = selectors.delivery_plan_get(order=order).items()
    assert [(p.date, p.quantity, p.received) for p in parts] == [
        (D(2026, 12, 7), 60, 60),
        (D(2027, 1, 15), 40, 0),
    ]
    services.shipment_post(
        external_id="S-2",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 40, False)],
    )
    parts = selectors.delivery_plan_get(order=order)[line_id]
    assert [p.received for p in parts] == [60, 40]


def test_parts_that_do_not_add_up_are_refused_and_nothing_is_saved(world):
    with pytest.raises(InvalidInput) as error:
        _plan(
            world, [("TEA-A-01", D(2026, 12, 7), 60), ("TEA-A-01", D(2027, 1, 15), 30)]
        )
    assert error.value.code == "plan_total"
    assert "add up to 90" in error.value.message
    assert not DeliveryPlanPart.objects.exists()


def test_a_part_earlier_than_the_goods_can_arrive_is_refused(world):
    """Only 60 are on hand: 100 by 7 Dec is impossible; the run lands 18 Dec."""
    with pytest.raises(InvalidInput) as error:
        _plan(world, [("TEA-A-01", D(2026, 12, 7), 100)])
    assert error.value.code == "plan_too_early"
    assert "the earliest date for all of it is 21 Dec 2026" in error.value.message
    assert not DeliveryPlanPart.objects.exists()


def test_a_part_in_the_past_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        _plan(world, [("TEA-A-01", D(2026, 12, 1), 100)])
    assert error.value.code == "invalid_date"


def test_another_dealers_order_cannot_be_planned(world):
    with pytest.raises(NotFound):
        _plan(world, [("TEA-A-01", D(2027, 1, 15), 100)], dealer=world["other"])


def test_a_new_plan_replaces_the_old_one(world):
    _plan(world, [("TEA-A-01", D(2026, 12, 7), 60), ("TEA-A-01", D(2027, 1, 15), 40)])
    _plan(world, [("TEA-A-01", D(2027, 1, 20), 100)])
    assert list(DeliveryPlanPart.objects.values_list("date", "quantity")) == [
        (D(2027, 1, 20), 100)
    ]


def test_promised_dates_cost_the_same_queries_for_5_or_50_lines(world):
    """ATP inputs are read in a constant number of queries, not one per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.catalog.factories import ProductFactory, StockFactory

    warehouse = Warehouse.objects.get(code="WH-SH")
    for n in range(50):
        StockFactory(
            warehouse=warehouse, product=ProductFactory(sku=f"BULK-{n:02d}"), quantity=9
        )

    def count(lines: int) -> int:
        skus = [(f"BULK-{n:02d}", 20) for n in range(lines)]
        with CaptureQueriesContext(connection) as queries:
            promised = selectors.promises_get(dealer=world["dealer"], lines=skus)
        assert len(promised) == lines
        return len(queries)

    assert count(50) == count(5) <= 5
