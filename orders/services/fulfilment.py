"""After the order: shipments from several warehouses, gifts that follow the goods,
short-closes, deliveries and confirmations, credit holds released."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import services as catalog_services
from catalog.models import Warehouse
from catalog.services import HistoryRecord
from common import money as money_module
from common import outbox
from common.errors import Conflict, Forbidden, InvalidInput, NotFound
from dealers.models import Dealer
from orders import selectors
from orders.models import (
    AccountMovement,
    Order,
    OrderEvent,
    OrderLine,
    Shipment,
    ShipmentLine,
)
from orders.services import agreements, money
from orders.services.placement import (
    apply_reprice,
    expense_credited,
    order_reprice,
    order_unshipped_value,
)

ZERO = Decimal("0.00")
SHIPPABLE = {Order.Status.PLACED, Order.Status.CONFIRMED}


@dataclass(frozen=True)
class ShipmentResult:
    shipment: Shipment
    created: bool
    gifts_owed: tuple[OrderLine, ...]


def _validate_goods(order: Order, lines: Iterable[tuple[str, int]]) -> dict[int, int]:
    goods = {line.sku: line for line in order.lines.all() if not line.is_gift}
    wanted: dict[int, int] = {}
    errors = []
    for index, (sku, quantity) in enumerate(lines):
        line = goods.get(sku)
        if line is None:
            errors.append(
                {
                    "field": f"lines[{index}].sku",
                    "message": f"{sku} is not a line of order {order.number}",
                }
            )
            continue
        wanted[line.pk] = wanted.get(line.pk, 0) + quantity
        if wanted[line.pk] > line.open_quantity:
            errors.append(
                {
                    "field": f"lines[{index}].quantity",
                    "message": f"only {line.open_quantity} of {sku} remain to ship",
                }
            )
    if errors:
        raise Conflict(
            _("That is more than remains to ship."), code="over_shipment", errors=errors
        )
    return wanted


def _line_value(line: OrderLine, quantity: int) -> Decimal:
    """Net value of ``quantity`` of the units still to ship: the value not yet billed,
    spread evenly over them (so the last units take the rounding remainder)."""
    left = max(line.net_amount - line.invoiced_amount, ZERO)
    if quantity >= line.open_quantity:
        return left
    return money_module.quantize(left * quantity / line.open_quantity)


def _gifts_due(order: Order):
    """Gift line id → gifts earned by what has shipped so far (proportional re-match),
    and the re-priced quote of the shipped quantities."""
    shipped = {
        line.sku: line.shipped_quantity
        for line in order.lines.all()
        if not line.is_gift
    }
    repriced, versions = order_reprice(order=order, quantities=shipped)
    by_code = {v.promotion.code: v.pk for v in versions}
    earned: dict[tuple[int, str], int] = defaultdict(int)
    for gift in repriced.gifts:
        earned[(by_code[gift.promotion], gift.sku)] += gift.quantity
    return {
        line.pk: min(
            earned.get((line.gift_version_id, line.sku), 0), line.effective_quantity
        )
        for line in order.lines.all()
        if line.is_gift
    }, repriced


def _settle_debt(dealer: Dealer, sku: str, wanted: int) -> int:
    """Offset gifts now due against the dealer's outstanding debt of the same gift."""
    settled = 0
    for debtor in (
        OrderLine.objects.select_for_update()
        .filter(order__dealer=dealer, is_gift=True, sku=sku, debt_quantity__gt=0)
        .order_by("order__placed_at", "pk")
    ):
        if settled >= wanted:
            break
        take = min(debtor.debt_quantity, wanted - settled)
        debtor.debt_quantity -= take
        debtor.save(update_fields=["debt_quantity"])
        settled += take
    return settled


def _ship_gift(
    shipment: Shipment, line: OrderLine, quantity: int, warehouse: Warehouse
) -> int:
    taken = catalog_services.stock_take(
        warehouse_id=warehouse.pk, product_id=line.product_id, quantity=quantity
    )
    if taken:
        ShipmentLine.objects.create(
            shipment=shipment,
            order_line=line,
            sku=line.sku,
            quantity=taken,
            is_gift=True,
        )
        line.shipped_quantity += taken
    return taken


