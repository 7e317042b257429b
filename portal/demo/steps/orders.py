"""Demo orders for the demo dealer: one delivered, paid and invoiced, one partly
shipped with a gift owed and its receivable partly paid (not invoiced yet: the
dealer can ask for that invoice with one tap), one freshly placed — so every page
has something true to show."""

import datetime
from decimal import Decimal

from catalog.models import Product
from dealers.models import Dealer, InvoicingDetails
from orders import services
from orders.models import (
    AccountMovement,
    Cart,
    Invoice,
    InvoiceAllocation,
    InvoiceRequest,
    Order,
    OrderNumber,
    Receipt,
    Receivable,
    Shipment,
    StatementConfirmation,
    WriteOff,
)
from portal.demo.context import SeedContext


def _tea_a(ctx: SeedContext) -> str | None:
    sku = (
        Product.objects.filter(
            category__code__startswith="TEA-A", gift_only=False, active=True
        )
        .order_by("sku")
        .values_list("sku", flat=True)
        .first()
    )
    return sku


def seed_orders(ctx: SeedContext) -> None:
    dealer = (
        Dealer.objects.select_related("tier", "region", "sales_org")
        .filter(code="D00001")
        .first()
    )
    sku = _tea_a(ctx)
    if dealer is None or sku is None:
        return
    first = services.order_place(
        dealer=dealer,
        lines=[(sku, 20)],
        idempotency_key="demo-1",
        gift_choices={"P2026-0042": 0},
    ).order
    services.shipment_post(
        external_id="DEMO-S1",
        order_number=first.number,
        warehouse="SH",
        lines=[(sku, 20, False)],
        carrier="顺丰 SF Express",
        tracking_no="SF1000000001",
    )
    services.shipment_deliver(external_id="DEMO-S1")
    services.receipt_post(
        external_id="DEMO-R1",
        dealer=dealer,
        amount=first.total,
        date=ctx.today - datetime.timedelta(days=1),
        method="bank transfer",
    )
    receivables = list(Receivable.objects.filter(order=first))
    invoiced = sum((r.amount for r in receivables), Decimal("0.00"))
    services.invoice_record(
        external_id="DEMO-INV1",
        dealer=dealer,
        number="31000261",
        kind="vat_special",
        date=ctx.today - datetime.timedelta(days=1),
        amount=invoiced,
        tax_amount=(invoiced * Decimal("13") / Decimal("113")).quantize(
            Decimal("0.01")
        ),
        receivables=[(r.number, r.amount) for r in receivables],
    )
    InvoicingDetails.objects.update_or_create(
        dealer=dealer,
        defaults={
            "company_name": dealer.name,
            "taxpayer_number": "91310000MA1FL0000N",
            "bank": "招商银行上海分行",
            "bank_account": "6214830000000001",
            "address": "上海市黄浦区南京东路 1 号",
            "phone": "021-60000001",
        },
    )
    second = services.order_place(
        dealer=dealer,
        lines=[(sku, 30)],
        idempotency_key="demo-2",
        gift_choices={"P2026-0042": 1},
    ).order
    services.shipment_post(
        external_id="DEMO-S2",
        order_number=second.number,
        warehouse="WH",
        lines=[(sku, 10, False)],
        carrier="中通 ZTO",
        tracking_no="ZT2000000002",
    )
    services.order_place(dealer=dealer, lines=[(sku, 8)], idempotency_key="demo-3")
    services.receipt_post(
        external_id="DEMO-R2",
        dealer=dealer,
        amount=Decimal("500.00"),
        date=ctx.today,
        method="WeChat Pay",
    )
    ctx.count("demo orders", 3)


def flush_orders() -> None:
    StatementConfirmation.objects.all().delete()
    InvoiceRequest.objects.all().delete()
    InvoiceAllocation.objects.all().delete()
    Invoice.objects.filter(reverses__isnull=False).delete()
    Invoice.objects.all().delete()
    InvoicingDetails.objects.all().delete()
    WriteOff.objects.filter(reversal_of__isnull=False).delete()
    WriteOff.objects.all().delete()
    Receivable.objects.all().delete()
    Receipt.objects.all().delete()
    AccountMovement.objects.all().delete()
    for shipment in Shipment.objects.all():
        shipment.lines.all().delete()
    Shipment.objects.all().delete()
    Order.objects.all().delete()
    OrderNumber.objects.all().delete()
    Cart.objects.all().delete()
