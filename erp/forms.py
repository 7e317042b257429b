"""What the pull reads from K/3 Cloud, form by form, and which service each row goes
through (the same services as the integration API's PUT/POST)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Category, Product, Stock, Unit, Warehouse
from common.errors import DomainError
from dealers import services as dealer_services
from dealers.models import Dealer, SalesOrg
from erp.conf import K3Config
from erp.models import CustomerMapping, Link, UnitConversion
from orders import selectors as order_selectors
from orders import services as order_services
from orders.models import Invoice, Order, Receivable


class BadRow(Exception):
    """A row the portal cannot take; the run records it and goes on."""


@dataclass
class Context:
    config: K3Config
    today: dt.date
    skipped: int = 0
    seen_stock: set = field(default_factory=set)


@dataclass(frozen=True)
class Form:
    """One K/3 form read by the pull."""

    name: str
    form_id: str
    keys: tuple[str, ...]
    id_key: str
    apply: Callable[[Context, list[dict]], None]
    filter: Callable[[K3Config], str] = lambda config: ""
    incremental: bool = True  # by FModifyDate; else a snapshot
    modify_key: str = "FModifyDate"
    order_key: str = ""  # default: the modify date, then the id

    @property
    def order_string(self) -> str:
        if self.order_key:
            return self.order_key
        return f"{self.modify_key} ASC, {self.id_key} ASC"


# --- helpers ------------------------------------------------------------------------
def k3_datetime(text) -> dt.datetime | None:
    """K/3's server-local datetime text (China time, no offset) → aware datetime."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(str(text).replace(" ", "T"))
    except ValueError as exc:
        raise BadRow(f"not a date: {text!r}") from exc
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def k3_date(text) -> dt.date | None:
    value = k3_datetime(text)
    return timezone.localtime(value).date() if value else None


