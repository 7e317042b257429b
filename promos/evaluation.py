"""Evaluation of promotions as accountable costs (费效比) and org roll-ups.

Everything here is read from the ledgers promos owns (``PromotionApplication``,
``PromotionBudget``) and from catalog's ``SalesHistory``; gift shipping status and the
abuse guard live in ``orders.evaluation`` (promos never imports orders).

Definitions
-----------
- **Versions that count**: the promotion's approved and superseded versions (the ones
  that ever applied); a promotion never approved falls back to its latest version.
- **Window**: from the earliest ``starts_at`` to the latest ``ends_at`` of those
  versions, as local dates; ``ends_at`` is exclusive, so the last day is the day
  before a midnight end. The evaluated period runs from the first day to
  min(last day, today); ``days`` is its length (0 before the start).
- **Promoted items**: what the versions' conditions touch, from the engine's own
  ``Rule.touched_skus`` / ``touched_categories`` (a category with its
  sub-categories; an add-on SKU counts); a condition without ``items`` (order scope)
  promotes every sellable product.
- **Applications**: ledger rows still active (a cancelled order's row is zeroed and
  marked cancelled by the placement services); ``times`` is the times earned.
- **Dealers reached**: distinct dealers with an active application.
- **Cost**: the sum of the active applications' ``discount + gift_cost +
  expense_credit``: discounts given, gifts at the gift product's cost (else its list
  price), expense credit earned on the order (credited when the goods ship). After a
  cancellation the ledger holds what the order still earns, so cost is net of
  claw-backs. The burn chart accumulates that cost by the day each application was
  earned, against the budget limit.
- **Promoted sales** (during): ``SalesHistory.amount`` of promoted items bought by
  the dealers with an active application, over the evaluated period. Sales history is
  recorded when goods ship (portal) or imported (ERP), so these are shipped sales.
- **Baseline**: the same dealers' sales of the same items over the equal-length
  period immediately before the first day.
- **Control**: dealers the audience reaches by its plain criteria (the owner's
  subtree, narrowed to the audience's ``sales_orgs``, ``tiers`` and ``regions``) that
  never had an application, and bought promoted items in the baseline period.
  With at least ``MIN_CONTROL_DEALERS`` (5) of them, ``control_growth = control
  during / control baseline`` adjusts the baseline: ``incremental = during −
  baseline × control_growth``; otherwise ``incremental = during − baseline``.
- **费效比 (cost ratio)** = cost / promoted sales, as a Decimal of 4 places (None
  without promoted sales). **Cost per incremental ¥** = cost / incremental (4 places;
  None when incremental ≤ 0).
- **Org roll-up**: for an org, the promotions owned by it or any org below it;
  ``budget`` is the sum of those promotions' budget limits (the portal has no
  separate org budget), with promotions without a limit counted apart.

Queries are bounded: ``promotion_figures_many`` reads a fixed number of queries
whatever the number of promotions (sales come in one UNION query per
``SALES_CHUNK`` promotions).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.fields import IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Category, SalesHistory
from common import money as common_money
from common.fields import ZERO
from dealers.models import SalesOrg
from promos import selectors
from promos.engine.rules import Rule
from promos.models import Promotion, PromotionApplication, PromotionVersion

MIN_CONTROL_DEALERS = 5
SALES_CHUNK = 100
RATIO_PLACES = Decimal("0.0001")
COUNTED_STATUSES = (
    PromotionVersion.Status.APPROVED,
    PromotionVersion.Status.SUPERSEDED,
)


# --- Pure computation ---------------------------------------------------------------------


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator to 4 places, half up; None when the denominator is not
    above zero."""
    if denominator is None or denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        RATIO_PLACES, rounding=ROUND_HALF_UP
    )


def money(value: Decimal) -> Decimal:
    """Two places, half up."""
    return common_money.quantize(value)


