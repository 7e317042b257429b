"""The replay: every cart of the period through one engine index, figures per promotion."""

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

from django.utils import timezone

from catalog.models import SalesHistory
from dealers.models import Dealer
from promos import engine, selectors
from promos.backtest.catalogue import catalogue, gift_products, org_code_paths
from promos.backtest.competitors import competitors as find_competitors
from promos.backtest.history import DealerHistory
from promos.engine.audience import audience_failures
from promos.models import PromotionVersion

CHUNK = 500  # dealers whose carts are read, evaluated and counted at once
ZERO = Decimal("0.00")
NOON = clock(12, 0)

Progress = Callable[[int, int], None]


@dataclasses.dataclass
class Figures:
    """What one promotion earned over the replay (mutable, summed cart by cart)."""

    qualifying: set[int] = dataclasses.field(default_factory=set)
    reached: set[int] = dataclasses.field(default_factory=set)
    carts: int = 0
    orders: int = 0
    applications: int = 0
    gift_units: int = 0
    gifts: dict[str, int] = dataclasses.field(default_factory=dict)
    gift_cost: Decimal = ZERO
    discount: Decimal = ZERO
    expense_credit: Decimal = ZERO

    @property
    def cost(self) -> Decimal:
        return self.discount + self.gift_cost + self.expense_credit

    def to_dict(self, rule: engine.Rule, version: int, role: str) -> dict[str, Any]:
        budget = rule.limits.budget
        return {
            "code": rule.code,
            "name": rule.name,
            "version": version,
            "role": role,
            "type": rule.reward.type,
            "priority": rule.priority,
            "exclusive": rule.exclusive,
            "order_scope": rule.is_order_scope,
            "starts_at": rule.starts_at.isoformat(),
            "ends_at": rule.ends_at.isoformat(),
            "qualifying_dealers": len(self.qualifying),
            "dealers_reached": len(self.reached),
            "carts": self.carts,
            "orders": self.orders,
            "applications": self.applications,
            "gift_units": self.gift_units,
            "gifts": dict(sorted(self.gifts.items())),
            "gift_cost": f"{self.gift_cost:.2f}",
            "discount": f"{self.discount:.2f}",
            "expense_credit": f"{self.expense_credit:.2f}",
            "cost": f"{self.cost:.2f}",
            "budget": None if budget is None else f"{budget:.2f}",
            "within_budget": None if budget is None else self.cost <= budget,
            "max_applications_per_dealer": rule.limits.max_applications_per_dealer,
        }


