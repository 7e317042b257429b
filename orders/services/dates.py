"""Delivery dates: keep each open order line's estimate true as supply moves."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalog import atp
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.models import PlannedReceipt
from common import outbox
from common.errors import Conflict, InvalidInput, NotFound
from orders import selectors
from orders.models import DeliveryPlanPart, Order, OrderEvent, OrderLine


def _later(old: date | None, new: date | None) -> bool:
    """A move the dealer must hear about: a date that slips or disappears."""
    if old is None:
        return False
    return new is None or new > old


@transaction.atomic
def order_estimates_refresh(
    *, skus: Iterable[str], now: datetime | None = None
) -> list[OrderLine]:
    """Re-estimate every open line of ``skus``, first come first served, and tell
    each dealer once per order whose goods now arrive later. Returns what moved."""
    now = timezone.localtime(now or timezone.now())
    skus = set(skus)
    lines = list(
        OrderLine.objects.select_for_update(of=("self",))
        .filter(sku__in=skus, is_gift=False, order__status__in=selectors.OPEN_STATUSES)
        .select_related("order__dealer", "product")
        .order_by("order__placed_at", "order_id", "pk")
    )
    if not lines:
        return []
    supplies = catalog_selectors.atp_supplies(skus=skus, today=now.date())
    routes = catalog_selectors.atp_routes(
        region_ids={line.order.dealer.region_id for line in lines}
    )
    calendar = catalog_selectors.atp_calendar(today=now.date())
    ahead: dict[str, int] = defaultdict(int)
    moved: list[tuple[OrderLine, date]] = []
    for line in lines:
        wanted = line.open_quantity
        parts = atp.promise(
            quantity=wanted,
            supplies=supplies.get(line.sku, ()),
            routes=routes.get(line.order.dealer.region_id, {}),
            now=now,
            calendar=calendar,
            reserved=ahead[line.sku],
        )
        ahead[line.sku] += wanted
        estimate = atp.latest(parts) if wanted else line.estimated_date
        if estimate != line.estimated_date:
            old, line.estimated_date = line.estimated_date, estimate
            line.save(update_fields=["estimated_date"])
            if _later(old, estimate):
                moved.append((line, old))
    _announce_delays(moved)
    return [line for line, _ in moved]


def _announce_delays(moved: list[tuple[OrderLine, date]]) -> None:
    by_order: dict[int, list[tuple[OrderLine, date]]] = defaultdict(list)
    for line, old in moved:
        by_order[line.order_id].append((line, old))
    for order_lines in by_order.values():
        order = order_lines[0][0].order
        changes = [
            {
                "sku": line.sku,
                "product": line.product.name,
                "product_en": line.product.name_en,
                "old_date": old.isoformat(),
                "new_date": line.estimated_date.isoformat()
                if line.estimated_date
                else None,
            }
            for line, old in order_lines
        ]
        first = changes[0]
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.DELAYED, data={"lines": changes}
        )
        outbox.announce(
            outbox.Event(
                kind="order.delayed",
                dealer_ids=(order.dealer_id,),
                data={
                    "order": order.number,
                    "sku": first["sku"],
                    "product": first["product"],
                    "product_en": first["product_en"],
                    "old_date": first["old_date"],
                    "new_date": first["new_date"],
                    "lines": len(changes),
                },
            )
        )


@transaction.atomic
def planned_receipt_record(
    *,
    external_id: str,
    warehouse: str,
    sku: str,
    quantity: int,
    expected_date: date,
    status: str,
    now: datetime | None = None,
) -> tuple[PlannedReceipt, bool]:
    """Record production or a transfer the ERP announced and re-estimate the open
    orders it feeds (the SKU it is for now, and the one it was for before)."""
    now = timezone.localtime(now or timezone.now())
    before = PlannedReceipt.objects.filter(external_id=external_id).first()
    receipt, created = catalog_services.planned_receipt_put(
        external_id=external_id,
        warehouse=warehouse,
        sku=sku,
        quantity=quantity,
        expected_date=expected_date,
        status=status,
        today=now.date(),
    )
    skus = {sku}
    if before is not None:
        skus.add(before.product.sku)
    order_estimates_refresh(skus=skus, now=now)
    return receipt, created


@transaction.atomic
def stock_record(*, warehouse: str, sku: str, quantity: int):
    """Record what a warehouse has on hand (the ERP's count) and re-estimate the open
    orders of that SKU: stock taken elsewhere can move their dates."""
    stock, created = catalog_services.stock_set(
        warehouse=warehouse, sku=sku, quantity=quantity
    )
    order_estimates_refresh(skus=[sku])
    return stock, created


def _available_by(parts: Iterable[atp.Promise], day: date) -> int:
    return sum(p.quantity for p in parts if p.date is not None and p.date <= day)


@transaction.atomic
def delivery_plan_set(
    *,
    number: str,
    dealer,
    parts: Iterable[tuple[str, date, int]],
    by=None,
    now: datetime | None = None,
) -> Order:
    """Schedule an order's delivery in parts (收货计划): ``(sku, date, quantity)``.

    Each SKU's parts add up to what the line still stands for (ordered less cancelled
    and short-closed); dates are not in the past and not earlier than the goods can
    arrive (available-to-promise); what has shipped fills the earliest parts. No
    parts at all clears the plan. Replaces the whole plan, or writes nothing.
    """
    now = timezone.localtime(now or timezone.now())
    order = (
        Order.objects.select_for_update()
        .filter(number=number, dealer=dealer)
        .select_related("dealer")
        .first()
    )
    if order is None:
        raise NotFound(_("No order with that number."), code="unknown_order")
    if order.status not in selectors.OPEN_STATUSES:
        raise Conflict(
            _("This order is closed: its delivery can no longer be planned."),
            code="order_closed",
        )
    lines = {line.sku: line for line in order.lines.all() if not line.is_gift}
    wanted: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for sku, day, quantity in parts:
        if sku not in lines:
            raise InvalidInput(
                _("%(sku)s is not on this order.") % {"sku": sku},
                code="unknown_line",
                errors=[{"field": sku, "message": "not on the order"}],
            )
        if quantity <= 0:
            continue
        if day < now.date():
            raise InvalidInput(
                _("%(date)s is in the past.") % {"date": formats.date_format(day)},
                code="invalid_date",
                errors=[{"field": sku, "message": "in the past"}],
            )
        wanted[sku][day] += quantity
    promises = selectors.order_line_promises(order=order, now=now)
    for sku, days in wanted.items():
        line = lines[sku]
        name = line.product.display_name
        if sum(days.values()) != line.effective_quantity:
            raise InvalidInput(
                _(
                    "The parts for %(name)s add up to %(planned)s; the order stands "
                    "for %(ordered)s."
                )
                % {
                    "name": name,
                    "planned": sum(days.values()),
                    "ordered": line.effective_quantity,
                },
                code="plan_total",
                errors=[{"field": sku, "message": "parts do not add up"}],
            )
        shipped, cumulative = line.shipped_quantity, 0
        for day in sorted(days):
            cumulative += days[day]
            needed = max(cumulative - shipped, 0)
            if needed > _available_by(promises.get(line.pk, ()), day):
                earliest = atp.latest(promises.get(line.pk, ()))
                raise InvalidInput(
                    _(
                        "%(quantity)s of %(name)s cannot arrive by %(date)s; "
                        "the earliest date for all of it is %(earliest)s."
                    )
                    % {
                        "quantity": needed,
                        "name": name,
                        "date": formats.date_format(day),
                        "earliest": formats.date_format(earliest)
                        if earliest
                        else _("not known yet"),
                    },
                    code="plan_too_early",
                    errors=[{"field": sku, "message": "earlier than available"}],
                )
    DeliveryPlanPart.objects.filter(order=order).delete()
    DeliveryPlanPart.objects.bulk_create(
        DeliveryPlanPart(order=order, line=lines[sku], date=day, quantity=quantity)
        for sku, days in wanted.items()
        for day, quantity in sorted(days.items())
    )
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.PLANNED,
        by=by,
        data={
            "parts": [
                {"sku": sku, "date": day.isoformat(), "quantity": quantity}
                for sku, days in wanted.items()
                for day, quantity in sorted(days.items())
            ]
        },
    )
    return order
