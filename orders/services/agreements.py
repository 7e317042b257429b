"""Where orders meet dealer agreements: progress from what shipped, and the rebate
settlement that credits the dealer's expense credit (an account orders keeps)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.models import RebateSettlement
from orders.models import AccountMovement, ShipmentLine
from promos.engine import quantize_money

ZERO = Decimal("0.00")


def shipped_rows(
    *, dealer_id: int, starts: date, ends: date
) -> list[contract_services.ProgressRow]:
    """Shipped net amount and quantity per month and category.

    A shipped unit is worth its line's net amount over the units the line still stands
    for, so a cancellation or short-close that re-prices the line moves what already
    shipped, and unshipped (cancelled, short-closed) units never count.
    """
    lines = (
        ShipmentLine.objects.filter(
            shipment__order__dealer_id=dealer_id,
            is_gift=False,
            shipment__shipped_at__date__gte=starts,
            shipment__shipped_at__date__lte=ends,
        )
        .select_related("order_line", "order_line__product", "shipment")
        .only(
            "quantity",
            "shipment__shipped_at",
            "order_line__net_amount",
            "order_line__quantity",
            "order_line__cancelled_quantity",
            "order_line__short_closed_quantity",
            "order_line__product__category_id",
        )
    )
    amounts: dict[tuple[date, int], Decimal] = defaultdict(lambda: ZERO)
    quantities: dict[tuple[date, int], int] = defaultdict(int)
    for line in lines:
        order_line = line.order_line
        units = order_line.effective_quantity
        if units <= 0:
            continue
        month = timezone.localdate(line.shipment.shipped_at).replace(day=1)
        key = (month, order_line.product.category_id)
        amounts[key] += order_line.net_amount * line.quantity / units
        quantities[key] += line.quantity
    return [
        contract_services.ProgressRow(
            month=month,
            category_id=category_id,
            amount=quantize_money(amounts[(month, category_id)]),
            quantity=quantities[(month, category_id)],
        )
        for month, category_id in sorted(amounts)
    ]


def agreement_progress_refresh(*, dealer_id: int) -> None:
    """Recompute the progress of the dealer's approved agreements from shipments
    (called by shipment, cancellation and short-close, in their transaction)."""
    for agreement, starts, ends in contract_selectors.agreements_to_track(
        dealer_id=dealer_id
    ):
        contract_services.agreement_progress_replace(
            agreement=agreement,
            rows=shipped_rows(dealer_id=dealer_id, starts=starts, ends=ends),
        )


@dataclass(frozen=True)
class Settlement:
    settlement: RebateSettlement
    created: bool


@transaction.atomic
def rebate_settle(*, code: str, period: str, by=None) -> Settlement:
    """Credit a period's accrued rebate to the dealer's expense credit, exactly once:
    a repeat answers the first settlement and credits nothing."""
    settlement, created = contract_services.rebate_settlement_record(
        code=code, period=period, by=by
    )
    if created and settlement.amount > 0:
        AccountMovement.objects.create(
            dealer_id=settlement.agreement.dealer_id,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind=AccountMovement.Kind.EARNED,
            amount=settlement.amount,
            reference=f"REBATE {settlement.agreement.code} {settlement.period}",
        )
    return Settlement(settlement=settlement, created=created)
