"""Gift status per promotion and the abuse guard, read from the order ledgers.

Gift status (per promotion, per gift SKU, from the gift lines the promotion's
versions wrote): ordered at placement, entitled now (ordered − cancelled −
short-closed), shipped, owed (due, waiting for stock), clawed back (entitlement
withdrawn by a cancellation or short-close), gift debt outstanding (shipped beyond
what the order still earns, not yet offset) and settled (later gifts offset against a
debt). Values are at the gift product's cost, else its list price.

Abuse guard, over the ``LOOKBACK_DAYS`` (180) days before now, by order placement:

1. ``cancelled_gifts``: orders whose gift lines were earned at placement and then
   lost units to a cancellation or short-close (gift ``cancelled_quantity`` or
   ``short_closed_quantity`` above 0). Listed with the gift units and value withdrawn
   and the goods value cancelled (units × unit price). Flagged from
   ``CANCELLED_MIN_ORDERS`` (2) such orders.
2. ``gift_debt``: gift lines with an outstanding ``debt_quantity`` (whenever placed):
   gifts shipped beyond what the order still earns and not yet settled. Any flags.
3. ``gift_share``: gift value / ordered value of the dealer, where gift value = (gift
   units still due + units owed back as debt) × unit cost and ordered value = the goods
   lines' current amount (cancelled units no longer count). Peers: dealers of the same
   tier in the same region with orders in the window. Flagged when the dealer has at
   least ``MIN_ORDERS`` (3) orders, at least ``MIN_PEERS`` (3) peers have a share,
   and the share is above ``GIFT_SHARE_FACTOR`` (3) × the peers' median and above
   ``GIFT_SHARE_FLOOR`` (5 %).
4. ``threshold_split``: orders split around a threshold. An order is *at the
   threshold* of a promotion it earned when, for every component of the condition,
   the matched measure (units, or gross amount for amount conditions, of the
   order's goods lines as ordered) is at most ``THRESHOLD_MARGIN`` (10 %) above the
   minimum for the times it earned (``times × min``; 1 × min when not repeatable).
   Flagged when ``THRESHOLD_MIN_ORDERS`` (3) or more of the dealer's at-threshold
   orders for one promotion follow each other with at most ``THRESHOLD_GAP`` (2 days)
   between consecutive placements. Merging (one order just over a threshold made of
   what would have been two) is not told apart from a normal order and not flagged.

Queries are bounded: ``abuse_facts`` reads a fixed number of queries for any number of
dealers.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from catalog import selectors as catalog_selectors
from common.fields import ZERO
from dealers.models import Dealer, SalesOrg
from orders.models import Order, OrderLine
from promos import engine
from promos import selectors as promo_selectors
from promos.models import Promotion, PromotionApplication

LOOKBACK_DAYS = 180
CANCELLED_MIN_ORDERS = 2
MIN_ORDERS = 3
MIN_PEERS = 3
GIFT_SHARE_FACTOR = Decimal("3")
GIFT_SHARE_FLOOR = Decimal("0.05")
THRESHOLD_MARGIN = Decimal("0.10")
THRESHOLD_GAP = datetime.timedelta(days=2)
THRESHOLD_MIN_ORDERS = 3
SHARE_PLACES = Decimal("0.0001")

CANCELLED_GIFTS = "cancelled_gifts"
GIFT_DEBT = "gift_debt"
GIFT_SHARE = "gift_share"
THRESHOLD_SPLIT = "threshold_split"
FLAGS = (CANCELLED_GIFTS, GIFT_DEBT, GIFT_SHARE, THRESHOLD_SPLIT)


def _unit_cost(cost: Decimal | None, list_price: Decimal) -> Decimal:
    return cost if cost is not None else list_price


def _share(gift: Decimal, ordered: Decimal) -> Decimal | None:
    if ordered <= 0:
        return None
    return (gift / ordered).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


# --- Gift status per promotion -------------------------------------------------------------


@dataclass
class GiftRow:
    """One gift SKU of a promotion: units and values at cost."""

    sku: str
    name: str
    name_en: str
    unit_cost: Decimal
    ordered: int = 0
    entitled: int = 0
    shipped: int = 0
    owed: int = 0
    clawed_back: int = 0
    debt: int = 0
    settled: int = 0

    def value(self, units: int) -> Decimal:
        return self.unit_cost * units

    @property
    def shipped_value(self) -> Decimal:
        return self.value(self.shipped)

    @property
    def owed_value(self) -> Decimal:
        return self.value(self.owed)

    @property
    def clawed_back_value(self) -> Decimal:
        return self.value(self.clawed_back)

    @property
    def debt_value(self) -> Decimal:
        return self.value(self.debt)


@dataclass
class GiftStatus:
    rows: list[GiftRow] = field(default_factory=list)

    def _total(self, name: str):
        return sum((getattr(r, name) for r in self.rows), 0)

    @property
    def shipped(self) -> int:
        return self._total("shipped")

    @property
    def owed(self) -> int:
        return self._total("owed")

    @property
    def clawed_back(self) -> int:
        return self._total("clawed_back")

    @property
    def debt(self) -> int:
        return self._total("debt")

    @property
    def shipped_value(self) -> Decimal:
        return sum((r.shipped_value for r in self.rows), ZERO)

    @property
    def owed_value(self) -> Decimal:
        return sum((r.owed_value for r in self.rows), ZERO)

    @property
    def clawed_back_value(self) -> Decimal:
        return sum((r.clawed_back_value for r in self.rows), ZERO)

    @property
    def debt_value(self) -> Decimal:
        return sum((r.debt_value for r in self.rows), ZERO)


def promotion_gift_status(*, promotion: Promotion) -> GiftStatus:
    """Gifts of one promotion by SKU: shipped, owed, clawed back, debt (one query)."""
    rows = (
        OrderLine.objects.filter(is_gift=True, gift_version__promotion=promotion)
        .values(
            "sku",
            "product__name",
            "product__name_en",
            "product__cost",
            "product__list_price",
        )
        .annotate(
            ordered=Sum("quantity"),
            cancelled=Sum("cancelled_quantity"),
            short_closed=Sum("short_closed_quantity"),
            shipped=Sum("shipped_quantity"),
            owed=Sum("owed_quantity"),
            debt=Sum("debt_quantity"),
            settled=Sum("settled_quantity"),
        )
        .order_by("sku")
    )
    status = GiftStatus()
    for row in rows:
        clawed = row["cancelled"] + row["short_closed"]
        status.rows.append(
            GiftRow(
                sku=row["sku"],
                name=row["product__name"],
                name_en=row["product__name_en"] or row["product__name"],
                unit_cost=_unit_cost(row["product__cost"], row["product__list_price"]),
                ordered=row["ordered"],
                entitled=row["ordered"] - clawed,
                shipped=row["shipped"],
                owed=row["owed"],
                clawed_back=clawed,
                debt=row["debt"],
                settled=row["settled"],
            )
        )
    return status


# --- Abuse guard ---------------------------------------------------------------------------


@dataclass
class CancelledGiftOrder:
    """An order that earned gifts and then lost some to a cancellation or short-close."""

    number: str
    placed_at: datetime.datetime
    status: str
    promotions: set[str] = field(default_factory=set)
    gift_units: int = 0
    gift_value: Decimal = ZERO
    goods_value: Decimal = ZERO


@dataclass(frozen=True)
class GiftDebt:
    """Gifts shipped beyond what an order still earns, not yet offset."""

    number: str
    sku: str
    promotion: str
    units: int
    value: Decimal


@dataclass(frozen=True)
class GiftShare:
    """The dealer's gift value against ordered value, and its peers' median."""

    gift_value: Decimal
    ordered_value: Decimal
    orders: int
    share: Decimal | None
    peer_median: Decimal | None
    peers: int
    flagged: bool


@dataclass(frozen=True)
class ThresholdOrder:
    number: str
    placed_at: datetime.datetime
    measures: tuple[Decimal, ...]
    minimums: tuple[Decimal, ...]


@dataclass(frozen=True)
class ThresholdCluster:
    """Orders of one dealer, each just over a promotion's threshold, close together."""

    promotion: str
    orders: tuple[ThresholdOrder, ...]