@dataclass(frozen=True)
class SalesEstimate:
    """Promoted sales, baseline, control and the incremental sales they imply."""

    during: Decimal
    baseline: Decimal
    control_dealers: int
    control_during: Decimal
    control_baseline: Decimal
    control_growth: Decimal | None  # None: not enough control dealers
    expected: Decimal  # the baseline, adjusted by the control growth when used
    incremental: Decimal


def estimate_sales(
    *,
    during: Decimal,
    baseline: Decimal,
    control: Sequence[tuple[Decimal, Decimal]] = (),
    min_control: int = MIN_CONTROL_DEALERS,
) -> SalesEstimate:
    """Incremental sales of the takers: ``during − baseline × growth`` where growth is
    the control dealers' during / before when at least ``min_control`` of them bought
    in the baseline period, else 1. ``control`` holds (during, before) per dealer."""
    usable = [(d, b) for d, b in control if b > 0]
    control_during = sum((d for d, _b in usable), ZERO)
    control_baseline = sum((b for _d, b in usable), ZERO)
    growth = None
    expected = baseline
    if len(usable) >= min_control and control_baseline > 0:
        growth = ratio(control_during, control_baseline)
        expected = money(baseline * control_during / control_baseline)
    return SalesEstimate(
        during=money(during),
        baseline=money(baseline),
        control_dealers=len(usable),
        control_during=money(control_during),
        control_baseline=money(control_baseline),
        control_growth=growth,
        expected=expected,
        incremental=money(during - expected),
    )


@dataclass(frozen=True)
class PromotedItems:
    """The SKUs and categories a promotion's conditions touch (``everything``: order
    scope, every sellable product)."""

    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    everything: bool = False

    def __or__(self, other: PromotedItems) -> PromotedItems:
        return PromotedItems(
            self.skus | other.skus,
            self.categories | other.categories,
            self.everything or other.everything,
        )


def promoted_items(rule: Rule) -> PromotedItems:
    """What a rule promotes, from the engine's own index keys."""
    return PromotedItems(
        skus=frozenset(rule.touched_skus),
        categories=frozenset(rule.touched_categories),
        everything=rule.is_order_scope,
    )


@dataclass(frozen=True)
class Window:
    """The evaluated period and the equal one before it (dates inclusive)."""

    first_day: datetime.date
    last_day: datetime.date  # the promotion's own last day
    period_end: datetime.date  # min(last_day, today)
    days: int

    @property
    def started(self) -> bool:
        return self.days > 0

    @property
    def baseline_start(self) -> datetime.date:
        return self.first_day - datetime.timedelta(days=self.days)

    @property
    def baseline_end(self) -> datetime.date:
        return self.first_day - datetime.timedelta(days=1)


def window_of(
    starts_at: datetime.datetime, ends_at: datetime.datetime, today: datetime.date
) -> Window:
    """The evaluated window of a promotion running [starts_at, ends_at)."""
    first = timezone.localdate(starts_at)
    last = timezone.localdate(ends_at - datetime.timedelta(microseconds=1))
    end = min(last, today)
    days = max((end - first).days + 1, 0)
    return Window(first_day=first, last_day=last, period_end=end, days=days)


# --- Figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnPoint:
    day: datetime.date
    cost: Decimal  # earned that day
    cumulative: Decimal