def _allocate_gifts(
    order: Order, shipment: Shipment, warehouse: Warehouse, due: dict[int, int]
) -> None:
    """Ship the gifts the shipped goods now earn; short stock is owed; then settle gifts
    owed from earlier shipments or orders of the same dealer from this warehouse."""
    for line in (
        OrderLine.objects.select_for_update().filter(order=order).filter(is_gift=True)
    ):
        outstanding = (
            due.get(line.pk, 0)
            - line.shipped_quantity
            - line.owed_quantity
            - line.settled_quantity
        )
        if outstanding <= 0:
            continue
        settled = _settle_debt(order.dealer, line.sku, outstanding)
        line.settled_quantity += settled
        outstanding -= settled
        shipped = (
            _ship_gift(shipment, line, outstanding, warehouse) if outstanding else 0
        )
        line.owed_quantity += outstanding - shipped
        line.save(
            update_fields=["shipped_quantity", "owed_quantity", "settled_quantity"]
        )
    owed = (
        OrderLine.objects.select_for_update()
        .filter(order__dealer=order.dealer, is_gift=True, owed_quantity__gt=0)
        .order_by("order__placed_at", "pk")
    )
    for line in owed:
        shipped = _ship_gift(shipment, line, line.owed_quantity, warehouse)
        if shipped:
            line.owed_quantity -= shipped
            line.save(update_fields=["shipped_quantity", "owed_quantity"])


def _explicit_gifts(
    order: Order, shipment: Shipment, warehouse: Warehouse, gifts: list[tuple[str, int]]
) -> None:
    """The ERP listed the gifts it shipped: accept them up to what the order still
    earns in total (they may ship ahead of the goods), else refuse the shipment."""
    lines = {
        line.sku: line
        for line in OrderLine.objects.select_for_update()
        .filter(order=order)
        .filter(is_gift=True)
    }
    for index, (sku, quantity) in enumerate(gifts):
        line = lines.get(sku)
        room = (
            0
            if line is None
            else line.effective_quantity - line.shipped_quantity - line.settled_quantity
        )
        if line is None or quantity > room:
            raise Conflict(
                _("The order does not earn that many of gift %(sku)s.") % {"sku": sku},
                code="gift_over_entitlement",
                errors=[
                    {
                        "field": f"lines[{index}]",
                        "message": f"at most {max(room, 0)} of {sku}",
                    }
                ],
            )
        catalog_services.stock_take(
            warehouse_id=warehouse.pk, product_id=line.product_id, quantity=quantity
        )
        ShipmentLine.objects.create(
            shipment=shipment, order_line=line, sku=sku, quantity=quantity, is_gift=True
        )
        line.shipped_quantity += quantity
        line.owed_quantity = max(line.owed_quantity - quantity, 0)
        line.save(update_fields=["shipped_quantity", "owed_quantity"])


def _credit_expense(order: Order, repriced) -> None:
    """Expense credit is earned as the goods it rewards ship."""
    due = min(repriced.expense_credit_total, order.expense_credit_earned) - (
        expense_credited(order)
    )
    if due > 0:
        AccountMovement.objects.create(
            dealer=order.dealer,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind=AccountMovement.Kind.EARNED,
            amount=due,
            order=order,
            reference=order.number,
        )


def _refresh_totals(order: Order) -> None:
    goods = [line for line in order.lines.all() if not line.is_gift]
    order.unshipped_value = order_unshipped_value(order, goods)
    order.save(
        update_fields=["unshipped_value", "expense_credit_applied", "updated_at"]
    )