@dataclass
class DealerAbuse:
    """What the abuse guard found for one dealer."""

    dealer: Dealer
    cancelled: list[CancelledGiftOrder] = field(default_factory=list)
    debts: list[GiftDebt] = field(default_factory=list)
    share: GiftShare | None = None
    clusters: list[ThresholdCluster] = field(default_factory=list)

    @property
    def cancelled_value(self) -> Decimal:
        return sum((o.goods_value for o in self.cancelled), ZERO)

    @property
    def cancelled_gift_value(self) -> Decimal:
        return sum((o.gift_value for o in self.cancelled), ZERO)

    @property
    def debt_units(self) -> int:
        return sum(d.units for d in self.debts)

    @property
    def debt_value(self) -> Decimal:
        return sum((d.value for d in self.debts), ZERO)

    @property
    def flags(self) -> list[str]:
        found = []
        if len(self.cancelled) >= CANCELLED_MIN_ORDERS:
            found.append(CANCELLED_GIFTS)
        if self.debts:
            found.append(GIFT_DEBT)
        if self.share is not None and self.share.flagged:
            found.append(GIFT_SHARE)
        if self.clusters:
            found.append(THRESHOLD_SPLIT)
        return found


def _cancelled(facts, dealer_ids, promotion, since) -> None:
    lines = OrderLine.objects.filter(
        Q(cancelled_quantity__gt=0) | Q(short_closed_quantity__gt=0),
        is_gift=True,
        order__dealer_id__in=dealer_ids,
        order__placed_at__gte=since,
    )
    if promotion is not None:
        lines = lines.filter(gift_version__promotion=promotion)
    orders: dict[int, CancelledGiftOrder] = {}
    owners: dict[int, int] = {}
    for row in lines.values(
        "order_id",
        "order__number",
        "order__placed_at",
        "order__status",
        "order__dealer_id",
        "cancelled_quantity",
        "short_closed_quantity",
        "product__cost",
        "product__list_price",
        "gift_version__promotion__code",
    ).order_by("order__placed_at", "order_id"):
        item = orders.setdefault(
            row["order_id"],
            CancelledGiftOrder(
                number=row["order__number"],
                placed_at=row["order__placed_at"],
                status=row["order__status"],
            ),
        )
        owners[row["order_id"]] = row["order__dealer_id"]
        units = row["cancelled_quantity"] + row["short_closed_quantity"]
        item.gift_units += units
        item.gift_value += units * _unit_cost(
            row["product__cost"], row["product__list_price"]
        )
        if row["gift_version__promotion__code"]:
            item.promotions.add(row["gift_version__promotion__code"])
    if not orders:
        return
    for order_id, cancelled, short_closed, unit_price in OrderLine.objects.filter(
        order_id__in=list(orders), is_gift=False
    ).values_list(
        "order_id", "cancelled_quantity", "short_closed_quantity", "unit_price"
    ):
        orders[order_id].goods_value += (cancelled + short_closed) * unit_price
    for order_id, item in orders.items():
        facts[owners[order_id]].cancelled.append(item)


