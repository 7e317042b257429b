"""Benchmark: back-test a draft promotion over 90 days of the large demo data.

    .venv/bin/python bench/backtest.py                                  # seeds a temp SQLite file
    .venv/bin/python bench/backtest.py --database /tmp/demo.sqlite3     # reuse (or seed) that file
    .venv/bin/python bench/backtest.py --database-url postgres://postgres@127.0.0.1:5432/btbench

Seeds the large demo data the way ``bench/seed_demo.py`` does (10,000 dealers, 2,000
products, 24 months of sales history; ~1–5 minutes) unless the database already has
dealers, migrates it, saves a draft that touches the most popular categories (tea and
drinks, with a tenure and a 365-day history audience, so dealer history is read too),
then times ``promos.services.backtest_start`` → task → ``promos.backtest.backtest_run``
over the last 90 days, run inline (the immediate task backend). Prints the seconds,
carts replayed, carts/s and PASS/FAIL against the 60 s goal. ``--profile`` adds the
top functions by cumulative time.
"""

import argparse
import cProfile
import datetime
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 60.0
CODE = "BENCH-BACKTEST"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def manage(arguments: list[str], env: dict[str, str]) -> None:
    """Run manage.py in a child process; stop on failure."""
    child = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=False
    )
    if child.returncode:
        sys.exit(f"manage.py {arguments[0]} failed with exit code {child.returncode}")


def draft_definition(now) -> dict:
    """A gift for every 20 units of tea or drinks, for dealers of 1+ year who bought
    ¥5,000 of tea in the last 365 days; HQ-owned, so every dealer is replayed."""
    return {
        "code": CODE,
        "name": "Bench back-test draft",
        "sales_org": "HQ",
        "starts_at": (now + datetime.timedelta(days=7)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=60)).isoformat(),
        "priority": 40,
        "exclusive": False,
        "audience": {
            "min_tenure_years": 1,
            "history": [
                {"category": "TEA", "min_amount": "5000.00", "window_days": 365}
            ],
        },
        "condition": {
            "type": "quantity",
            "items": {"categories": ["TEA", "DRINK"]},
            "min": 20,
        },
        "reward": {
            "type": "gift",
            "options": [
                {"sku": "GIFT-CUP", "quantity": 1},
                {"sku": "GIFT-BAG", "quantity": 2},
            ],
        },
        "repeat": True,
        "max_applications_per_order": 10,
        "limits": {"budget": "200000.00", "max_applications_per_dealer": 30},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="", help="SQLite file to reuse or seed")
    parser.add_argument("--database-url", default="", help="a database URL to reuse")
    parser.add_argument("--dealers", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    workdir = None
    if args.database_url:
        url = args.database_url
    else:
        if args.database:
            path = Path(args.database).resolve()
        else:
            workdir = tempfile.TemporaryDirectory(prefix="backtest-bench-")
            path = Path(workdir.name) / "bench.sqlite3"
        url = f"sqlite:///{path}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    print(f"database: {url}", flush=True)
    manage(["migrate", "--no-input", "--skip-checks", "-v", "0"], env)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from dealers.models import Dealer

    if not Dealer.objects.exists():
        print(
            f"seeding {args.dealers:,} dealers, {args.products:,} products, "
            f"{args.months} months (takes minutes)…",
            flush=True,
        )
        started = time.perf_counter()
        manage(
            [
                "seed_demo",
                "--skip-checks",
                "--no-progress",
                f"--dealers={args.dealers}",
                f"--products={args.products}",
                f"--months={args.months}",
            ],
            env,
        )
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)

    from promos import services
    from promos.models import BacktestRun

    saved = services.promotion_save(data=draft_definition(timezone.now()), by=None)
    dealers = Dealer.objects.count()

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    # The task runs inline (the immediate backend, as in the tests): the time is the
    # worker's work from enqueue to the stored figures.
    with override_settings(TASKS=IMMEDIATE, DEBUG=False), transaction.atomic():
        run = services.backtest_start(user=None, version=saved.version, days=args.days)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    run = BacktestRun.objects.get(pk=run.pk)
    if run.status != BacktestRun.Status.DONE:
        sys.exit(f"back-test ended {run.status}: {run.error}")
    result = run.result
    carts = result["carts_replayed"]
    print()
    print(
        f"back-test of {CODE} over {args.days} days "
        f"({result['period']['first']} … {result['period']['last']}), "
        f"{dealers:,} dealers in the database"
    )
    print(f"  carts replayed   {carts:>10,}  ({result['dealers']:,} dealers)")
    print(f"  lines            {result['lines']:>10,}")
    print(f"  promotions       {len(result['promotions']):>10}  (draft + competitors)")
    print(f"  seconds          {seconds:>10.1f}")
    print(f"  carts/s          {carts / seconds:>10,.0f}")
    for figures in result["promotions"]:
        print(
            f"    {figures['code']:<16} {figures['role']:<10} "
            f"qualifying {figures['qualifying_dealers']:>6,}  "
            f"reached {figures['dealers_reached']:>6,}  "
            f"applications {figures['applications']:>7,}  cost ¥{figures['cost']}"
        )
    verdict = "PASS" if seconds < GOAL else "FAIL"
    print(f"{verdict}: {seconds:.1f} s for {args.days} days (goal < {GOAL:.0f} s)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    if workdir is not None:
        workdir.cleanup()
    if verdict == "FAIL":
        sys.exit(1)


if __name__ == "__main__":
    main()