@dataclass
class PromotionFigures:
    """One promotion's evaluation, as of ``today``."""

    promotion_id: int
    code: str
    name: str
    status: str
    sales_org_code: str
    kind: str
    window: Window
    items: PromotedItems
    applications: int = 0
    times: int = 0
    cancelled_applications: int = 0
    dealers_reached: int = 0
    discount: Decimal = ZERO
    gift_cost: Decimal = ZERO
    expense_credit: Decimal = ZERO
    budget_limit: Decimal | None = None
    budget_used: Decimal = ZERO
    burn: list[BurnPoint] = field(default_factory=list)
    sales: SalesEstimate = field(
        default_factory=lambda: estimate_sales(during=ZERO, baseline=ZERO)
    )

    @property
    def cost(self) -> Decimal:
        return self.discount + self.gift_cost + self.expense_credit

    @property
    def promoted_sales(self) -> Decimal:
        return self.sales.during

    @property
    def incremental(self) -> Decimal:
        return self.sales.incremental

    @property
    def cost_ratio(self) -> Decimal | None:
        """费效比: cost / promoted sales."""
        return ratio(self.cost, self.sales.during)

    @property
    def cost_per_incremental(self) -> Decimal | None:
        """Cost of one ¥ of incremental sales; None when there is none."""
        return ratio(self.cost, self.sales.incremental)

    @property
    def budget_remaining(self) -> Decimal | None:
        return None if self.budget_limit is None else self.budget_limit - self.cost

    @property
    def budget_percent(self) -> int | None:
        if not self.budget_limit:
            return None
        return int(
            (100 * self.cost / self.budget_limit).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
        )


def _counted_versions(
    promotions: Sequence[Promotion],
) -> dict[int, list[PromotionVersion]]:
    """Per promotion, the versions that ever applied (else the latest one): 1 query."""
    by_promotion: dict[int, list[PromotionVersion]] = defaultdict(list)
    for version in PromotionVersion.objects.filter(
        promotion__in=[p.pk for p in promotions]
    ).order_by("promotion_id", "number"):
        by_promotion[version.promotion_id].append(version)
    result = {}
    for promotion in promotions:
        versions = by_promotion.get(promotion.pk, [])
        counted = [v for v in versions if v.status in COUNTED_STATUSES]
        result[promotion.pk] = counted or versions[-1:]
    return result


def _product_condition(
    items: PromotedItems, category_paths: dict[str, str], prefix: str = "product__"
) -> Q:
    if items.everything:
        return Q(**{f"{prefix}gift_only": False})
    condition = (
        Q(**{f"{prefix}sku__in": sorted(items.skus)}) if items.skus else Q(pk__in=[])
    )
    for code in sorted(items.categories):
        path = category_paths.get(code)
        if path:
            condition |= Q(**{f"{prefix}category__path__startswith": path})
    return condition


def _audience_condition(rule: Rule, owner_path: str, org_paths: dict[str, str]) -> Q:
    """The dealers an audience reaches by its plain criteria (for the control group)."""
    condition = Q(dealer__sales_org__path__startswith=owner_path, dealer__active=True)
    spec = rule.audience
    if spec.sales_orgs:
        orgs = Q(pk__in=[])
        for code in spec.sales_orgs:
            if code in org_paths:
                orgs |= Q(dealer__sales_org__path__startswith=org_paths[code])
        condition &= orgs
    if spec.tiers:
        condition &= Q(dealer__tier__code__in=list(spec.tiers))
    if spec.regions:
        condition &= Q(dealer__region__code__in=list(spec.regions))
    if spec.dealers:
        condition &= Q(dealer__code__in=list(spec.dealers))
    return condition


