"""Benchmark: one quote's evaluation cost against 100, 1,000 and 10,000 promotions.

Run: ``.venv/bin/python bench/engine.py`` (``--quick`` for a fast run). No Django.

A 50-line cart meets a fixed 20 promotions of mixed types (gift, percent_off
on lines and on the order, amount_off, addon, expense_credit; quantity,
amount and combo conditions; audiences and limits); every other promotion
touches SKUs and categories the cart does not hold. The index is built once per
size; each timed evaluation is ``PromotionIndex.for_cart`` + ``evaluate``. The
last column evaluates the same cart with *every* promotion passed in and no
index, to show what the index saves.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from promos.engine import (  # noqa: E402 (after the path set-up)
    Candidate,
    Cart,
    CartLine,
    DealerContext,
    GiftProduct,
    HistoryTotal,
    Item,
    PromotionIndex,
    Usage,
    evaluate,
    parse_definition,
)

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 10, 10, 0, tzinfo=CST)
SIZES = (100, 1_000, 10_000)
TOUCHING = 20
GOAL = 1.5


def item(sku: str, path: tuple[str, ...], gift_only: bool = False) -> Item:
    """A product with a Chinese and an English name."""
    return Item(sku, f"商品 {sku}", f"Product {sku}", path, "箱", "case", gift_only)


def the_cart() -> Cart:
    """50 lines over 10 categories of 2 levels."""
    lines = []
    for n in range(50):
        path = ("ALL", f"CAT-{n % 10}", f"CAT-{n % 10}-{n % 3}")
        price = Decimal(10 + n * 7) + Decimal("0.35")
        lines.append(CartLine(item(f"SKU-{n:03}", path), 3 + n % 17, price))
    return Cart(tuple(lines))


GIFTS = {
    f"GIFT-{n}": GiftProduct(
        item(f"GIFT-{n}", ("GIFTS",), True), Decimal("8.50"), n != 2
    )
    for n in range(5)
}


def reward(kind: int, touch_sku: str) -> dict:
    """One of the reward types, cycling with ``kind``."""
    rewards = [
        {
            "type": "gift",
            "options": [
                {"sku": f"GIFT-{kind % 5}", "quantity": 1},
                {"sku": "GIFT-2", "quantity": 2},
            ],
        },
        {"type": "percent_off", "percent": "3.5"},
        {"type": "amount_off", "amount": "25.00"},
        {"type": "addon", "sku": touch_sku, "price": "1.00", "quantity": 1},
        {"type": "expense_credit", "rate": "0.01"},
    ]
    return rewards[kind % len(rewards)]


def condition(kind: int, skus: list[str], categories: list[str]) -> dict:
    """A quantity, amount or combo condition over these SKUs and categories."""
    shape = kind % 3
    if shape == 0:
        return {"type": "quantity", "items": {"categories": categories}, "min": 5}
    if shape == 1:
        return {"type": "amount", "items": {"skus": skus}, "min": "300.00"}
    return {
        "type": "combo",
        "components": [
            {"items": {"skus": skus[:1]}, "min": 2},
            {"items": {"categories": categories}, "min": 3},
        ],
    }


def definition(n: int, skus: list[str], categories: list[str]) -> dict:
    """Promotion ``n`` of mixed type over ``skus`` and ``categories``."""
    audience: dict = {"sales_orgs": ["EAST"]}
    if n % 4 == 1:
        audience["tiers"] = ["gold", "silver"]
    if n % 6 == 2:
        audience["history"] = [
            {"category": categories[0], "min_amount": "5000.00", "window_days": 365}
        ]
    return {
        "code": f"P{n:05}",
        "name": f"Promotion {n}",
        "sales_org": "EAST",
        "starts_at": "2026-12-01T00:00:00+08:00",
        "ends_at": "2027-01-01T00:00:00+08:00",
        "priority": n % 7,
        "exclusive": n % 9 == 0,
        "audience": audience,
        "condition": condition(n, skus, categories),
        "reward": reward(n, skus[-1]),
        "repeat": n % 2 == 0,
        "max_applications_per_order": 3 if n % 5 == 0 else None,
        "limits": {"budget": "100000.00"},
    }


def candidates(size: int) -> list[Candidate]:
    """``TOUCHING`` promotions on the cart, the rest on other SKUs and categories."""
    found = []
    for n in range(size):
        if n < TOUCHING - 1:
            skus = [f"SKU-{(n * 3 + k) % 50:03}" for k in range(3)]
            data = definition(n, skus, [f"CAT-{n % 10}-{n % 3}"])
        elif n == TOUCHING - 1:
            data = definition(n, ["SKU-000"], ["CAT-0"])
            data["condition"] = {"type": "amount", "min": "10000.00"}
            data["reward"] = {"type": "percent_off", "percent": "2", "scope": "order"}
        else:
            skus = [f"OTHER-{n}-{k}" for k in range(3)]
            data = definition(n, skus, [f"OTHER-CAT-{n % 2000}"])
        usage = Usage(Decimal("5000.00"), 10)
        found.append(Candidate(parse_definition(data), 1, usage))
    return found


DEALER = DealerContext(
    code="D1",
    sales_org_path=("HQ", "EAST", "EAST-SH"),
    tier="gold",
    region="SH",
    customer_since=date(2019, 3, 1),
    history={
        ("category", f"CAT-{n % 10}-{n % 3}", 365): HistoryTotal(40, Decimal("9000.00"))
        for n in range(30)
    },
)


def interleaved(runs: int, jobs: list) -> list[float]:
    """Median seconds of each job over ``runs`` rounds, one run of every job a round.

    Interleaving (in a shuffled order each round) spreads background load
    evenly over the jobs, so their ratio stays honest on a busy machine; the
    garbage collector is paused while timing (as ``timeit`` does).
    """
    for job in jobs:
        job()  # warm up
    samples: list[list[int]] = [[] for _ in jobs]
    gc.collect()
    gc.disable()
    try:
        order = list(range(len(jobs)))
        shuffle = random.Random(2026).shuffle
        for _ in range(runs):
            shuffle(order)  # no job always runs first (cold) or last
            for i in order:
                start = time.perf_counter_ns()
                jobs[i]()
                samples[i].append(time.perf_counter_ns() - start)
    finally:
        gc.enable()
    return [statistics.median(s) / 1e9 for s in samples]


def main() -> None:
    """Measure each size and print the table and the 10,000 / 100 ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs, scan_runs = (60, 5) if args.quick else (600, 30)
    cart = the_cart()
    indexed, scanned, facts = [], [], []
    for size in SIZES:
        everything = candidates(size)
        index = PromotionIndex(everything)  # built once per size

        def with_index(index=index):
            found = index.for_cart(cart)
            return evaluate(
                cart=cart, dealer=DEALER, candidates=found, gifts=GIFTS, at=AT
            )

        def without_index(everything=everything):
            return evaluate(
                cart=cart, dealer=DEALER, candidates=everything, gifts=GIFTS, at=AT
            )

        quote = with_index()
        assert quote == without_index(), "the index must not change the answer"
        facts.append((size, len(index.for_cart(cart)), len(quote.applied)))
        indexed.append(with_index)
        scanned.append(without_index)
    fast = interleaved(runs, indexed)
    slow = interleaved(scan_runs, scanned)
    print(
        f"engine: 50-line cart, {TOUCHING} promotions touch it; median of {runs} "
        "interleaved runs of index lookup + evaluate"
    )
    header = ("promotions", "found", "applied", "indexed ms", "no index ms")
    print("{:>10} {:>6} {:>8} {:>11} {:>12}".format(*header))
    for (size, found, applied), f, s in zip(facts, fast, slow, strict=True):
        print(f"{size:>10,} {found:>6} {applied:>8} {f * 1e3:>11.3f} {s * 1e3:>12.3f}")
    ratio = fast[-1] / fast[0]
    verdict = "ok" if ratio <= GOAL else "OVER GOAL"
    print(f"ratio 10,000 / 100 (indexed): {ratio:.2f} (goal <= {GOAL}): {verdict}")


if __name__ == "__main__":
    main()
