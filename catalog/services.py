"""Writes about the catalogue: master data from the ERP, stock, and sales history facts."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog import selectors
from catalog.models import (
    Category,
    DealerPurchase,
    LeadTime,
    PlannedReceipt,
    Product,
    SalesHistory,
    Stock,
    TierPrice,
    Unit,
    Warehouse,
)
from common import versions
from common.errors import InvalidInput
from common.trees import tree_node_upsert


@transaction.atomic
def category_upsert(
    *, code: str, name: str, parent: str | None, name_en: str = ""
) -> tuple[Category, bool]:
    """Create or replace a category; a new parent moves it with its subtree."""
    versions.bump(versions.CATALOG)
    return tree_node_upsert(
        Category, code=code, name=name, parent=parent, name_en=name_en
    )


@transaction.atomic
def unit_upsert(
    *, code: str, name: str, name_en: str = "", decimals: int = 0
) -> tuple[Unit, bool]:
    """Create or replace a unit of the ERP's unit master."""
    if not 1 <= len(code) <= 32 or not code.isprintable() or code != code.strip():
        raise InvalidInput(
            _("A unit code is 1 to 32 printable characters."), code="invalid_unit"
        )
    if not 0 <= decimals <= 6:
        raise InvalidInput(_("A unit has 0 to 6 decimal places."), code="invalid_unit")
    unit, created = Unit.objects.update_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "decimals": decimals}
    )
    # Forget now (this process reads its own write) and again once committed (a
    # read in between may have cached the old names).
    selectors.unit_names_forget()
    transaction.on_commit(selectors.unit_names_forget)
    return unit, created


@transaction.atomic
def product_upsert(
    *,
    sku: str,
    name: str,
    category: str,
    unit: str,
    price: Decimal,
    cost: Decimal | None = None,
    gift_only: bool = False,
    active: bool = True,
    name_en: str = "",
    launched_on: date | None = None,
) -> tuple[Product, bool]:
    """Create or replace a product from the ERP's master data."""
    versions.bump(versions.CATALOG)
    category_obj = Category.objects.filter(code=category).first()
    if category_obj is None:
        raise InvalidInput(
            _("Unknown category %(code)s.") % {"code": category},
            code="unknown_category",
        )
    if price < 0 or (cost is not None and cost < 0):
        raise InvalidInput(_("Prices cannot be negative."), code="invalid_price")
    if not selectors.unit_exists(code=unit):
        raise InvalidInput(
            _("Unknown unit %(code)s.") % {"code": unit},
            code="invalid_unit",
            errors=[{"field": "unit", "message": _("not in the unit master")}],
        )
    defaults = {
        "name": name,
        "category": category_obj,
        "unit": unit,
        "list_price": price,
        "cost": cost,
        "gift_only": gift_only,
        "active": active,
    }
    if name_en:
        defaults["name_en"] = name_en
    if launched_on:
        defaults["launched_on"] = launched_on
    return Product.objects.update_or_create(sku=sku, defaults=defaults)


def _product(sku: str) -> Product:
    product = Product.objects.filter(sku=sku).first()
    if product is None:
        raise InvalidInput(
            _("Unknown product %(sku)s.") % {"sku": sku}, code="unknown_product"
        )
    return product


@transaction.atomic
def tier_price_set(*, tier: str, sku: str, price: Decimal) -> tuple[TierPrice, bool]:
    """Set the price of a product for one tier."""
    versions.bump(versions.CATALOG)
    if price < 0:
        raise InvalidInput(_("Prices cannot be negative."), code="invalid_price")
    return TierPrice.objects.update_or_create(
        tier=tier, product=_product(sku), defaults={"price": price}
    )


@transaction.atomic
def warehouse_upsert(
    *, code: str, name: str, name_en: str = ""
) -> tuple[Warehouse, bool]:
    versions.bump(versions.STOCK)
    defaults = {"name": name}
    if name_en:
        defaults["name_en"] = name_en
    return Warehouse.objects.update_or_create(code=code, defaults=defaults)


@transaction.atomic
def stock_set(*, warehouse: str, sku: str, quantity: int) -> tuple[Stock, bool]:
    """Record what a warehouse has on hand, as the ERP reports it."""
    versions.bump(versions.STOCK)
    if quantity < 0:
        raise InvalidInput(_("Stock cannot be negative."), code="invalid_quantity")
    warehouse_obj = Warehouse.objects.filter(code=warehouse).first()
    if warehouse_obj is None:
        raise InvalidInput(
            _("Unknown warehouse %(code)s.") % {"code": warehouse},
            code="unknown_warehouse",
        )
    return Stock.objects.update_or_create(
        warehouse=warehouse_obj, product=_product(sku), defaults={"quantity": quantity}
    )