def _debts(facts, dealer_ids, promotion) -> None:
    lines = OrderLine.objects.filter(
        is_gift=True, debt_quantity__gt=0, order__dealer_id__in=dealer_ids
    )
    if promotion is not None:
        lines = lines.filter(gift_version__promotion=promotion)
    for row in lines.values(
        "order__dealer_id",
        "order__number",
        "sku",
        "debt_quantity",
        "product__cost",
        "product__list_price",
        "gift_version__promotion__code",
    ).order_by("order__placed_at", "pk"):
        facts[row["order__dealer_id"]].debts.append(
            GiftDebt(
                number=row["order__number"],
                sku=row["sku"],
                promotion=row["gift_version__promotion__code"] or "",
                units=row["debt_quantity"],
                value=row["debt_quantity"]
                * _unit_cost(row["product__cost"], row["product__list_price"]),
            )
        )


def _shares(facts, dealers: list[Dealer], since) -> None:
    """Gift share of every dealer in the target dealers' (tier, region) groups."""
    groups = {(d.tier_id, d.region_id) for d in dealers}
    if not groups:
        return
    condition = Q(pk__in=[])
    for tier_id, region_id in groups:
        condition |= Q(
            order__dealer__tier_id=tier_id, order__dealer__region_id=region_id
        )
    lines = OrderLine.objects.filter(condition, order__placed_at__gte=since)
    ordered: dict[int, tuple[tuple[int, int], Decimal, int]] = {}
    for row in (
        lines.filter(is_gift=False)
        .values(
            "order__dealer_id", "order__dealer__tier_id", "order__dealer__region_id"
        )
        .annotate(
            value=Sum("amount", default=ZERO), orders=Count("order", distinct=True)
        )
        .order_by()
    ):
        ordered[row["order__dealer_id"]] = (
            (row["order__dealer__tier_id"], row["order__dealer__region_id"]),
            row["value"],
            row["orders"],
        )
    gifts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        lines.filter(is_gift=True)
        .values("order__dealer_id", "product__cost", "product__list_price")
        .annotate(
            units=Sum(
                F("quantity")
                - F("cancelled_quantity")
                - F("short_closed_quantity")
                + F("debt_quantity")
            )
        )
        .order_by()
    ):
        gifts[row["order__dealer_id"]] += row["units"] * _unit_cost(
            row["product__cost"], row["product__list_price"]
        )
    by_group: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for dealer_id, (group, value, _orders) in ordered.items():
        share = _share(gifts.get(dealer_id, ZERO), value)
        if share is not None:
            by_group[group][dealer_id] = share
    for dealer in dealers:
        group, value, orders = ordered.get(
            dealer.pk, ((dealer.tier_id, dealer.region_id), ZERO, 0)
        )
        gift_value = gifts.get(dealer.pk, ZERO)
        share = _share(gift_value, value)
        peers = [s for d, s in by_group.get(group, {}).items() if d != dealer.pk]
        median = (
            Decimal(statistics.median(peers)).quantize(SHARE_PLACES) if peers else None
        )
        flagged = (
            share is not None
            and median is not None
            and orders >= MIN_ORDERS
            and len(peers) >= MIN_PEERS
            and share > GIFT_SHARE_FLOOR
            and share > median * GIFT_SHARE_FACTOR
        )
        facts[dealer.pk].share = GiftShare(
            gift_value=gift_value,
            ordered_value=value,
            orders=orders,
            share=share,
            peer_median=median,
            peers=len(peers),
            flagged=flagged,
        )


