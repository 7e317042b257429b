"""Demo data for the evaluation pages and the abuse guard: a dealer of the demo rep
earns the tea + drink combo gift (P2026-0052, open to every dealer) and cancels twice,
and once has the gifts shipped ahead of the goods before cancelling the rest (a gift
debt). The demo dealer D00001 stays clean."""

from catalog.models import Product
from dealers.models import Dealer
from orders import services
from orders.models import Order
from portal.demo import data
from portal.demo.context import SeedContext

PROMOTION = "P2026-0052"
GIFT = "GIFT-BAG"


def _sku(prefix: str) -> str | None:
    return (
        Product.objects.filter(
            category__code__startswith=prefix, gift_only=False, active=True
        )
        .order_by("sku")
        .values_list("sku", flat=True)
        .first()
    )


def seed_evaluation(ctx: SeedContext) -> None:
    tea, drink = _sku("TEA"), _sku("DRINK")
    dealer = (
        Dealer.objects.select_related("tier", "region", "sales_org")
        .filter(reps__user__username="rep", active=True)
        .exclude(code=data.DEMO_DEALER)
        .order_by("code")
        .first()
    )
    if tea is None or drink is None or dealer is None:
        return
    lines = [(tea, 10), (drink, 10)]  # the combo twice: 2 bags
    for n in (1, 2, 3):
        order = services.order_place(
            dealer=dealer,
            lines=lines,
            idempotency_key=f"demo-abuse-{n}",
            gift_choices={PROMOTION: 0},
        ).order
        if n == 3 and order.status == Order.Status.PLACED:
            services.shipment_post(
                external_id="DEMO-ABUSE-S1",
                order_number=order.number,
                warehouse="SH",
                lines=[(tea, 1, False), (GIFT, 2, True)],
            )
        services.order_cancel(number=order.number)
    ctx.count("abuse-guard demo orders", 3)


def flush_evaluation() -> None:
    """The orders step's flusher removes these orders with the others."""