@transaction.atomic
def stock_take(*, warehouse_id: int, product_id: int, quantity: int) -> int:
    """Take up to ``quantity`` units out of stock; returns how many were taken."""
    versions.bump(versions.STOCK)
    stock = (
        Stock.objects.select_for_update()
        .filter(warehouse_id=warehouse_id, product_id=product_id)
        .first()
    )
    if stock is None or quantity <= 0:
        return 0
    taken = min(stock.quantity, quantity)
    if taken:
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - taken)
    return taken


@dataclass(frozen=True)
class HistoryRecord:
    external_id: str
    dealer_id: int
    product_id: int
    quantity: int
    amount: Decimal
    date: date
    source: str = SalesHistory.Source.ERP


@transaction.atomic
def sales_history_record(*, records: Iterable[HistoryRecord]) -> int:
    """Store past sales (new external ids only) and fold them into the dealer facts.

    Returns how many records were new. Replaying the same records changes nothing.
    """
    versions.bump(versions.HISTORY)
    records = list({r.external_id: r for r in records}.values())
    if not records:
        return 0
    existing = set(
        SalesHistory.objects.filter(
            external_id__in=[r.external_id for r in records]
        ).values_list("external_id", flat=True)
    )
    new = [r for r in records if r.external_id not in existing]
    SalesHistory.objects.bulk_create(
        [
            SalesHistory(
                external_id=r.external_id,
                dealer_id=r.dealer_id,
                product_id=r.product_id,
                quantity=r.quantity,
                amount=r.amount,
                date=r.date,
                source=r.source,
            )
            for r in new
        ],
        batch_size=2000,
    )
    _facts_add(new)
    return len(new)


def _fact_deltas(records: Iterable[HistoryRecord]) -> dict[tuple[int, str, date], list]:
    paths = selectors.category_code_paths()
    product_info = {
        pk: (sku, category_id)
        for pk, sku, category_id in Product.objects.filter(
            pk__in={r.product_id for r in records}
        ).values_list("pk", "sku", "category_id")
    }
    deltas: dict[tuple[int, str, date], list] = defaultdict(
        lambda: [0, Decimal("0.00")]
    )
    for r in records:
        month = r.date.replace(day=1)
        sku, category_id = product_info[r.product_id]
        keys = [f"sku:{sku}"] + [
            f"category:{code}" for code in paths.get(category_id, ())
        ]
        for key in keys:
            delta = deltas[(r.dealer_id, key, month)]
            delta[0] += r.quantity
            delta[1] += r.amount
    return deltas


def _facts_add(records: list[HistoryRecord], *, fresh: bool = False) -> None:
    """Add records to the monthly facts; ``fresh`` when the table is known to be empty."""
    if not records:
        return
    deltas = _fact_deltas(records)
    existing = {}
    if not fresh:
        existing = {
            (f.dealer_id, f.key, f.month): f
            for f in DealerPurchase.objects.select_for_update().filter(
                dealer_id__in={d for d, _k, _m in deltas},
                key__in={k for _d, k, _m in deltas},
                month__in={m for _d, _k, m in deltas},
            )
        }
    to_update, to_create = [], []
    for (dealer_id, key, month), (quantity, amount) in deltas.items():
        fact = existing.get((dealer_id, key, month))
        if fact is None:
            to_create.append(
                DealerPurchase(
                    dealer_id=dealer_id,
                    key=key,
                    month=month,
                    quantity=quantity,
                    amount=amount,
                )
            )
        else:
            fact.quantity += quantity
            fact.amount += amount
            to_update.append(fact)
    DealerPurchase.objects.bulk_create(to_create, batch_size=2000)
    DealerPurchase.objects.bulk_update(
        to_update, ["quantity", "amount"], batch_size=2000
    )


@transaction.atomic
def dealer_facts_rebuild(*, dealer_ids: Iterable[int] | None = None) -> int:
    """Recompute the facts table from sales history (all dealers, or some)."""
    versions.bump(versions.HISTORY)
    facts = DealerPurchase.objects.all()
    history = SalesHistory.objects.all()
    if dealer_ids is not None:
        dealer_ids = list(dealer_ids)
        facts = facts.filter(dealer_id__in=dealer_ids)
        history = history.filter(dealer_id__in=dealer_ids)
    facts.delete()
    records = [
        HistoryRecord("", dealer_id, product_id, quantity, amount, day)
        for dealer_id, product_id, quantity, amount, day in history.values_list(
            "dealer_id", "product_id", "quantity", "amount", "date"
        ).iterator(chunk_size=20000)
    ]
    _facts_add(records, fresh=True)
    return len(records)


def _month_start_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', CAST({column} AS timestamp)) AS date)"
    return f"date({column}, 'start of month')"