@transaction.atomic
def shipment_post(
    *,
    external_id: str,
    order_number: str,
    warehouse: str,
    lines: Iterable[tuple[str, int, bool]],
    carrier: str = "",
    tracking_no: str = "",
    shipped_at: datetime.datetime | None = None,
) -> ShipmentResult:
    """Goods left a warehouse. Allocates the gifts the shipped goods earn (or records
    them owed), raises the receivable, credits expense support, records the sales
    facts. The same ``external_id`` again returns the first shipment."""
    lines = list(lines)
    existing = Shipment.objects.filter(external_id=external_id).first()
    if existing is not None:
        if existing.order.number != order_number:
            raise Conflict(
                _("This shipment id was already used for another order."),
                code="replay_mismatch",
            )
        return ShipmentResult(
            shipment=existing, created=False, gifts_owed=_owed(existing.order.dealer)
        )
    order = selectors.order_get(number=order_number)
    dealer = Dealer.objects.select_for_update().get(pk=order.dealer_id)
    order = Order.objects.select_for_update().select_related("dealer").get(pk=order.pk)
    warehouse_obj = Warehouse.objects.filter(code=warehouse).first()
    if warehouse_obj is None:
        raise InvalidInput(
            _("Unknown warehouse %(code)s.") % {"code": warehouse},
            code="unknown_warehouse",
        )
    if order.status not in SHIPPABLE:
        raise Conflict(
            _("An order that is %(status)s cannot ship.")
            % {"status": order.get_status_display()},
            code="not_shippable",
        )
    goods = [(sku, quantity) for sku, quantity, gift in lines if not gift]
    gifts = [(sku, quantity) for sku, quantity, gift in lines if gift]
    if any(quantity <= 0 for _sku, quantity, _gift in lines) or not lines:
        raise InvalidInput(
            _("A shipment needs lines with quantities above zero."),
            code="invalid_quantity",
        )
    wanted = _validate_goods(order, goods)
    count = order.shipments.count() + 1
    shipment = Shipment.objects.create(
        number=f"{order.number}-{count}",
        external_id=external_id,
        order=order,
        warehouse=warehouse_obj,
        carrier=carrier,
        tracking_no=tracking_no,
        shipped_at=shipped_at or timezone.now(),
    )
    value = ZERO
    history = []
    for line in (
        OrderLine.objects.select_for_update().filter(order=order).filter(pk__in=wanted)
    ):
        quantity = wanted[line.pk]
        line_value = _line_value(line, quantity)
        ShipmentLine.objects.create(
            shipment=shipment,
            order_line=line,
            sku=line.sku,
            quantity=quantity,
            value=line_value,
        )
        line.shipped_quantity += quantity
        line.invoiced_amount += line_value
        line.save(update_fields=["shipped_quantity", "invoiced_amount"])
        value += line_value
        history.append(
            HistoryRecord(
                external_id=f"{shipment.number}:{line.sku}",
                dealer_id=dealer.pk,
                product_id=line.product_id,
                quantity=quantity,
                amount=line_value,
                date=timezone.localdate(shipment.shipped_at),
                source="portal",
            )
        )
    due, repriced = _gifts_due(order)
    if gifts:
        _explicit_gifts(order, shipment, warehouse_obj, gifts)
    else:
        _allocate_gifts(order, shipment, warehouse_obj, due)
    _credit_expense(order, repriced)
    # Expense credit the dealer used on the order comes off the first receivables.
    credit = min(order.expense_credit_used - order.expense_credit_applied, value)
    order.expense_credit_applied += credit
    money.receivables_raise(order=order, shipment=shipment, amount=value - credit)
    catalog_services.sales_history_record(records=history)
    _refresh_totals(order)
    money.order_close_if_done(order=order)
    agreements.agreement_progress_refresh(dealer_id=dealer.pk)
    OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.SHIPPED, data={"shipment": shipment.number}
    )
    outbox.announce(
        outbox.Event(
            kind="order.shipped",
            dealer_ids=(dealer.pk,),
            data={
                "order": order.number,
                "shipment": shipment.number,
                "carrier": carrier,
                "tracking_no": tracking_no,
            },
        )
    )
    return ShipmentResult(shipment=shipment, created=True, gifts_owed=_owed(dealer))


def _owed(dealer: Dealer) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine.objects.filter(
            order__dealer=dealer, is_gift=True, owed_quantity__gt=0
        )
        .select_related("order")
        .order_by("order__placed_at", "pk")
    )


@transaction.atomic
def order_short_close(*, number: str, lines: Iterable[tuple[str, int]]) -> Order:
    """The ERP will not ship that much of the rest: the order's gifts, budget and
    credits are recomputed as for a cancellation."""
    order = selectors.order_get(number=number)
    Dealer.objects.select_for_update().filter(pk=order.dealer_id).first()
    order = selectors.order_get(number=number)
    if order.status not in SHIPPABLE | {Order.Status.CREDIT_HOLD}:
        raise Conflict(
            _("This order can no longer be short-closed."), code="illegal_transition"
        )
    lines = list(lines)
    if not lines:
        raise InvalidInput(_("Say which lines will not ship."), code="invalid_lines")
    wanted = _validate_goods(order, lines)
    changed = []
    for line in order.lines.all():
        if line.pk in wanted:
            line.short_closed_quantity += wanted[line.pk]
            changed.append(line)
    OrderLine.objects.bulk_update(changed, ["short_closed_quantity"])
    repriced, versions = order_reprice(order=order)
    apply_reprice(
        order=order,
        repriced=repriced,
        versions=versions,
        counter="short_closed_quantity",
    )
    order.save()
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.SHORT_CLOSED,
        data={"lines": {line.sku: wanted[line.pk] for line in changed}},
    )
    money.order_close_if_done(order=order)
    agreements.agreement_progress_refresh(dealer_id=order.dealer_id)
    return order


