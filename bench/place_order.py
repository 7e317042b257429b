"""Orders per second through orders.services.order_place on PostgreSQL.

Eight client processes place orders at once, first for a product no promotion
touches (uncontended), then for one a shared, budgeted promotion rewards (every
placement charges the same budget row). Goal: contended ≥ 70 % of uncontended.
Also prints the queries one placement makes.

    .venv/bin/python bench/place_order.py [--clients 8] [--orders 60]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_place_order]
"""

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)


def _recreate_database(database_url: str) -> None:
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        check=True,
        env=env,
    )


def _world(clients: int) -> None:
    from decimal import Decimal

    from catalog import services as catalog_services
    from dealers import services as dealer_services
    from promos import services as promo_services

    dealer_services.sales_org_upsert(code="HQ", name="总部", parent=None)
    catalog_services.category_upsert(code="TEA", name="茶", parent=None)
    for sku in ("PLAIN-1", "PROMO-1"):
        catalog_services.product_upsert(
            sku=sku, name=sku, category="TEA", unit="case", price=Decimal("100.00")
        )
    import datetime

    for i in range(clients):
        dealer_services.dealer_upsert(
            code=f"B{i:03d}",
            name=f"Bench {i}",
            sales_org="HQ",
            tier="gold",
            region="east",
            customer_since=datetime.date(2018, 1, 1),
            credit_limit=Decimal("100000000.00"),
        )
    promo_services.promotion_save(
        data={
            "code": "SHARED",
            "name": "Shared budget",
            "sales_org": "HQ",
            "starts_at": "2020-01-01T00:00:00+08:00",
            "ends_at": "2035-01-01T00:00:00+08:00",
            "condition": {"type": "quantity", "items": {"skus": ["PROMO-1"]}, "min": 1},
            "reward": {"type": "amount_off", "amount": "1.00"},
            "repeat": True,
            "limits": {"budget": "100000000.00"},
        }
    )
    promo_services.promotion_submit(code="SHARED")
    promo_services.promotion_approve(code="SHARED")


def _client(database_url, index, sku, orders, run, barrier, results) -> None:
    _setup(database_url)
    from dealers.models import Dealer
    from orders import services

    dealer = Dealer.objects.select_related("tier", "region", "sales_org").get(
        code=f"B{index:03d}"
    )
    services.order_place(
        dealer=dealer, lines=[(sku, 1)], idempotency_key=f"{run}-{index}-warm"
    )
    barrier.wait()  # every process imported, connected and warm before the clock starts
    started = time.perf_counter()
    for n in range(orders):
        services.order_place(
            dealer=dealer, lines=[(sku, 1)], idempotency_key=f"{run}-{index}-{n}"
        )
    results.put((started, time.perf_counter(), orders))


def _run(database_url: str, clients: int, orders: int, sku: str, run: str) -> float:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(clients), context.Queue()
    processes = [
        context.Process(
            target=_client, args=(database_url, i, sku, orders, run, barrier, results)
        )
        for i in range(clients)
    ]
    for process in processes:
        process.start()
    spans = [results.get() for _ in processes]
    for process in processes:
        process.join()
    placed = sum(n for _start, _end, n in spans)
    return placed / (
        max(end for _s, end, _n in spans) - min(start for start, _e, _n in spans)
    )


def _queries_per_placement(sku: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dealers.models import Dealer
    from orders import services

    dealer = Dealer.objects.select_related("tier", "region", "sales_org").get(
        code="B000"
    )
    services.order_place(dealer=dealer, lines=[(sku, 1)], idempotency_key=f"warm-{sku}")
    with CaptureQueriesContext(connection) as ctx:
        services.order_place(
            dealer=dealer, lines=[(sku, 1)], idempotency_key=f"count-{sku}"
        )
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--orders", type=int, default=60, help="orders per client per scenario"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_place_order"
        ),
    )
    args = parser.parse_args()
    print(f"Preparing {args.database_url} …", flush=True)
    _recreate_database(args.database_url)
    _setup(args.database_url)
    _world(args.clients)
    plain_q = _queries_per_placement("PLAIN-1")
    promo_q = _queries_per_placement("PROMO-1")
    from django.db import connections

    connections.close_all()
    results = {}
    for label, sku in (
        ("uncontended (no promotion)", "PLAIN-1"),
        ("contended (shared budget)", "PROMO-1"),
    ):
        results[label] = _run(
            args.database_url, args.clients, args.orders, sku, label[:5]
        )
    base = results["uncontended (no promotion)"]
    print(f"\n{args.clients} clients × {args.orders} orders each, PostgreSQL")
    print(f"{'scenario':32} {'orders/s':>9} {'vs uncontended':>15}")
    for label, rate in results.items():
        print(f"{label:32} {rate:9.1f} {rate / base:14.0%}")
    print(
        f"\nqueries per placement: {plain_q} without a promotion, {promo_q} with the budgeted one"
    )
    ratio = results["contended (shared budget)"] / base
    print(
        f"goal contended ≥ 70 % of uncontended: {'met' if ratio >= 0.7 else 'NOT met'} ({ratio:.0%})"
    )


if __name__ == "__main__":
    main()
