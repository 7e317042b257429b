"""Lead times, holidays and production runs: what promised delivery dates stand on."""

from datetime import date, timedelta

from catalog.models import LeadTime, NonWorkingDay, PlannedReceipt, Stock
from portal.demo.context import SeedContext

# Working days from each warehouse to the dealers of each region; others have none.
LEAD_DAYS = {
    "SH": {"east": 1, "north": 3, "south": 3},
    "WH": {"east": 2, "north": 2, "south": 2},
    "GZ": {"east": 3, "south": 1, "north": 4},
}
HOLIDAYS = [
    (date(2027, 1, 1), "元旦"),
    *((date(2027, 2, 8) + timedelta(days=d), "春节") for d in range(5)),
    (date(2027, 4, 5), "清明节"),
]
SHORT = 20  # a product with less than this on hand somewhere gets a production run


def seed_supply(ctx: SeedContext) -> None:
    """Lead times per warehouse and region, public holidays, and a production run
    for each product short in some warehouse (so carts show two honest dates)."""
    lead_times = [
        LeadTime(warehouse=warehouse, region=region, days=days)
        for code, warehouse in ctx.warehouses.items()
        for region_code, region in ctx.regions.items()
        if (days := LEAD_DAYS.get(code, {}).get(region_code)) is not None
    ]
    LeadTime.objects.bulk_create(lead_times)
    NonWorkingDay.objects.bulk_create(
        NonWorkingDay(date=day, name=name) for day, name in HOLIDAYS
    )
    short = (
        Stock.objects.filter(quantity__lt=SHORT, product__gift_only=False)
        .values_list("product_id", flat=True)
        .distinct()
    )
    rng, sh = ctx.rng, ctx.warehouses["SH"]
    receipts = [
        PlannedReceipt(
            external_id=f"MO-{ctx.today:%y%m}-{product_id:05d}",
            warehouse=sh,
            product_id=product_id,
            quantity=rng.randint(300, 1200),
            expected_date=ctx.today + timedelta(days=rng.randint(7, 21)),
            status=PlannedReceipt.Status.IN_PROGRESS,
        )
        for product_id in sorted(short)
    ]
    PlannedReceipt.objects.bulk_create(receipts)
    ctx.count("lead times", len(lead_times))
    ctx.count("production runs", len(receipts))


def flush_supply() -> None:
    PlannedReceipt.objects.all().delete()
    NonWorkingDay.objects.all().delete()
    LeadTime.objects.all().delete()