@transaction.atomic
def dealer_facts_rebuild_in_database(*, dealer_ids: Iterable[int] | None = None) -> int:
    """Recompute the facts like ``dealer_facts_rebuild``, but inside the database.

    Two ``INSERT … SELECT`` statements (SKU keys, then every ancestor category of the
    product's category) instead of rows through Python: for bulk loads such as the
    demo data or a full re-import. SQLite and PostgreSQL; other databases fall back
    to ``dealer_facts_rebuild``. Returns how many history rows were folded in.
    """
    versions.bump(versions.HISTORY)
    if connection.vendor not in {"sqlite", "postgresql"}:
        return dealer_facts_rebuild(dealer_ids=dealer_ids)
    facts = DealerPurchase.objects.all()
    history = SalesHistory.objects.all()
    where, params = "", []
    if dealer_ids is not None:
        dealer_ids = list(dealer_ids)
        if not dealer_ids:
            return 0
        facts = facts.filter(dealer_id__in=dealer_ids)
        history = history.filter(dealer_id__in=dealer_ids)
        where = f"WHERE h.dealer_id IN ({', '.join(['%s'] * len(dealer_ids))})"
        params = dealer_ids
    facts.delete()
    q = connection.ops.quote_name
    month = _month_start_sql("h.date")
    insert = (
        f"INSERT INTO {q(DealerPurchase._meta.db_table)} "
        f"(dealer_id, {q('key')}, month, quantity, amount) "
    )
    history_table = q(SalesHistory._meta.db_table)
    product_table = q(Product._meta.db_table)
    category_table = q(Category._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} SELECT h.dealer_id, 'sku:' || p.sku, {month}, "
            "SUM(h.quantity), SUM(h.amount) "
            f"FROM {history_table} h JOIN {product_table} p ON p.id = h.product_id "
            f"{where} GROUP BY h.dealer_id, p.sku, {month}",
            params,
        )
        cursor.execute(
            f"{insert} SELECT h.dealer_id, 'category:' || a.code, {month}, "
            "SUM(h.quantity), SUM(h.amount) "
            f"FROM {history_table} h JOIN {product_table} p ON p.id = h.product_id "
            f"JOIN {category_table} c ON c.id = p.category_id "
            f"JOIN {category_table} a ON substr(c.path, 1, length(a.path)) = a.path "
            f"{where} GROUP BY h.dealer_id, a.code, {month}",
            params,
        )
    return history.count()


def _warehouse(code: str) -> Warehouse:
    warehouse = Warehouse.objects.filter(code=code).first()
    if warehouse is None:
        raise InvalidInput(
            _("Unknown warehouse %(code)s.") % {"code": code},
            code="unknown_warehouse",
            errors=[{"field": "warehouse", "message": "unknown"}],
        )
    return warehouse


@transaction.atomic
def lead_time_set(
    *, warehouse: str, region: str, days: int, cutoff: time | None = None
) -> tuple[LeadTime, bool]:
    """Record how many working days goods take from ``warehouse`` to ``region``."""
    if not 0 <= days <= 365:
        raise InvalidInput(
            _("A lead time is 0 to 365 working days."),
            code="invalid_days",
            errors=[{"field": "days", "message": "0 to 365"}],
        )
    # The region model by the relation's name: catalog never imports dealers.
    region_model = LeadTime._meta.get_field("region").related_model
    region_obj = region_model.objects.filter(code=region).first()
    if region_obj is None:
        raise InvalidInput(
            _("Unknown region %(code)s.") % {"code": region},
            code="unknown_region",
            errors=[{"field": "region", "message": "unknown"}],
        )
    defaults = {"days": days}
    if cutoff is not None:
        defaults["cutoff"] = cutoff
    return LeadTime.objects.update_or_create(
        warehouse=_warehouse(warehouse), region=region_obj, defaults=defaults
    )


@transaction.atomic
def planned_receipt_put(
    *,
    external_id: str,
    warehouse: str,
    sku: str,
    quantity: int,
    expected_date: date,
    status: str,
    today: date,
) -> tuple[PlannedReceipt, bool]:
    """Create or replace a planned receipt (production or transfer) the ERP announced."""
    if quantity < 0:
        raise InvalidInput(
            _("A planned quantity cannot be negative."),
            code="invalid_quantity",
            errors=[{"field": "quantity", "message": "0 or more"}],
        )
    if status not in PlannedReceipt.Status.values:
        raise InvalidInput(
            _("Unknown status %(status)s.") % {"status": status},
            code="invalid_status",
            errors=[
                {
                    "field": "status",
                    "message": "planned, in_progress, done or cancelled",
                }
            ],
        )
    if status in PlannedReceipt.OPEN and expected_date < today:
        raise InvalidInput(
            _("The expected date %(date)s is in the past.") % {"date": expected_date},
            code="invalid_date",
            errors=[{"field": "expected_date", "message": "in the past"}],
        )
    warehouse_obj, product = _warehouse(warehouse), _product(sku)
    receipt, created = PlannedReceipt.objects.update_or_create(
        external_id=external_id,
        defaults={
            "warehouse": warehouse_obj,
            "product": product,
            "quantity": quantity,
            "expected_date": expected_date,
            "status": status,
        },
    )
    return receipt, created