def promotion_figures_many(
    *, promotions: Iterable[Promotion], today: datetime.date | None = None
) -> dict[int, PromotionFigures]:
    """Figures of several promotions (promotion id → figures) in a bounded number of
    queries: versions, categories, orgs, the ledger by promotion, takers, the burn by
    day, and sales in one UNION query per ``SALES_CHUNK`` promotions.

    ``promotions`` should come with ``sales_org`` and ``budget`` (``promotion_list``).
    """
    promotions = list(promotions)
    if not promotions:
        return {}
    today = today or timezone.localdate()
    versions = _counted_versions(promotions)
    figures: dict[int, PromotionFigures] = {}
    rules: dict[int, Rule] = {}
    for promotion in promotions:
        counted = versions[promotion.pk]
        if not counted:
            continue
        promotion_rules = [selectors.rule_of(v) for v in counted]
        live = promotion.live_version_id
        main = next((v for v in counted if v.pk == live), counted[-1])
        rules[promotion.pk] = selectors.rule_of(main)
        items = PromotedItems()
        for rule in promotion_rules:
            items |= promoted_items(rule)
        budget = getattr(promotion, "budget", None)
        figures[promotion.pk] = PromotionFigures(
            promotion_id=promotion.pk,
            code=promotion.code,
            name=main.display_name,
            status=promotion.status,
            sales_org_code=promotion.sales_org.code,
            kind=main.kind,
            window=window_of(
                min(v.starts_at for v in counted),
                max(v.ends_at for v in counted),
                today,
            ),
            items=items,
            budget_limit=budget.limit if budget else None,
            budget_used=budget.used if budget else ZERO,
        )
    ids = list(figures)
    ledger = PromotionApplication.objects.filter(promotion_id__in=ids)
    active = PromotionApplication.Status.ACTIVE
    for row in ledger.values("promotion_id").annotate(
        applications=Count("pk", filter=Q(status=active)),
        cancelled=Count("pk", filter=~Q(status=active)),
        times=Sum("times", filter=Q(status=active), default=0),
        dealers=Count("dealer_id", filter=Q(status=active), distinct=True),
        discount=Sum("discount", filter=Q(status=active), default=ZERO),
        gift_cost=Sum("gift_cost", filter=Q(status=active), default=ZERO),
        expense_credit=Sum("expense_credit", filter=Q(status=active), default=ZERO),
    ):
        item = figures[row["promotion_id"]]
        item.applications = row["applications"]
        item.cancelled_applications = row["cancelled"]
        item.times = row["times"]
        item.dealers_reached = row["dealers"]
        item.discount = money(row["discount"])
        item.gift_cost = money(row["gift_cost"])
        item.expense_credit = money(row["expense_credit"])
    _burn(figures, ledger.filter(status=active))
    takers: dict[int, set[int]] = defaultdict(set)
    ever: dict[int, set[int]] = defaultdict(set)
    for promotion_id, dealer_id, status in ledger.values_list(
        "promotion_id", "dealer_id", "status"
    ).distinct():
        ever[promotion_id].add(dealer_id)
        if status == active:
            takers[promotion_id].add(dealer_id)
    _sales(figures, rules, promotions, takers, ever)
    return figures


def _burn(figures: dict[int, PromotionFigures], ledger: QuerySet) -> None:
    rows = (
        ledger.annotate(day=TruncDate("created_at"))
        .values("promotion_id", "day")
        .annotate(
            discount=Sum("discount", default=ZERO),
            gift_cost=Sum("gift_cost", default=ZERO),
            expense_credit=Sum("expense_credit", default=ZERO),
        )
        .order_by("promotion_id", "day")
    )
    running: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        cost = money(row["discount"] + row["gift_cost"] + row["expense_credit"])
        running[row["promotion_id"]] += cost
        figures[row["promotion_id"]].burn.append(
            BurnPoint(
                day=row["day"], cost=cost, cumulative=running[row["promotion_id"]]
            )
        )


