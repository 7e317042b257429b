"""Reads about the catalogue, priced and stocked for one dealer."""

import calendar
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from catalog import atp
from catalog.models import (
    Category,
    DealerPurchase,
    LeadTime,
    NonWorkingDay,
    PlannedReceipt,
    Product,
    SalesHistory,
    Stock,
    TierPrice,
    Unit,
    Warehouse,
)
from common import versions
from common.errors import NotFound

LOOKUP_TIMEOUT = 600  # seconds; a catalogue or stock write moves the key before


def unit_names() -> dict[str, tuple[str, str]]:
    """Every known unit code with its (zh-hans, en) names (cached per process)."""
    return Unit.names()


def unit_names_forget() -> None:
    """Drop this process's copy of the unit names (after a unit changes)."""
    Unit.names_forget()


def unit_name(code: str) -> str:
    """A unit's name in the active language, else its code."""
    return Unit.name_of(code)


def unit_exists(*, code: str) -> bool:
    return Unit.objects.filter(code=code).exists()


class Availability:
    IN_STOCK = "in_stock"
    LOW = "low"
    OUT = "out"


def availability_of(quantity: int) -> str:
    """Words for a stock level: in stock, low, or out."""
    if quantity <= 0:
        return Availability.OUT
    if quantity < settings.PORTAL["LOW_STOCK_THRESHOLD"]:
        return Availability.LOW
    return Availability.IN_STOCK


def _priced(queryset: QuerySet[Product], *, tier_code: str) -> QuerySet[Product]:
    tier_price = TierPrice.objects.filter(
        product=OuterRef("pk"), tier=tier_code
    ).values("price")[:1]
    return queryset.annotate(
        tier_price=Subquery(tier_price),
        stock_total=Sum("stock__quantity", default=0),
    )


def dealer_price(product: Product) -> Decimal:
    """The dealer's price for a product annotated by a catalog selector."""
    tier_price = getattr(product, "tier_price", None)
    return tier_price if tier_price is not None else product.list_price


def category_list() -> list[Category]:
    """The whole category tree in tree order (it is small)."""
    return list(Category.get_tree())


def category_get(*, code: str) -> Category:
    try:
        return Category.objects.get(code=code)
    except Category.DoesNotExist:
        raise NotFound(f"Unknown category {code!r}.", code="unknown_category") from None


@dataclass(frozen=True)
class CategoryIndex:
    """The category tree at a glance: code paths by id and both names by code."""

    paths: dict[int, tuple[str, ...]]
    names: dict[str, tuple[str, str]]


def category_index() -> CategoryIndex:
    """Category id → codes from the root down to it, and code → names: one query,
    or none until the catalogue moves (``common.versions``)."""
    return versions.cached(
        "category-index:" + versions.current([versions.CATALOG]),
        _category_index,
        timeout=LOOKUP_TIMEOUT,
    )


def _category_index() -> CategoryIndex:
    categories = list(
        Category.objects.only("id", "path", "code", "depth", "name", "name_en")
    )
    by_path = {c.path: c for c in categories}
    step = Category.steplen
    paths = {
        c.pk: tuple(by_path[c.path[: i * step]].code for i in range(1, c.depth + 1))
        for c in categories
    }
    names = {c.code: (c.name, c.name_en or c.name) for c in categories}
    return CategoryIndex(paths=paths, names=names)


def category_code_paths() -> dict[int, tuple[str, ...]]:
    """Category id → codes from the root down to it, for the whole tree (one query)."""
    return category_index().paths


def product_list(
    *,
    dealer,
    category: Category | None = None,
    search: str = "",
    include_gift_only: bool = False,
) -> QuerySet[Product]:
    """Active, sellable products with the dealer's price and total stock annotated."""
    queryset = Product.objects.filter(active=True).select_related("category")
    if not include_gift_only:
        queryset = queryset.filter(gift_only=False)
    if category is not None:
        queryset = queryset.filter(category__path__startswith=category.path)
    if search:
        queryset = queryset.filter(
            Q(sku__icontains=search)
            | Q(name__icontains=search)
            | Q(name_en__icontains=search)
        )
    return _priced(queryset, tier_code=dealer.tier.code).order_by(
        "category__path", "sku"
    )