def decimal(value, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BadRow(f"{what} is not a number: {value!r}") from exc
    if not result.is_finite():
        raise BadRow(f"{what} is not a number: {value!r}")
    return result


def text(row: dict, key: str, what: str) -> str:
    value = row.get(key)
    if value is None or not str(value).strip():
        raise BadRow(f"{what} ({key}) is empty")
    return str(value).strip()


def link(form: str, erp_id, code: str) -> None:
    """Remember which portal code a K/3 id became; a K/3 renumbering is a bad row."""
    known = Link.objects.filter(form=form, erp_id=str(erp_id)).first()
    if known is None:
        Link.objects.create(form=form, erp_id=str(erp_id), code=code)
    elif known.code != code:
        raise BadRow(f"K/3 renumbered {known.code} to {code}; the portal keeps codes")


def linked(form: str, erp_id, code: str) -> None:
    """Check a row against its link before writing (renumbering is refused)."""
    known = Link.objects.filter(form=form, erp_id=str(erp_id)).first()
    if known is not None and known.code != code:
        raise BadRow(f"K/3 renumbered {known.code} to {code}; the portal keeps codes")


def convert(sku: str, quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """A quantity of a material in one unit, in another (via the material's table)."""
    if from_unit == to_unit:
        return quantity
    factors = {}  # unit → how many of the shared unit one of it is
    for c in UnitConversion.objects.filter(sku=sku):
        ratio = c.numerator / c.denominator
        if c.from_unit == from_unit and c.to_unit == to_unit:
            return quantity * ratio
        if c.from_unit == to_unit and c.to_unit == from_unit:
            return quantity / ratio
        factors.setdefault(c.to_unit, {})[c.from_unit] = ratio
    for shared in factors.values():  # both convert to the same (base) unit
        if from_unit in shared and to_unit in shared:
            return quantity * shared[from_unit] / shared[to_unit]
    raise BadRow(f"no conversion for {sku} from {from_unit} to {to_unit}")


def _active(row: dict) -> bool:
    return (
        row.get("FForbidStatus", "A") == "A" and row.get("FDocumentStatus", "C") == "C"
    )


def _use_org(config: K3Config) -> str:
    return f"FUseOrgId.FNumber = '{config.sale_org}'"


# --- master data --------------------------------------------------------------------
def apply_sales_org(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    code = text(row, "FNumber", "org number")
    existing = SalesOrg.objects.filter(code=code).first()
    parent = existing.get_parent() if existing else None
    linked("ORG_Organizations", row["FORGID"], code)
    dealer_services.sales_org_upsert(
        code=code,
        name=text(row, "FName", "org name"),
        parent=parent.code if parent else None,
        name_en=existing.name_en if existing else "",
    )
    link("ORG_Organizations", row["FORGID"], code)


def apply_material_group(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    code = text(row, "FNumber", "group number")
    parent = (row.get("FParentId.FNumber") or "").strip() or None
    existing = Category.objects.filter(code=code).first()
    linked("BD_MATERIALGROUP", row["FID"], code)
    catalog_services.category_upsert(
        code=code,
        name=text(row, "FName", "group name"),
        parent=parent,
        name_en=existing.name_en if existing else "",
    )
    link("BD_MATERIALGROUP", row["FID"], code)


def apply_unit(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    code = text(row, "FNumber", "unit number")
    existing = Unit.objects.filter(code=code).first()
    decimals = int(decimal(row.get("FPrecision") or 0, "precision"))
    linked("BD_UNIT", row["FUNITID"], code)
    catalog_services.unit_upsert(
        code=code,
        name=text(row, "FName", "unit name"),
        name_en=existing.name_en if existing else "",
        decimals=max(0, min(decimals, 6)),
    )
    link("BD_UNIT", row["FUNITID"], code)


def apply_material(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    sku = text(row, "FNumber", "material number")
    group = (row.get("FMaterialGroup.FNumber") or "").strip()
    if not group:
        raise BadRow("the material has no material group (FMaterialGroup)")
    unit = (
        row.get("FSaleUnitId.FNumber") or row.get("FBaseUnitId.FNumber") or ""
    ).strip()
    if not unit:
        raise BadRow("the material has no sales or base unit")
    name = text(row, "FName", "material name")
    if spec := (row.get("FSpecification") or "").strip():
        name = f"{name} {spec}"
    existing = Product.objects.filter(sku=sku).first()
    linked("BD_MATERIAL", row["FMATERIALID"], sku)
    catalog_services.product_upsert(
        sku=sku,
        name=name[:200],
        name_en=existing.name_en if existing else "",
        category=group,
        unit=unit,
        price=existing.list_price if existing else Decimal("0.00"),
        cost=existing.cost if existing else None,
        gift_only=existing.gift_only if existing else False,
        active=_active(row),
    )
    link("BD_MATERIAL", row["FMATERIALID"], sku)


def apply_conversion(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    numerator = decimal(row.get("FConvertNumerator"), "numerator")
    denominator = decimal(row.get("FConvertDenominator"), "denominator")
    if numerator <= 0 or denominator <= 0:
        raise BadRow("a conversion needs a positive numerator and denominator")
    UnitConversion.objects.update_or_create(
        sku=text(row, "FMaterialId.FNumber", "material"),
        from_unit=text(row, "FCurrentUnitId.FNumber", "unit"),
        to_unit=text(row, "FDestUnitId.FNumber", "unit"),
        defaults={"numerator": numerator, "denominator": denominator},
    )


def apply_customer(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    code = text(row, "FNumber", "customer number")
    mapping = CustomerMapping.objects.filter(customer=code).first()
    existing = (
        Dealer.objects.select_related("tier", "region", "sales_org")
        .filter(code=code)
        .first()
    )
    price_list = (row.get("FPriceListId.FNumber") or "").strip()
    tier = (
        (mapping and mapping.tier)
        or price_list
        or (existing and existing.tier.code)
        or ctx.config.default_tier
    )
    region = (
        (mapping and mapping.region)
        or (existing and existing.region.code)
        or ctx.config.default_region
    )
    sales_org = (mapping and mapping.sales_org) or ctx.config.sale_org
    credit = (
        mapping.credit_limit if mapping and mapping.credit_limit is not None else None
    )
    if credit is None:
        credit = existing.credit_limit if existing else Decimal("0.00")
    linked("BD_Customer", row["FCUSTID"], code)
    dealer_services.dealer_upsert(
        code=code,
        name=text(row, "FName", "customer name"),
        sales_org=sales_org,
        tier=tier,
        region=region,
        customer_since=existing.customer_since if existing else ctx.today,
        credit_limit=credit,
        payment_terms_days=existing.payment_terms_days if existing else 30,
        active=_active(row),
    )
    link("BD_Customer", row["FCUSTID"], code)


def apply_warehouse(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    code = text(row, "FNumber", "warehouse number")
    existing = Warehouse.objects.filter(code=code).first()
    linked("BD_STOCK", row["FSTOCKID"], code)
    catalog_services.warehouse_upsert(
        code=code,
        name=text(row, "FName", "warehouse name"),
        name_en=existing.name_en if existing else "",
    )
    link("BD_STOCK", row["FSTOCKID"], code)


def apply_price_list(ctx: Context, rows: list[dict]) -> None:
    """A price list's lines become the tier prices of the tier named by its number;
    the default tier's list also sets the products' list prices."""
    header = rows[0]
    tier = text(header, "FNumber", "price list number")
    problems = []
    for row in rows:
        sku = (row.get("FMaterialId.FNumber") or "").strip()
        try:
            if not sku:
                raise BadRow("a line names no material")
            expires = k3_date(row.get("FEntryExpiryDate"))
            starts = k3_date(row.get("FEntryEffectiveDate"))
            if (expires and expires < ctx.today) or (starts and starts > ctx.today):
                continue  # not in force today
            product = Product.objects.filter(sku=sku).first()
            if product is None:
                raise BadRow("unknown material")
            price = decimal(row.get("FPrice"), "price")
            unit = (row.get("FUnitID.FNumber") or product.unit).strip()
            # A price per K/3 unit → per the product's unit (1 product unit = n units).
            price = (price * convert(sku, Decimal(1), product.unit, unit)).quantize(
                Decimal("0.01")
            )
            catalog_services.tier_price_set(tier=tier, sku=sku, price=price)
            if tier == ctx.config.default_tier and product.list_price != price:
                catalog_services.product_upsert(
                    sku=sku,
                    name=product.name,
                    name_en=product.name_en,
                    category=product.category.code,
                    unit=product.unit,
                    price=price,
                    cost=product.cost,
                    gift_only=product.gift_only,
                    active=product.active,
                )
        except (BadRow, DomainError) as exc:
            problems.append(f"{sku or '?'}: {_reason(exc)}")
    if problems:
        raise BadRow("; ".join(problems))


def apply_inventory(ctx: Context, rows: list[dict]) -> None:
    """Add one inventory row (base unit) to the warehouse's on-hand, product unit."""
    row = rows[0]
    sku = text(row, "FMaterialId.FNumber", "material")
    warehouse = text(row, "FStockId.FNumber", "warehouse")
    product = Product.objects.filter(sku=sku).first()
    if product is None:
        raise BadRow("unknown material")
    base_qty = decimal(row.get("FBaseQty") or 0, "quantity")
    base_unit = (row.get("FBaseUnitId.FNumber") or product.unit).strip()
    quantity = convert(sku, base_qty, base_unit, product.unit)
    whole = int(quantity.to_integral_value(rounding=ROUND_FLOOR))
    key = (warehouse, sku)
    if key in ctx.seen_stock:  # several lots or locations: add them up
        whole += Stock.objects.get(warehouse__code=warehouse, product=product).quantity
    catalog_services.stock_set(warehouse=warehouse, sku=sku, quantity=max(whole, 0))
    ctx.seen_stock.add(key)


def inventory_finish(ctx: Context) -> int:
    """What the snapshot did not mention is no longer on hand (K/3 warehouses only)."""
    k3_warehouses = Link.objects.filter(form="BD_STOCK").values_list("code", flat=True)
    cleared = 0
    for stock in Stock.objects.filter(
        warehouse__code__in=list(k3_warehouses), quantity__gt=0
    ).select_related("warehouse", "product"):
        if (stock.warehouse.code, stock.product.sku) not in ctx.seen_stock:
            catalog_services.stock_set(
                warehouse=stock.warehouse.code, sku=stock.product.sku, quantity=0
            )
            cleared += 1
    return cleared


# --- documents ----------------------------------------------------------------------
def apply_outbound(ctx: Context, rows: list[dict]) -> None:
    """An audited outbound delivery: a shipment per portal order (and warehouse) it
    serves, gift lines (FIsFree) included; orders the portal did not push are skipped."""
    header = rows[0]
    fid = header["FID"]
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        order = (row.get("FSoorDerno") or "").strip()
        warehouse = (row.get("FStockID.FNumber") or "").strip()
        groups.setdefault((order, warehouse), []).append(row)
    known = set(
        Order.objects.filter(number__in=[o for o, _w in groups]).values_list(
            "number", flat=True
        )
    )
    for (order, warehouse), lines in groups.items():
        if order not in known:
            ctx.skipped += 1
            continue
        if not warehouse:
            raise BadRow(f"lines of {order} name no warehouse")
        shipped: dict[tuple[str, bool], int] = {}
        for row in lines:
            sku = text(row, "FMaterialID.FNumber", "material")
            product = Product.objects.filter(sku=sku).first()
            if product is None:
                raise BadRow(f"unknown material {sku}")
            quantity = convert(
                sku,
                decimal(row.get("FRealQty"), "quantity"),
                (row.get("FUnitID.FNumber") or product.unit).strip(),
                product.unit,
            )
            if quantity != quantity.to_integral_value() or quantity <= 0:
                raise BadRow(
                    f"{sku}: {quantity} {product.unit} is not a whole quantity"
                )
            gift = row.get("FIsFree") in (True, 1, "1", "true", "True")
            shipped[(sku, gift)] = shipped.get((sku, gift), 0) + int(quantity)
        date = k3_datetime(header.get("FDate"))
        order_services.shipment_post(
            external_id=f"K3-OUT-{fid}-{order}-{warehouse}",
            order_number=order,
            warehouse=warehouse,
            lines=[(sku, qty, gift) for (sku, gift), qty in shipped.items()],
            tracking_no=str(header.get("FBillNo") or "")[:60],
            shipped_at=date,
        )


def apply_receipt(ctx: Context, rows: list[dict]) -> None:
    row = rows[0]
    customer = text(row, "FCONTACTUNIT.FNumber", "customer")
    dealer = Dealer.objects.filter(code=customer).first()
    if dealer is None:
        raise BadRow(f"unknown customer {customer}")
    amount = decimal(row.get("FRECAMOUNTFOR"), "amount").quantize(Decimal("0.01"))
    order_services.receipt_post(
        external_id=f"K3-RB-{row['FID']}",
        dealer=dealer,
        amount=amount,
        date=k3_date(row.get("FDATE")) or ctx.today,
        method=str(row.get("FBillNo") or "")[:30],
    )


def apply_receivable(ctx: Context, rows: list[dict]) -> None:
    """K/3's receivable bill: matched to the receivable the portal raised for the
    shipment (same customer and amount), whose due date becomes K/3's. A bill that
    matches none is a bad row: the sync log shows the difference to the rep."""
    row = rows[0]
    customer = text(row, "FCUSTOMERID.FNumber", "customer")
    dealer = Dealer.objects.filter(code=customer).first()
    if dealer is None:
        raise BadRow(f"unknown customer {customer}")
    number = text(row, "FBillNo", "bill number")
    amount = decimal(row.get("FALLAMOUNTFOR"), "amount")
    matched = order_services.receivable_match_erp(
        dealer=dealer,
        erp_number=number[:40],
        amount=amount,
        due_date=k3_date(row.get("FENDDATE_H")),
    )
    if matched is None:
        raise BadRow(
            f"receivable {number} of {amount:.2f} for {customer} matches no "
            "receivable the portal raised"
        )


def _invoice_lines(rows: list[dict]) -> list[tuple[str, Decimal, Decimal]]:
    """(source bill, amount with tax, tax) of each line of a K/3 sales invoice."""
    lines = []
    for row in rows:
        source = (row.get("FSRCBILLNO") or "").strip()
        if not source:
            raise BadRow(f"invoice {row.get('FBillNo')}: a line names no source bill")
        lines.append(
            (
                source,
                decimal(row.get("FALLAMOUNTFOR"), "amount").quantize(Decimal("0.01")),
                decimal(row.get("FDETAILTAXAMOUNTFOR") or 0, "tax").quantize(
                    Decimal("0.01")
                ),
            )
        )
    return lines


def _portal_receivables(dealer, erp_numbers) -> dict[str, str]:
    """K/3 receivable bill number → the portal receivable it was matched to."""
    return dict(
        Receivable.objects.filter(
            dealer=dealer, erp_number__in=erp_numbers
        ).values_list("erp_number", "number")
    )


def _reversed(dealer, source: str, receivables: dict[str, str]) -> Invoice | None:
    """The invoice a red one reverses: named as its source (红冲 from the invoice), or
    the newest invoice of the receivable it names."""
    invoice = Invoice.objects.filter(
        dealer=dealer, number=source, reverses__isnull=True
    ).first()
    if invoice is None and source in receivables:
        invoice = (
            Invoice.objects.filter(
                dealer=dealer,
                reverses__isnull=True,
                allocations__receivable__number=receivables[source],
            )
            .order_by("-date", "-pk")
            .first()
        )
    return invoice


def apply_sales_invoice(kind: str) -> Callable[[Context, list[dict]], None]:
    """K/3's audited sales invoices (IV_SALESIC 专票, IV_SALESOC 普票): each line
    names the receivable bill it invoices (``FSRCBILLNO``, the bill it was pushed
    down from), which the portal knows by its ERP number. A red invoice (negative
    amounts) is a credit note of the invoice it names, or of the newest invoice of
    the receivable it names, taken off what that invoice still covers."""

    def apply(ctx: Context, rows: list[dict]) -> None:
        header = rows[0]
        customer = text(header, "FCUSTOMERID.FNumber", "customer")
        dealer = Dealer.objects.filter(code=customer).first()
        if dealer is None:
            raise BadRow(f"unknown customer {customer}")
        number = text(header, "FBillNo", "invoice number")
        lines = _invoice_lines(rows)
        total = sum((amount for _s, amount, _t in lines), Decimal("0.00"))
        tax = abs(sum((t for _s, _a, t in lines), Decimal("0.00")))
        receivables = _portal_receivables(dealer, [s for s, _a, _t in lines])
        common = {
            "external_id": f"K3-{header['FID']}-{number}"[:64],
            "dealer": dealer,
            "number": number[:40],
            "kind": kind,
            "date": k3_date(header.get("FDATE")) or ctx.today,
        }
        if total > 0:
            unknown = sorted({s for s, _a, _t in lines} - set(receivables))
            if unknown:
                raise BadRow(
                    f"invoice {number} names receivable {unknown[0]}, which the "
                    "portal has not matched yet"
                )
            order_services.invoice_record(
                **common,
                amount=total,
                tax_amount=tax,
                receivables=[(receivables[s], amount) for s, amount, _t in lines],
            )
            return
        original = _reversed(dealer, lines[0][0], receivables)
        if original is None:
            raise BadRow(
                f"red invoice {number}: no invoice of {lines[0][0]} to reverse"
            )
        left, parts = -total, []
        for receivable_number, covered in order_selectors.invoice_still_covers(
            invoice=original
        ).items():
            part = min(covered, left)
            if part > 0:
                parts.append((receivable_number, part))
                left -= part
        order_services.invoice_record(
            **common,
            amount=-total,
            tax_amount=tax,
            receivables=parts,
            reverses=original.number,
        )

    return apply


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, DomainError) else str(exc)


FORMS: tuple[Form, ...] = (
    Form(
        "ORG_Organizations",
        "ORG_Organizations",
        ("FORGID", "FNumber", "FName", "FModifyDate"),
        "FORGID",
        apply_sales_org,
    ),
    Form(
        "BD_MATERIALGROUP",
        "BD_MATERIALGROUP",
        ("FID", "FNumber", "FName", "FParentId.FNumber", "FModifyDate"),
        "FID",
        apply_material_group,
        # Parents before children: group numbers nest (01, 01.01…) in K/3.
        order_key="FNumber ASC, FID ASC",
    ),
    Form(
        "BD_UNIT",
        "BD_UNIT",
        ("FUNITID", "FNumber", "FName", "FPrecision", "FModifyDate"),
        "FUNITID",
        apply_unit,
    ),
    Form(
        "BD_MATERIAL",
        "BD_MATERIAL",
        (
            "FMATERIALID",
            "FNumber",
            "FName",
            "FSpecification",
            "FMaterialGroup.FNumber",
            "FBaseUnitId.FNumber",
            "FSaleUnitId.FNumber",
            "FForbidStatus",
            "FDocumentStatus",
            "FModifyDate",
        ),
        "FMATERIALID",
        apply_material,
        filter=_use_org,
    ),
    Form(
        "BD_MATERIALUNITCONVERT",
        "BD_MATERIALUNITCONVERT",
        (
            "FID",
            "FMaterialId.FNumber",
            "FCurrentUnitId.FNumber",
            "FDestUnitId.FNumber",
            "FConvertNumerator",
            "FConvertDenominator",
            "FModifyDate",
        ),
        "FID",
        apply_conversion,
    ),
    Form(
        "BD_Customer",
        "BD_Customer",
        (
            "FCUSTID",
            "FNumber",
            "FName",
            "FShortName",
            "FPriceListId.FNumber",
            "FForbidStatus",
            "FDocumentStatus",
            "FModifyDate",
        ),
        "FCUSTID",
        apply_customer,
        filter=_use_org,
    ),
    Form(
        "BD_STOCK",
        "BD_STOCK",
        ("FSTOCKID", "FNumber", "FName", "FModifyDate"),
        "FSTOCKID",
        apply_warehouse,
    ),
    Form(
        "BD_SAL_PriceList",
        "BD_SAL_PriceList",
        (
            "FID",
            "FNumber",
            "FModifyDate",
            "FMaterialId.FNumber",
            "FUnitID.FNumber",
            "FPrice",
            "FEntryEffectiveDate",
            "FEntryExpiryDate",
        ),
        "FID",
        apply_price_list,
        filter=lambda config: "FDocumentStatus = 'C' AND FForbidStatus = 'A'",
    ),
    Form(
        "STK_Inventory",
        "STK_Inventory",
        (
            "FID",
            "FMaterialId.FNumber",
            "FStockId.FNumber",
            "FBaseQty",
            "FBaseUnitId.FNumber",
        ),
        "FID",
        apply_inventory,
        filter=lambda config: f"FStockOrgId.FNumber = '{config.sale_org}'",
        incremental=False,
        order_key="FID ASC",
    ),
    Form(
        "SAL_OUTSTOCK",
        "SAL_OUTSTOCK",
        (
            "FID",
            "FBillNo",
            "FDate",
            "FCustomerID.FNumber",
            "FDocumentStatus",
            "FModifyDate",
            "FMaterialID.FNumber",
            "FRealQty",
            "FUnitID.FNumber",
            "FIsFree",
            "FSoorDerno",
            "FStockID.FNumber",
        ),
        "FID",
        apply_outbound,
        filter=lambda config: "FDocumentStatus = 'C'",
    ),
    Form(
        "AR_receivable",
        "AR_receivable",
        (
            "FID",
            "FBillNo",
            "FDATE",
            "FENDDATE_H",
            "FCUSTOMERID.FNumber",
            "FALLAMOUNTFOR",
            "FDOCUMENTSTATUS",
            "FModifyDate",
        ),
        "FID",
        apply_receivable,
        filter=lambda config: "FDOCUMENTSTATUS = 'C'",
    ),
    *(
        Form(
            form_id,
            form_id,
            (
                "FID",
                "FBillNo",
                "FDATE",
                "FCUSTOMERID.FNumber",
                "FDOCUMENTSTATUS",
                "FModifyDate",
                "FSRCBILLNO",
                "FALLAMOUNTFOR",
                "FDETAILTAXAMOUNTFOR",
            ),
            "FID",
            apply_sales_invoice(kind),
            filter=lambda config: "FDOCUMENTSTATUS = 'C'",
        )
        for form_id, kind in (
            ("IV_SALESIC", Invoice.Kind.VAT_SPECIAL),
            ("IV_SALESOC", Invoice.Kind.VAT_NORMAL),
        )
    ),
    Form(
        "AR_RECEIVEBILL",
        "AR_RECEIVEBILL",
        (
            "FID",
            "FBillNo",
            "FDATE",
            "FCONTACTUNIT.FNumber",
            "FRECAMOUNTFOR",
            "FDOCUMENTSTATUS",
            "FModifyDate",
        ),
        "FID",
        apply_receipt,
        filter=lambda config: "FDOCUMENTSTATUS = 'C'",
    ),
)
FORM_NAMES = tuple(form.name for form in FORMS)
