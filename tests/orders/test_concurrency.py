"""Budgets, per-dealer limits, credit and idempotency hold under concurrent orders.

These need PostgreSQL's row locks (SQLite serialises every write, which proves
nothing), so they skip elsewhere; CI runs them on PostgreSQL.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from orders import services
from orders.models import Order
from promos import services as promo_services
from promos.models import PromotionApplication, PromotionBudget, PromotionDealerUsage
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.dealers.factories import DealerFactory, SalesOrgFactory, TierFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks (run with DATABASE_URL)")


@pytest.fixture
def shop():
    org = SalesOrgFactory(code="HQ")
    category = CategoryFactory(code="TEA")
    product = ProductFactory(
        sku="TEA-1", category=category, list_price=Decimal("110.00")
    )
    tier = TierFactory(code="gold")
    return {"org": org, "product": product, "tier": tier}


def _promotion(**limits):
    data = {
        "code": "P-100",
        "name": "¥100 off one case",
        "sales_org": "HQ",
        "starts_at": "2026-01-01T00:00:00+08:00",
        "ends_at": "2030-01-01T00:00:00+08:00",
        "priority": 10,
        "condition": {"type": "quantity", "items": {"skus": ["TEA-1"]}, "min": 1},
        "reward": {"type": "amount_off", "amount": "100.00"},
        "repeat": False,
        "limits": limits,
    }
    promo_services.promotion_save(data=data)
    promo_services.promotion_submit(code="P-100")
    promo_services.promotion_approve(code="P-100")


def _race(calls):
    """Run the calls at once from THREADS threads; return results and errors."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_budget_for_seven_gives_exactly_seven(shop):
    """20 dealers order at once against a budget that fits 7 applications."""
    _promotion(budget="700.00")
    dealers = [
        DealerFactory(sales_org=shop["org"], tier=shop["tier"]) for _ in range(THREADS)
    ]
    results = _race(
        [
            (
                lambda d=d: services.order_place(
                    dealer=d, lines=[("TEA-1", 1)], idempotency_key="k"
                )
            )
            for d in dealers
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    budget = PromotionBudget.objects.get()
    assert budget.used == Decimal("700.00")
    assert budget.applications == 7
    assert PromotionApplication.objects.filter(status="active").count() == 7
    discounted = Order.objects.filter(discount_total=Decimal("100.00")).count()
    assert discounted == 7
    assert Order.objects.count() == THREADS


def test_dealer_limit_of_seven_holds(shop):
    """One dealer sends 20 orders at once; the promotion is earned 7 times at most."""
    _promotion(max_applications_per_dealer=7)
    dealer = DealerFactory(
        sales_org=shop["org"], tier=shop["tier"], credit_limit=Decimal("1000000.00")
    )
    results = _race(
        [
            (
                lambda i=i: services.order_place(
                    dealer=dealer, lines=[("TEA-1", 1)], idempotency_key=f"k{i}"
                )
            )
            for i in range(THREADS)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert PromotionDealerUsage.objects.get().times == 7
    assert Order.objects.filter(discount_total=Decimal("100.00")).count() == 7


def test_credit_limit_holds(shop):
    """Credit for 7 orders: 7 placed, the rest wait on credit hold, none over the limit."""
    dealer = DealerFactory(
        sales_org=shop["org"], tier=shop["tier"], credit_limit=Decimal("770.00")
    )
    results = _race(
        [
            (
                lambda i=i: services.order_place(
                    dealer=dealer, lines=[("TEA-1", 1)], idempotency_key=f"k{i}"
                )
            )
            for i in range(THREADS)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Order.objects.filter(status=Order.Status.PLACED).count() == 7
    assert Order.objects.filter(status=Order.Status.CREDIT_HOLD).count() == THREADS - 7


def test_double_submit_creates_one_order(shop):
    """The same idempotency key from 20 threads (double taps, retries) makes one order."""
    dealer = DealerFactory(sales_org=shop["org"], tier=shop["tier"])
    results = _race(
        [
            (
                lambda: services.order_place(
                    dealer=dealer, lines=[("TEA-1", 2)], idempotency_key="same"
                )
            )
            for _ in range(THREADS)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Order.objects.count() == 1
    assert len({r.order.number for r in results}) == 1
    assert sum(r.created for r in results) == 1


def test_shipping_while_ordering_never_frees_credit(shop):
    """A shipment turns unshipped value into a receivable: exposure is unchanged, so
    orders racing with it still see no credit left."""
    from catalog.models import Warehouse

    Warehouse.objects.create(code="SH", name="上海仓")
    dealer = DealerFactory(
        sales_org=shop["org"], tier=shop["tier"], credit_limit=Decimal("1100.00")
    )
    first = services.order_place(
        dealer=dealer, lines=[("TEA-1", 10)], idempotency_key="first"
    ).order
    calls = [
        (
            lambda: services.shipment_post(
                external_id="S1",
                order_number=first.number,
                warehouse="SH",
                lines=[("TEA-1", 10, False)],
            )
        )
    ]
    calls += [
        (
            lambda i=i: services.order_place(
                dealer=dealer, lines=[("TEA-1", 1)], idempotency_key=f"k{i}"
            )
        )
        for i in range(THREADS - 1)
    ]
    results = _race(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Order.objects.filter(status=Order.Status.CREDIT_HOLD).count() == THREADS - 1
    from orders import selectors

    balances = selectors.balances_get(dealer=dealer)
    assert balances.open_receivables == Decimal("1100.00")
    assert balances.available_credit == Decimal("0.00")