def replay(
    *,
    version: PromotionVersion,
    first: date,
    last: date,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Replay the carts of ``first``…``last`` (local dates, inclusive) with the draft
    ``version`` live and its competitors; return the figures (JSON-ready).

    Reads in bulk: the catalogue, the orgs, the dealers of the owner's subtree and the
    cart keys once, then per chunk of dealers their sales history, facts and raw
    history. ``progress(done, total)`` is called after each chunk (counted in carts).
    """
    started = time.perf_counter()
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, clock.min, zone)
    end = datetime.combine(last + timedelta(days=1), clock.min, zone)
    promotion = version.promotion
    owner = promotion.sales_org
    catalog, category_index = catalogue()
    org_codes, org_paths = org_code_paths()
    category_paths = {path[-1]: path for path in category_index.paths.values() if path}

    defined = selectors.rule_of(version)
    draft = dataclasses.replace(defined, starts_at=start, ends_at=end)
    competitors, direct = find_competitors(
        version=version,
        draft=draft,
        start=start,
        end=end,
        owner_path=owner.path,
        org_paths=org_paths,
        sku_paths=catalog.sku_paths,
        category_paths=category_paths,
    )
    candidates = [engine.Candidate(rule=draft, version=version.number)] + [
        engine.Candidate(rule=rule, version=v.number) for v, rule in competitors
    ]
    index = engine.PromotionIndex(candidates)
    rules = {c.rule.code: c.rule for c in candidates}
    reported = [draft.code] + [
        rule.code
        for _v, rule in sorted(
            competitors,
            key=lambda pair: (-pair[1].priority, pair[1].starts_at, pair[1].code),
        )
        if rule.code in direct
    ]
    limits = {
        code: rule.limits.max_applications_per_dealer
        for code, rule in rules.items()
        if rule.limits.max_applications_per_dealer is not None
    }
    requirements = engine.history_keys(candidates)
    gifts = gift_products(rules.values(), catalog)
    figures = {code: Figures() for code in rules}

    dealers = {
        pk: (code, org_id, tier, region, since)
        for pk, code, org_id, tier, region, since in Dealer.objects.filter(
            sales_org__path__startswith=owner.path
        )
        .order_by()
        .values_list(
            "pk", "code", "sales_org_id", "tier__code", "region__code", "customer_since"
        )
    }
    cart_keys = set(
        SalesHistory.objects.filter(
            dealer__sales_org__path__startswith=owner.path, date__range=(first, last)
        )
        .order_by()
        .values_list("dealer_id", "date")
        .distinct()
    )
    total = len(cart_keys)
    ordering = sorted({dealer_id for dealer_id, _day in cart_keys})
    del cart_keys
    if progress is not None:
        progress(0, total)

    done = replayed = skipped = lines_count = lines_skipped = 0
    noons: dict[date, datetime] = {}
    names = category_index.names
    for offset in range(0, len(ordering), CHUNK):
        chunk = ordering[offset : offset + CHUNK]
        carts: dict[tuple[int, date], dict[int, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        rows = (
            SalesHistory.objects.filter(dealer_id__in=chunk, date__range=(first, last))
            .order_by()
            .values_list("dealer_id", "date", "product_id", "quantity")
        )
        for dealer_id, day, product_id, quantity in rows.iterator(chunk_size=5000):
            carts[(dealer_id, day)][product_id] += quantity
        history = DealerHistory(
            dealer_ids=chunk,
            requirements=requirements,
            first=first,
            last=last,
            product_keys=catalog.keys,
        )
        used: dict[tuple[int, str], int] = defaultdict(int)
        for (dealer_id, day), quantities in sorted(carts.items()):
            done += 1
            dealer_code, org_id, tier, region, since = dealers[dealer_id]
            lines = []
            for product_id, quantity in quantities.items():
                if quantity <= 0 or product_id not in catalog.sellable:
                    lines_skipped += 1
                    continue
                price = catalog.tier_prices.get(
                    (tier, product_id), catalog.list_prices[product_id]
                )
                lines.append(
                    engine.CartLine(catalog.items[product_id], quantity, price)
                )
            if not lines:
                skipped += 1
                continue
            replayed += 1
            lines_count += len(lines)
            lines.sort(key=lambda line: line.item.sku)
            cart = engine.Cart(tuple(lines))
            at = noons.get(day)
            if at is None:
                at = noons[day] = datetime.combine(day, NOON, zone)
            found = [c for c in index.for_cart(cart) if c.rule.in_window(at)]
            unqualified = [
                code
                for code in reported
                if dealer_id not in figures[code].qualifying
                and rules[code].in_window(at)
            ]
            if not found and not unqualified:
                continue
            context = engine.DealerContext(
                code=dealer_code,
                sales_org_path=org_codes[org_id],
                tier=tier,
                region=region,
                customer_since=since,
                history=history.totals(dealer_id, day),
            )
            for promo in unqualified:
                if not audience_failures(rules[promo].audience, context, day):
                    figures[promo].qualifying.add(dealer_id)
            if not found:
                continue
            run_candidates = []
            for candidate in found:
                figures[candidate.rule.code].carts += 1
                most = limits.get(candidate.rule.code)
                if most is not None:
                    left = max(most - used[(dealer_id, candidate.rule.code)], 0)
                    candidate = dataclasses.replace(
                        candidate, usage=engine.Usage(dealer_times_remaining=left)
                    )
                run_candidates.append(candidate)
            quote = engine.evaluate(
                cart=cart,
                dealer=context,
                candidates=run_candidates,
                gifts=gifts,
                at=at,
                names=names,
            )
            for applied in quote.applied:
                tally = figures[applied.promotion]
                tally.reached.add(dealer_id)
                tally.orders += 1
                tally.applications += applied.times
                tally.discount += applied.discount
                tally.gift_cost += applied.gift_cost
                tally.expense_credit += applied.expense_credit
                used[(dealer_id, applied.promotion)] += applied.times
            for gift in quote.gifts:
                if gift.quantity > 0:
                    tally = figures[gift.promotion]
                    tally.gift_units += gift.quantity
                    tally.gifts[gift.sku] = tally.gifts.get(gift.sku, 0) + gift.quantity
        if progress is not None:
            progress(done, total)

    versions = {rule.code: v.number for v, rule in competitors}
    versions[draft.code] = version.number
    rules[draft.code] = defined  # report the draft's own window, not the replay's
    return {
        "period": {"first": first.isoformat(), "last": last.isoformat()},
        "scope_org": owner.code,
        "carts": done,
        "carts_replayed": replayed,
        "carts_skipped": skipped,
        "dealers": len(ordering),
        "lines": lines_count,
        "lines_skipped": lines_skipped,
        "history_requirements": [list(key) for key in sorted(requirements)],
        "promotions": [
            figures[code].to_dict(
                rules[code],
                versions[code],
                "draft" if code == draft.code else "competitor",
            )
            for code in reported
        ],
        "also_evaluated": sorted(set(rules) - set(reported)),
        "seconds": round(time.perf_counter() - started, 2),
    }