def product_get(*, dealer, sku: str) -> Product:
    """One active product with the dealer's price and stock per warehouse prefetched."""
    queryset = _priced(
        Product.objects.filter(active=True, sku=sku), tier_code=dealer.tier.code
    )
    queryset = queryset.select_related("category").prefetch_related(
        Prefetch(
            "stock",
            queryset=Stock.objects.select_related("warehouse")
            .filter(warehouse__active=True)
            .order_by("warehouse__code"),
        )
    )
    product = queryset.first()
    if product is None:
        raise NotFound(f"Unknown product {sku!r}.", code="unknown_product")
    return product


def products_by_sku(*, skus, tier_code: str) -> dict[str, Product]:
    """Products (gift-only too) for a set of SKUs, priced for a tier: one query, or
    none until the catalogue or stock moves (``common.versions``)."""
    skus = sorted(set(skus))
    if not skus:
        return {}

    def read() -> dict[str, Product]:
        queryset = _priced(Product.objects.filter(sku__in=skus), tier_code=tier_code)
        return {p.sku: p for p in queryset.select_related("category")}

    digest = hashlib.sha256("\n".join(skus).encode()).hexdigest()
    scopes = versions.current([versions.CATALOG, versions.STOCK])
    return versions.cached(
        f"products:{tier_code}:{digest}:{scopes}", read, timeout=LOOKUP_TIMEOUT
    )


def skus_in_stock(*, skus) -> set[str]:
    """SKUs some active warehouse has on hand."""
    in_stock = Stock.objects.filter(
        product=OuterRef("pk"), quantity__gt=0, warehouse__active=True
    )
    return set(
        Product.objects.filter(sku__in=set(skus))
        .filter(Exists(in_stock))
        .values_list("sku", flat=True)
    )


