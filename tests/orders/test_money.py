"""Money invariants: statements reconcile, write-offs reverse as rows, Decimal only."""

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Warehouse
from orders import selectors, services
from orders.models import Receivable, WriteOff

_ids = itertools.count(1)


@pytest.fixture
def ready(world):
    Warehouse.objects.create(code="SH", name="上海仓")
    return world["dealer"]


def _ship(dealer, quantity):
    placement = services.order_place(
        dealer=dealer, lines=[("TEA-A-01", quantity)], idempotency_key=f"k{next(_ids)}"
    )
    services.shipment_post(
        external_id=f"E{next(_ids)}",
        order_number=placement.order.number,
        warehouse="SH",
        lines=[("TEA-A-01", quantity, False)],
    )
    return placement.order


def test_reversed_write_off_is_a_row_and_money_goes_to_prepayment(ready):
    _ship(ready, 10)
    services.receipt_post(
        external_id="R1",
        dealer=ready,
        amount=Decimal("500.00"),
        date=datetime.date(2026, 11, 1),
    )
    writeoff = WriteOff.objects.get()
    services.writeoff_reverse(writeoff_id=writeoff.pk)
    assert WriteOff.objects.count() == 2
    assert WriteOff.objects.get(reversal_of=writeoff).amount == Decimal("-500.00")
    receivable = Receivable.objects.get()
    assert receivable.open_amount == receivable.amount
    assert selectors.balances_get(dealer=ready).prepayment == Decimal("500.00")
    with pytest.raises(services.placement.Conflict):
        services.writeoff_reverse(writeoff_id=writeoff.pk)
    services.writeoff_from_prepayment(receivable_number=receivable.number)
    receivable.refresh_from_db()
    assert receivable.open_amount == receivable.amount - Decimal("500.00")
    assert selectors.balances_get(dealer=ready).prepayment == Decimal("0.00")


def test_payment_plan_splits_receivables_by_installment(ready):
    plan = [
        {"percent": "30", "due": "shipment", "days": 0},
        {"percent": "70", "due": "delivery", "days": 30},
    ]
    services.payment_plan_validate(plan)
    placement = services.order_place(
        dealer=ready, lines=[("TEA-A-01", 10)], idempotency_key="plan"
    )
    placement.order.payment_plan = plan
    placement.order.save()
    result = services.shipment_post(
        external_id="P1",
        order_number=placement.order.number,
        warehouse="SH",
        lines=[("TEA-A-01", 10, False)],
    )
    amounts = sorted(
        (r.installment, r.amount, r.due_date) for r in result.shipment.receivables.all()
    )
    assert [a for _i, a, _d in amounts] == [Decimal("330.00"), Decimal("770.00")]
    assert amounts[1][2] is None  # due 30 days after delivery, not delivered yet
    services.shipment_deliver(
        external_id="P1",
        delivered_at=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC),
    )
    assert Receivable.objects.get(installment=2).due_date == datetime.date(2026, 12, 2)


def test_a_bad_payment_plan_is_refused():
    with pytest.raises(services.placement.InvalidInput):
        services.payment_plan_validate(
            [{"percent": "30", "due": "order"}, {"percent": "60", "due": "delivery"}]
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["ship", "pay"]),
            st.integers(min_value=1, max_value=30),
            st.integers(0, 20),
        ),
        min_size=1,
        max_size=8,
    ),
    split=st.integers(min_value=0, max_value=20),
)
def test_statement_opening_plus_movements_is_closing(ready, events, split):
    """For random histories of shipments and receipts, any period reconciles and
    the balance equals open receivables minus prepayment."""
    base = datetime.date(2026, 11, 1)
    for kind, amount, day in events:
        if kind == "ship":
            order = _ship(ready, amount)
            Receivable.objects.filter(order=order).update()
        else:
            services.receipt_post(
                external_id=f"R{next(_ids)}",
                dealer=ready,
                amount=Decimal(amount * 37),
                date=base + datetime.timedelta(days=day),
            )
    start = base + datetime.timedelta(days=split)
    end = base + datetime.timedelta(days=40)
    statement = selectors.statement_get(dealer=ready, period_from=start, period_to=end)
    moved = sum((m.debit - m.credit for m in statement.movements), Decimal("0.00"))
    assert statement.opening_balance + moved == statement.closing_balance
    everything = selectors.statement_get(
        dealer=ready,
        period_from=datetime.date(2000, 1, 1),
        period_to=datetime.date(2100, 1, 1),
    )
    balances = selectors.balances_get(dealer=ready)
    assert everything.closing_balance == balances.open_receivables - balances.prepayment
    for value in (
        balances.open_receivables,
        balances.prepayment,
        everything.closing_balance,
    ):
        assert isinstance(value, Decimal)
        assert value == value.quantize(Decimal("0.01"))


def test_delivered_shipments_confirm_themselves_after_the_configured_days(
    ready, settings
):
    from django.core.management import call_command

    from orders.models import Shipment

    _ship(ready, 5)
    shipment = Shipment.objects.get()
    services.shipment_deliver(
        external_id=shipment.external_id,
        delivered_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    settings.PORTAL = {**settings.PORTAL, "AUTO_CONFIRM_DAYS": 3}
    call_command("auto_confirm_shipments")
    shipment.refresh_from_db()
    assert shipment.confirmed_at is not None
    assert shipment.auto_confirmed
