"""Demo orders for the demo dealer: one delivered and paid, one partly shipped with a
gift owed, one freshly placed — so every page has something true to show."""

import datetime
from decimal import Decimal

from catalog.models import Product
from dealers.models import Dealer
from orders import services
from orders.models import (
    AccountMovement,
    Cart,
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