@transaction.atomic
def shipment_deliver(
    *, external_id: str, delivered_at: datetime.datetime | None = None
) -> Shipment:
    """The dealer received the shipment (reported by the ERP or the carrier)."""
    shipment = (
        Shipment.objects.select_for_update()
        .select_related("order")
        .filter(external_id=external_id)
        .first()
    )
    if shipment is None:
        raise NotFound(_("Unknown shipment."), code="unknown_shipment")
    if shipment.delivered_at is None:
        shipment.delivered_at = delivered_at or timezone.now()
        shipment.save(update_fields=["delivered_at"])
        money.receivables_on_delivery(shipment=shipment)
        OrderEvent.objects.create(
            order=shipment.order,
            kind=OrderEvent.Kind.DELIVERED,
            data={"shipment": shipment.number},
        )
        outbox.announce(
            outbox.Event(
                kind="shipment.delivered",
                dealer_ids=(shipment.order.dealer_id,),
                data={"order": shipment.order.number, "shipment": shipment.number},
            )
        )
    return shipment


@transaction.atomic
def shipment_confirm(
    *, number: str, dealer: Dealer, by=None, dispute_note: str = ""
) -> Shipment:
    """The dealer confirms receipt (确认收货), optionally noting a dispute."""
    shipment = (
        Shipment.objects.select_for_update()
        .filter(number=number, order__dealer=dealer)
        .first()
    )
    if shipment is None:
        raise NotFound(_("Unknown shipment."), code="unknown_shipment")
    if by is not None and hasattr(by, "dealer_user") and not by.dealer_user.can_order:
        raise Forbidden(
            _("Your role can browse but not confirm receipts."), code="cannot_order"
        )
    if shipment.confirmed_at is not None:
        raise Conflict(
            _("This shipment is already confirmed."), code="already_confirmed"
        )
    if shipment.delivered_at is None:
        shipment.delivered_at = timezone.now()
        money.receivables_on_delivery(shipment=shipment)
    shipment.confirmed_at = timezone.now()
    shipment.confirmed_by = by
    shipment.dispute_note = dispute_note
    shipment.save()
    OrderEvent.objects.create(
        order_id=shipment.order_id,
        kind=OrderEvent.Kind.RECEIPT_CONFIRMED,
        by=by,
        data={"shipment": shipment.number, "dispute": bool(dispute_note)},
    )
    return shipment


@transaction.atomic
def shipments_auto_confirm(*, after_days: int = 7) -> int:
    """Delivered shipments nobody confirmed for ``after_days`` confirm themselves."""
    cutoff = timezone.now() - datetime.timedelta(days=after_days)
    due = list(
        Shipment.objects.select_for_update()
        .filter(
            confirmed_at__isnull=True,
            delivered_at__isnull=False,
            delivered_at__lte=cutoff,
        )
        .values_list("pk", "order_id", "number")
    )
    Shipment.objects.filter(pk__in=[pk for pk, _o, _n in due]).update(
        confirmed_at=timezone.now(), auto_confirmed=True
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=order_id,
            kind=OrderEvent.Kind.RECEIPT_CONFIRMED,
            data={"shipment": number, "auto": True},
        )
        for _pk, order_id, number in due
    )
    return len(due)


@transaction.atomic
def order_release(*, number: str, by) -> Order:
    """A rep releases an order from credit hold; it now counts against credit."""
    order = selectors.order_get(number=number)
    Dealer.objects.select_for_update().filter(pk=order.dealer_id).first()
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.CREDIT_HOLD:
        raise Conflict(
            _("Only an order on credit hold can be released."),
            code="illegal_transition",
        )
    order.status = Order.Status.PLACED
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.RELEASED, by=by)
    outbox.announce(
        outbox.Event(
            kind="order.released",
            dealer_ids=(order.dealer_id,),
            data={"order": order.number},
        )
    )
    return order