def _sales(
    figures: dict[int, PromotionFigures],
    rules: dict[int, Rule],
    promotions: Sequence[Promotion],
    takers: dict[int, set[int]],
    ever: dict[int, set[int]],
) -> None:
    started = [
        p for p in promotions if p.pk in figures and figures[p.pk].window.started
    ]
    if not started:
        return
    category_codes = set().union(*(figures[p.pk].items.categories for p in started))
    category_paths = dict(
        Category.objects.filter(code__in=category_codes).values_list("code", "path")
    )
    org_codes = set().union(*(rules[p.pk].audience.sales_orgs for p in started))
    org_paths = dict(
        SalesOrg.objects.filter(code__in=org_codes).values_list("code", "path")
    )
    parts = []
    for promotion in started:
        item = figures[promotion.pk]
        window = item.window
        dealers = Q(dealer_id__in=sorted(takers[promotion.pk])) | _audience_condition(
            rules[promotion.pk], promotion.sales_org.path, org_paths
        )
        parts.append(
            SalesHistory.objects.filter(
                _product_condition(item.items, category_paths),
                dealers,
                date__gte=window.baseline_start,
                date__lte=window.period_end,
            )
            .order_by()
            .values("dealer_id")
            .annotate(
                promotion=Value(promotion.pk, output_field=IntegerField()),
                during=Sum(
                    "amount", filter=Q(date__gte=window.first_day), default=ZERO
                ),
                before=Sum("amount", filter=Q(date__lt=window.first_day), default=ZERO),
            )
            .values_list("promotion", "dealer_id", "during", "before")
        )
    per_dealer: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for start in range(0, len(parts), SALES_CHUNK):
        chunk = parts[start : start + SALES_CHUNK]
        query = chunk[0].union(*chunk[1:], all=True) if len(chunk) > 1 else chunk[0]
        for promotion_id, dealer_id, during, before in query:
            per_dealer[promotion_id].append((dealer_id, during, before))
    for promotion in started:
        takers_of, ever_of = takers[promotion.pk], ever[promotion.pk]
        during = baseline = ZERO
        control = []
        for dealer_id, d, b in per_dealer.get(promotion.pk, []):
            if dealer_id in takers_of:
                during += d
                baseline += b
            elif dealer_id not in ever_of:
                control.append((d, b))
        figures[promotion.pk].sales = estimate_sales(
            during=during, baseline=baseline, control=control
        )


def promotion_figures(
    *, promotion: Promotion, today: datetime.date | None = None
) -> PromotionFigures | None:
    """One promotion's figures (None for a promotion without any version)."""
    return promotion_figures_many(promotions=[promotion], today=today).get(promotion.pk)


# --- Scope and org roll-up ------------------------------------------------------------------


def promotion_list_for_org(*, org: SalesOrg) -> QuerySet[Promotion]:
    """Promotions owned by ``org`` or an org below it, with what figures need."""
    return selectors.promotion_list(sales_orgs=[org]).select_related("live_version")


def promotion_get_for_org(*, org: SalesOrg, code: str) -> Promotion | None:
    """A promotion owned inside ``org``'s subtree, or None (outside: not found)."""
    return promotion_list_for_org(org=org).filter(code=code).first()


@dataclass
class OrgRollup:
    """A sales org as a profit centre: what the promotions of its subtree cost and
    returned."""

    org: SalesOrg
    depth: int
    promotions: int = 0
    applications: int = 0
    cost: Decimal = ZERO
    promoted_sales: Decimal = ZERO
    incremental: Decimal = ZERO
    budget: Decimal = ZERO
    unlimited: int = 0  # promotions without a budget limit

    @property
    def cost_ratio(self) -> Decimal | None:
        return ratio(self.cost, self.promoted_sales)

    @property
    def cost_per_incremental(self) -> Decimal | None:
        return ratio(self.cost, self.incremental)

    @property
    def budget_percent(self) -> int | None:
        if not self.budget:
            return None
        return int(
            (100 * self.cost / self.budget).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
        )


def org_rollup(
    *, org: SalesOrg, today: datetime.date | None = None
) -> tuple[list[OrgRollup], dict[int, PromotionFigures]]:
    """Every org of ``org``'s subtree (tree order), each with the figures of the
    promotions owned in its own subtree, and the promotions' figures."""
    orgs = list(SalesOrg.objects.filter(path__startswith=org.path).order_by("path"))
    promotions = list(promotion_list_for_org(org=org))
    figures = promotion_figures_many(promotions=promotions, today=today)
    rows = []
    for node in orgs:
        row = OrgRollup(org=node, depth=node.depth - org.depth)
        for promotion in promotions:
            if not promotion.sales_org.path.startswith(node.path):
                continue
            item = figures.get(promotion.pk)
            if item is None:
                continue
            row.promotions += 1
            row.applications += item.applications
            row.cost += item.cost
            row.promoted_sales += item.promoted_sales
            row.incremental += item.incremental
            if item.budget_limit is None:
                row.unlimited += 1
            else:
                row.budget += item.budget_limit
        rows.append(row)
    return rows, figures