def at_threshold(
    *, measures: Iterable[Decimal], minimums: Iterable[Decimal], repeat: bool, cap
) -> bool:
    """Whether every component's measure lies within ``THRESHOLD_MARGIN`` above the
    minimum for the times it earns (pure)."""
    for measure, minimum in zip(measures, minimums, strict=True):
        if minimum <= 0 or measure < minimum:
            return False
        times = int(measure // minimum) if repeat else 1
        if cap is not None:
            times = min(times, cap)
        if measure > times * minimum * (1 + THRESHOLD_MARGIN):
            return False
    return True


def clusters_of(orders: list[ThresholdOrder], promotion: str) -> list[ThresholdCluster]:
    """Runs of at-threshold orders placed at most ``THRESHOLD_GAP`` apart (pure)."""
    found, run = [], []
    for order in sorted(orders, key=lambda o: o.placed_at):
        if run and order.placed_at - run[-1].placed_at > THRESHOLD_GAP:
            if len(run) >= THRESHOLD_MIN_ORDERS:
                found.append(ThresholdCluster(promotion=promotion, orders=tuple(run)))
            run = []
        run.append(order)
    if len(run) >= THRESHOLD_MIN_ORDERS:
        found.append(ThresholdCluster(promotion=promotion, orders=tuple(run)))
    return found


def _thresholds(facts, dealer_ids, promotion, since) -> None:
    applications = PromotionApplication.objects.filter(
        dealer_id__in=dealer_ids, created_at__gte=since
    ).select_related("version", "promotion")
    if promotion is not None:
        applications = applications.filter(promotion=promotion)
    applications = list(applications)
    if not applications:
        return
    numbers = {a.order_number for a in applications}
    orders = {
        number: (order_id, placed_at)
        for number, order_id, placed_at in Order.objects.filter(
            number__in=numbers
        ).values_list("number", "pk", "placed_at")
    }
    lines: dict[int, list[tuple[engine.Item, int, Decimal]]] = defaultdict(list)
    paths = catalog_selectors.category_code_paths()
    for order_id, sku, quantity, unit_price, category_id in OrderLine.objects.filter(
        order__number__in=numbers, is_gift=False
    ).values_list("order_id", "sku", "quantity", "unit_price", "product__category_id"):
        item = engine.Item(
            sku=sku,
            name=sku,
            name_en=sku,
            category_path=paths.get(category_id, ()),
            unit="",
            unit_en="",
        )
        lines[order_id].append((item, quantity, unit_price))
    candidates: dict[tuple[int, str], list[ThresholdOrder]] = defaultdict(list)
    for application in applications:
        if application.order_number not in orders:
            continue
        order_id, placed_at = orders[application.order_number]
        rule = promo_selectors.rule_of(application.version)
        measures, minimums = [], []
        for component in rule.condition.components:
            matched = [
                (quantity, price)
                for item, quantity, price in lines[order_id]
                if component.items.matches(item)
            ]
            if rule.condition.type == "amount":
                measures.append(sum((q * p for q, p in matched), ZERO))
            else:
                measures.append(Decimal(sum(q for q, _p in matched)))
            minimums.append(Decimal(component.min))
        if at_threshold(
            measures=measures,
            minimums=minimums,
            repeat=rule.repeat,
            cap=rule.max_applications_per_order,
        ):
            candidates[(application.dealer_id, rule.code)].append(
                ThresholdOrder(
                    number=application.order_number,
                    placed_at=placed_at,
                    measures=tuple(measures),
                    minimums=tuple(minimums),
                )
            )
    for (dealer_id, code), found in sorted(candidates.items()):
        facts[dealer_id].clusters.extend(clusters_of(found, code))


def abuse_facts(
    *,
    dealers: Iterable[Dealer],
    promotion: Promotion | None = None,
    at: datetime.datetime | None = None,
) -> dict[int, DealerAbuse]:
    """The abuse guard's findings for ``dealers`` (dealer id → findings), in a bounded
    number of queries. With ``promotion``, cancellations, debts and threshold runs are
    those of that promotion; the gift share is always the dealer's overall one."""
    dealers = list(dealers)
    if not dealers:
        return {}
    since = (at or timezone.now()) - datetime.timedelta(days=LOOKBACK_DAYS)
    facts = {d.pk: DealerAbuse(dealer=d) for d in dealers}
    ids = list(facts)
    _cancelled(facts, ids, promotion, since)
    _debts(facts, ids, promotion)
    _shares(facts, dealers, since)
    _thresholds(facts, ids, promotion, since)
    return facts


def dealer_flags(
    *, dealers: Iterable[Dealer], at: datetime.datetime | None = None
) -> dict[int, list[str]]:
    """The flags of each dealer that has any (for the rep console's dealer list)."""
    return {
        dealer_id: item.flags
        for dealer_id, item in abuse_facts(dealers=dealers, at=at).items()
        if item.flags
    }


def promotion_abuse_report(
    *,
    promotion: Promotion,
    org: SalesOrg | None = None,
    at: datetime.datetime | None = None,
) -> list[DealerAbuse]:
    """Every dealer that ever applied ``promotion`` (in ``org``'s subtree when
    given), flagged ones first, with what the guard found for that promotion."""
    dealers = Dealer.objects.filter(
        pk__in=PromotionApplication.objects.filter(promotion=promotion).values(
            "dealer_id"
        )
    ).select_related("tier", "region", "sales_org")
    if org is not None:
        dealers = dealers.filter(sales_org__path__startswith=org.path)
    rows = list(abuse_facts(dealers=dealers, promotion=promotion, at=at).values())
    return sorted(rows, key=lambda r: (-len(r.flags), r.dealer.code))


def dealer_abuse_report(
    *, dealer: Dealer, at: datetime.datetime | None = None
) -> DealerAbuse:
    """What the guard found for one dealer, across promotions."""
    return abuse_facts(dealers=[dealer], at=at)[dealer.pk]