# --- Dealer facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    quantity: int = 0
    amount: Decimal = Decimal("0.00")

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.quantity + other.quantity, self.amount + other.amount)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _split_window(start: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """Whole months inside [start, end], and the partial date ranges at either edge."""
    months, partial = [], []
    cursor = _month_start(start)
    while cursor <= end:
        month_end = _month_end(cursor)
        segment_start, segment_end = max(cursor, start), min(month_end, end)
        if segment_start == cursor and segment_end == month_end:
            months.append(cursor)
        else:
            partial.append((segment_start, segment_end))
        cursor = month_end + timedelta(days=1)
    return months, partial


def history_window(
    *, on: date, days: int
) -> tuple[list[date], list[tuple[date, date]]]:
    """The parts ``dealer_history_totals`` sums for a window of ``days`` days up to
    ``on``: whole months (read from the facts table) and the partial date ranges at
    the edges (read from raw history). Bulk readers (the back-test) use it to give
    exactly the same totals."""
    return _split_window(on - timedelta(days=days), on)


def dealer_facts_bulk(
    *, dealer_ids, keys, first_month: date, last_month: date
) -> dict[int, dict[tuple[str, date], Totals]]:
    """Monthly facts of many dealers for fact ``keys`` ("sku:…", "category:…") between
    two months, by dealer then (key, month): one query."""
    result: dict[int, dict[tuple[str, date], Totals]] = defaultdict(dict)
    rows = DealerPurchase.objects.filter(
        dealer_id__in=list(dealer_ids),
        key__in=list(keys),
        month__gte=first_month,
        month__lte=last_month,
    ).values_list("dealer_id", "key", "month", "quantity", "amount")
    for dealer_id, key, month, quantity, amount in rows.iterator(chunk_size=5000):
        result[dealer_id][(key, month)] = Totals(quantity, amount)
    return dict(result)


def dealer_history_totals(
    *, dealer_id: int, requirements, on: date
) -> dict[tuple[str, str, int], Totals]:
    """What a dealer bought of each (kind, code) in the ``window_days`` days up to ``on``.

    ``requirements`` holds ("sku" | "category", code, window_days) triples; a category
    counts its sub-categories. Whole months come from the facts table, the two partial
    months at the window's edges from raw history: three queries whatever the number
    of requirements.
    """
    requirements = set(requirements)
    if not requirements:
        return {}
    windows = {}
    for _kind, _code, days in requirements:
        windows[days] = _split_window(on - timedelta(days=days), on)
    keys = {f"{kind}:{code}" for kind, code, _days in requirements}
    all_months = {m for months, _partial in windows.values() for m in months}
    monthly: dict[tuple[str, date], Totals] = {}
    if all_months:
        rows = DealerPurchase.objects.filter(
            dealer_id=dealer_id, key__in=keys, month__in=all_months
        ).values_list("key", "month", "quantity", "amount")
        monthly = {
            (key, month): Totals(quantity, amount)
            for key, month, quantity, amount in rows
        }
    ranges = {r for _months, partial in windows.values() for r in partial}
    raw: list[tuple[date, dict[str, Totals]]] = []
    if ranges:
        condition = Q()
        for low, high in ranges:
            condition |= Q(date__range=(low, high))
        paths = category_code_paths()
        for sku, category_id, quantity, amount, day in SalesHistory.objects.filter(
            condition, dealer_id=dealer_id
        ).values_list(
            "product__sku", "product__category_id", "quantity", "amount", "date"
        ):
            contribution = Totals(quantity, amount)
            row_keys = {f"sku:{sku}"} | {
                f"category:{c}" for c in paths.get(category_id, ())
            }
            raw.append((day, dict.fromkeys(row_keys & keys, contribution)))
    result = {}
    for kind, code, days in requirements:
        key = f"{kind}:{code}"
        months, partial = windows[days]
        total = Totals()
        for month in months:
            total += monthly.get((key, month), Totals())
        for day, contributions in raw:
            if key in contributions and any(
                low <= day <= high for low, high in partial
            ):
                total += contributions[key]
        result[(kind, code, days)] = total
    return result


def dealer_purchase_rows(*, dealer_id: int) -> dict[str, Totals]:
    """Lifetime totals per fact key, for reports and tests."""
    result = defaultdict(Totals)
    for key, quantity, amount in DealerPurchase.objects.filter(
        dealer_id=dealer_id
    ).values_list("key", "quantity", "amount"):
        result[key] += Totals(quantity, amount)
    return dict(result)


# --- Available-to-promise inputs (catalog.atp is the pure function over them) -----------


def atp_supplies(*, skus: Iterable[str], today: date) -> dict[str, list[atp.Supply]]:
    """Stock on hand and open planned receipts of ``skus``, per SKU (two queries)."""
    skus = set(skus)
    supplies: dict[str, list[atp.Supply]] = {sku: [] for sku in skus}
    on_hand = Stock.objects.filter(
        product__sku__in=skus, quantity__gt=0, warehouse__active=True
    ).values_list("product__sku", "warehouse__code", "quantity")
    for sku, warehouse, quantity in on_hand:
        supplies[sku].append(atp.Supply(warehouse, quantity, today))
    planned = PlannedReceipt.objects.filter(
        product__sku__in=skus,
        status__in=PlannedReceipt.OPEN,
        quantity__gt=0,
        warehouse__active=True,
    ).values_list("product__sku", "warehouse__code", "quantity", "expected_date")
    for sku, warehouse, quantity, expected in planned:
        supplies[sku].append(atp.Supply(warehouse, quantity, max(expected, today)))
    return supplies


def atp_routes(*, region_ids: Iterable[int | None]) -> dict[int, dict[str, atp.Route]]:
    """Lead times from each warehouse to each of ``region_ids`` (one query)."""
    routes: dict[int, dict[str, atp.Route]] = defaultdict(dict)
    rows = LeadTime.objects.filter(
        region_id__in=[r for r in region_ids if r is not None], warehouse__active=True
    ).values_list("region_id", "warehouse__code", "days", "cutoff")
    for region_id, warehouse, days, cutoff in rows:
        routes[region_id][warehouse] = atp.Route(warehouse, days, cutoff)
    return routes


def atp_calendar(*, today: date) -> atp.Calendar:
    """Working days for the coming year (one query)."""
    days = NonWorkingDay.objects.filter(
        date__gte=today, date__lte=today + timedelta(days=400)
    ).values_list("date", flat=True)
    return atp.Calendar(non_working=frozenset(days))


def warehouse_names() -> dict[str, str]:
    """Each warehouse's name in the active language, by code (one small query)."""
    return {
        w.code: w.display_name
        for w in Warehouse.objects.only("code", "name", "name_en")
    }
