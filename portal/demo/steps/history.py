"""ERP sales history with seasonality, and the dealer facts built from it."""

import math
from datetime import timedelta
from decimal import Decimal

from catalog import services as catalog_services
from catalog.models import DealerPurchase, SalesHistory
from dealers.models import Dealer
from portal.demo import data
from portal.demo.context import SeedContext
from portal.demo.helpers import BATCH, TIER_SPECS, month_start, under

HISTORY_CHUNK = 500  # dealers whose history is generated and written at once


def _dealer_history(ctx: SeedContext, dealer: Dealer, catalogue) -> list[SalesHistory]:
    """A dealer's monthly orders over the last ``ctx.months`` complete months."""
    rng = ctx.rng
    roots, products_by_root, weights_by_root = catalogue
    tier = TIER_SPECS[dealer.tier.code]
    size = tier.size * rng.lognormvariate(0, 0.5)
    preferences = [rng.random() + 0.2 for _root in roots]
    slots = rng.randint(6, 20)
    stopped_before = rng.randint(1, 6)  # inactive dealers stopped ordering
    if dealer.code == data.DEMO_DEALER:
        preferences[roots.index("TEA")] = 3.0
    assortment, seen = [], set()
    for _slot in range(slots):
        root = rng.choices(roots, preferences)[0]
        sellable = rng.choices(
            products_by_root[root], cum_weights=weights_by_root[root]
        )[0]
        if sellable.sku not in seen:
            seen.add(sellable.sku)
            assortment.append(sellable)
    tenure_days = (ctx.today - dealer.customer_since).days
    rows = []
    for months_back in range(ctx.months, 0, -1):
        ordered = rng.random() < tier.active_months
        lines = rng.randint(1, tier.max_lines)
        # Date-free rules, so the draws never depend on today: a month counts only
        # when it lies wholly after the dealer became a customer.
        if not ordered or tenure_days < 31 * (months_back + 1):
            continue
        if not dealer.active and months_back < stopped_before:
            continue
        month = month_start(ctx.today, months_back)
        for _line in range(lines):
            sellable = rng.choice(assortment)
            day = rng.randint(0, 27)
            jitter = rng.uniform(0.5, 1.5)
            season = data.SEASONALITY[sellable.root][month.month - 1]
            quantity = max(1, round(sellable.quantity * size * season * jitter))
            rows.append(
                SalesHistory(
                    dealer_id=dealer.pk,
                    product_id=sellable.product_id,
                    quantity=quantity,
                    amount=sellable.prices[dealer.tier.code] * quantity,
                    date=month + timedelta(days=day),
                    source=SalesHistory.Source.ERP,
                )
            )
    if dealer.code == data.DEMO_DEALER:
        rows += _demo_top_up(ctx, dealer, rows)
    rows.sort(key=lambda row: row.date)  # ERP numbers follow the dates
    for number, row in enumerate(rows, start=1):
        row.external_id = f"H-{dealer.code}-{number}"
    return rows


def _demo_top_up(ctx: SeedContext, dealer: Dealer, rows) -> list[SalesHistory]:
    """One more order if needed, so the demo dealer has bought enough of category C in
    the last 365 days for the seed promotion example."""
    in_category = [s for s in ctx.sellables if under(s.category, data.DEMO_CATEGORY)]
    by_id = {s.product_id: s for s in in_category}
    window_start = month_start(ctx.today, 11)  # eleven whole months fit in 365 days
    bought = sum(
        (r.amount for r in rows if r.product_id in by_id and r.date >= window_start),
        Decimal("0.00"),
    )
    missing = data.DEMO_CATEGORY_TARGET - bought
    if missing <= 0:
        return []
    sellable = max(in_category, key=lambda s: (s.prices[dealer.tier.code], s.sku))
    price = sellable.prices[dealer.tier.code]
    quantity = math.ceil(missing / price)
    return [
        SalesHistory(
            dealer_id=dealer.pk,
            product_id=sellable.product_id,
            quantity=quantity,
            amount=price * quantity,
            date=month_start(ctx.today, 1) + timedelta(days=14),
            source=SalesHistory.Source.ERP,
        )
    ]


def seed_history(ctx: SeedContext) -> None:
    """ERP sales history for the last complete months, then the dealer facts."""
    rng = ctx.rng
    roots = [c.code for c in data.CATEGORIES if c.parent is None and c.code != "GIFT"]
    products_by_root, weights_by_root = {}, {}
    for root in roots:
        # New launches have no history yet.
        candidates = [
            s
            for s in ctx.sellables
            if s.root == root and not under(s.category, data.NEW_LAUNCH_CATEGORY)
        ]
        rng.shuffle(candidates)  # popularity rank
        cumulative, total = [], 0.0
        for rank in range(len(candidates)):
            total += 1 / (rank + 1) ** 0.7
            cumulative.append(total)
        products_by_root[root], weights_by_root[root] = candidates, cumulative
    catalogue = (roots, products_by_root, weights_by_root)

    history_rows = 0
    with ctx.bar(total=len(ctx.dealer_list), desc="history", unit="dealer") as bar:
        for start in range(0, len(ctx.dealer_list), HISTORY_CHUNK):
            chunk = ctx.dealer_list[start : start + HISTORY_CHUNK]
            rows = [row for d in chunk for row in _dealer_history(ctx, d, catalogue)]
            SalesHistory.objects.bulk_create(rows, batch_size=BATCH)
            history_rows += len(rows)
            bar.update(len(chunk))
    # The facts table is empty: the database builds it in two statements, far faster
    # than folding half a million rows through Python.
    catalog_services.dealer_facts_rebuild_in_database()
    fact_rows = DealerPurchase.objects.count()
    ctx.count("sales history rows", history_rows)
    ctx.count("dealer purchase facts", fact_rows)


def flush_history() -> None:
    DealerPurchase.objects.all().delete()
    SalesHistory.objects.all().delete()
