"""Reads about orders and a dealer's money, always scoped to one dealer."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import atp
from catalog import selectors as catalog_selectors
from common import money
from common.errors import NotFound
from contracts import selectors as contract_selectors
from dealers.models import Dealer, InvoicingDetails
from orders.models import (
    AccountMovement,
    Cart,
    CartItem,
    Invoice,
    InvoiceAllocation,
    InvoiceRequest,
    Order,
    OrderLine,
    OrderLineDiscount,
    Receipt,
    Receivable,
    Shipment,
    ShipmentLine,
    WriteOff,
)

ZERO = Decimal("0.00")


def money_total(queryset: QuerySet, field: str) -> Decimal:
    """Sum of a money column as a two-place Decimal. (SQLite sums in floating point;
    quantizing back is exact at these magnitudes, PostgreSQL sums exactly.)"""
    total = queryset.aggregate(total=Sum(field, default=ZERO))["total"]
    return money.quantize(total)


def money_totals(queryset: QuerySet, key: str, field: str = "amount") -> dict:
    """``money_total`` per value of ``key`` (one grouped query), each to the cent:
    SQLite's floating-point sums came back as 1430.0000000000002."""
    rows = (
        queryset.values(key)
        .annotate(total=Sum(field))
        .order_by()
        .values_list(key, "total")
    )
    return {k: money.quantize(total) for k, total in rows}


EXPOSED_STATUSES = (Order.Status.PLACED, Order.Status.CONFIRMED)


@dataclass(frozen=True)
class Credit:
    limit: Decimal
    prepayment: Decimal
    open_receivables: Decimal
    unshipped_orders: Decimal

    @property
    def available(self) -> Decimal:
        """Credit limit + prepayment − open receivables − unshipped order value."""
        return (
            self.limit + self.prepayment - self.open_receivables - self.unshipped_orders
        )


def invoice_still_covers(*, invoice) -> dict[str, Decimal]:
    """What ``invoice`` still covers of each receivable (by number): what it
    invoiced, less its credit notes so far. A credit note takes off no more."""
    return money_totals(
        InvoiceAllocation.objects.filter(
            Q(invoice=invoice) | Q(invoice__reverses=invoice)
        ),
        "receivable__number",
    )


def account_balance(*, dealer: Dealer, account: str) -> Decimal:
    """The balance of one funds account (sum of its movements)."""
    return money_total(
        AccountMovement.objects.filter(dealer=dealer, account=account), "amount"
    )


def open_receivables_total(*, dealer: Dealer) -> Decimal:
    """What the dealer owes on shipped goods."""
    return money_total(
        Receivable.objects.filter(dealer=dealer, open_amount__gt=0), "open_amount"
    )


def credit_get(*, dealer: Dealer) -> Credit:
    """The dealer's credit position now."""
    unshipped = money_total(
        Order.objects.filter(dealer=dealer, status__in=EXPOSED_STATUSES),
        "unshipped_value",
    )
    return Credit(
        limit=dealer.credit_limit,
        prepayment=account_balance(
            dealer=dealer, account=AccountMovement.Account.PREPAYMENT
        ),
        open_receivables=open_receivables_total(dealer=dealer),
        unshipped_orders=unshipped,
    )


def order_list(
    *, dealer: Dealer, status: str | None = None, search: str = ""
) -> QuerySet[Order]:
    """A dealer's orders, newest first."""
    queryset = Order.objects.filter(dealer=dealer)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(number__icontains=search)
    return queryset.order_by("-placed_at", "-pk")


def order_get(*, number: str, dealer: Dealer | None = None) -> Order:
    """One order with its lines, discounts and history. ``dealer`` scopes it (a dealer
    asking for another dealer's order gets NotFound, not Forbidden)."""
    queryset = Order.objects.select_related(
        "dealer", "dealer__tier", "dealer__region", "dealer__sales_org"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine.objects.select_related(
                "product", "gift_version__promotion"
            ).prefetch_related(
                Prefetch(
                    "discounts",
                    queryset=OrderLineDiscount.objects.select_related(
                        "version__promotion"
                    ),
                )
            ),
        ),
        "events",
        Prefetch(
            "shipments",
            queryset=Shipment.objects.select_related("warehouse").prefetch_related(
                Prefetch(
                    "lines",
                    queryset=ShipmentLine.objects.select_related("order_line__product"),
                ),
                "receivables__invoice_allocations__invoice",
            ),
        ),
        "receivables__invoice_allocations__invoice",
    )
    if dealer is not None:
        queryset = queryset.filter(dealer=dealer)
    order = queryset.filter(number=number).first()
    if order is None:
        raise NotFound(f"Unknown order {number!r}.", code="unknown_order")
    return order


def order_card_list(
    *, dealer: Dealer, status: str | None = None, search: str = ""
) -> QuerySet[Order]:
    """A dealer's orders shaped for one-glance cards: ``order_list`` plus goods,
    shipped, cancelled and gift quantities summed in the same query."""
    goods = Q(lines__is_gift=False)
    return order_list(dealer=dealer, status=status, search=search).annotate(
        goods_quantity=Sum("lines__quantity", filter=goods, default=0),
        shipped_quantity=Sum("lines__shipped_quantity", filter=goods, default=0),
        cancelled_quantity=Sum("lines__cancelled_quantity", filter=goods, default=0)
        + Sum("lines__short_closed_quantity", filter=goods, default=0),
        gift_quantity=Sum("lines__quantity", filter=Q(lines__is_gift=True), default=0)
        - Sum("lines__cancelled_quantity", filter=Q(lines__is_gift=True), default=0),
    )


def order_status_counts(*, dealer: Dealer) -> dict[str, int]:
    """How many of a dealer's orders are in each status (one query)."""
    rows = (
        Order.objects.filter(dealer=dealer)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def cart_item_count(*, dealer_user) -> int:
    """Lines in a dealer user's cart: the badge on the cart icon."""
    return CartItem.objects.filter(
        cart__user_id=dealer_user.user_id, cart__dealer_id=dealer_user.dealer_id
    ).count()


def cart_lines(*, dealer_user) -> list[tuple[str, int]]:
    """A dealer user's cart as (SKU, quantity) of products still for sale (one query)."""
    return list(
        CartItem.objects.filter(
            cart__user_id=dealer_user.user_id,
            cart__dealer_id=dealer_user.dealer_id,
            product__active=True,
            product__gift_only=False,
        ).values_list("product__sku", "quantity")
    )


def cart_get(*, dealer_user) -> Cart | None:
    """A dealer user's cart with items and products, or None before the first add."""
    return (
        Cart.objects.filter(
            user_id=dealer_user.user_id, dealer_id=dealer_user.dealer_id
        )
        .prefetch_related(
            Prefetch("items", queryset=CartItem.objects.select_related("product"))
        )
        .first()
    )


# --- Lifecycle: derived statuses, balances, statements -----------------------------------


@dataclass(frozen=True)
class Progress:
    """An order's goods and money progress, derived from quantities and receivables."""

    fulfilment: str
    payment: str
    ordered: int
    shipped: int
    total: Decimal
    paid: Decimal
    next_due: datetime.date | None
    overdue: bool


def _fulfilment(lines, shipments) -> tuple[str, int, int]:
    goods = [line for line in lines if not line.is_gift]
    ordered = sum(line.effective_quantity for line in goods)
    shipped = sum(min(line.shipped_quantity, line.effective_quantity) for line in goods)
    if shipped == 0:
        return "unshipped", ordered, shipped
    if shipped < ordered:
        return "partially_shipped", ordered, shipped
    if shipments and all(s.delivered_at for s in shipments):
        return "delivered", ordered, shipped
    return "shipped", ordered, shipped


def order_progress(*, order: Order, today: datetime.date | None = None) -> Progress:
    """Fulfilment (unshipped, partially_shipped, shipped, delivered) and payment
    (unpaid, partially_paid, paid, overdue). Uses prefetched relations when present."""
    today = today or timezone.localdate()
    fulfilment, ordered, shipped = _fulfilment(
        list(order.lines.all()), list(order.shipments.all())
    )
    receivables = list(order.receivables.all())
    raised = sum((r.amount for r in receivables), ZERO)
    open_amount = sum((r.open_amount for r in receivables), ZERO)
    paid = raised - open_amount
    open_due = sorted(
        r.due_date for r in receivables if r.open_amount > 0 and r.due_date
    )
    overdue = bool(open_due) and open_due[0] < today
    if overdue:
        payment = "overdue"
    elif raised and open_amount == 0 and order.unshipped_value == 0:
        payment = "paid"
    elif paid > 0:
        payment = "partially_paid"
    else:
        payment = "unpaid"
    return Progress(
        fulfilment=fulfilment,
        payment=payment,
        ordered=ordered,
        shipped=shipped,
        total=order.total,
        paid=paid,
        next_due=open_due[0] if open_due else None,
        overdue=overdue,
    )


@dataclass(frozen=True)
class Balances:
    credit_limit: Decimal
    open_receivables: Decimal
    overdue: Decimal
    unshipped_orders: Decimal
    available_credit: Decimal
    prepayment: Decimal
    expense_credit: Decimal

    def to_dict(self) -> dict:
        return {name: money.as_str(value) for name, value in self.__dict__.items()}


def balances_get(*, dealer: Dealer, today: datetime.date | None = None) -> Balances:
    """Credit, open and overdue receivables, unshipped orders, prepayment, expense credit."""
    today = today or timezone.localdate()
    credit = credit_get(dealer=dealer)
    overdue = money_total(
        Receivable.objects.filter(dealer=dealer, open_amount__gt=0, due_date__lt=today),
        "open_amount",
    )
    return Balances(
        credit_limit=credit.limit,
        open_receivables=credit.open_receivables,
        overdue=overdue,
        unshipped_orders=credit.unshipped_orders,
        available_credit=credit.available,
        prepayment=credit.prepayment,
        expense_credit=account_balance(
            dealer=dealer, account=AccountMovement.Account.EXPENSE_CREDIT
        ),
    )


# What each kind of statement movement is called on the page and in the download.
MOVEMENT_KINDS = {
    "shipment": _("Shipment"),
    "adjustment": _("Adjustment"),
    "receipt": _("Payment"),
    "invoice": _("Invoice"),
    "credit_note": _("Credit note"),
}


@dataclass(frozen=True)
class Movement:
    date: datetime.date
    kind: str
    reference: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    invoiced: Decimal = ZERO  # an invoice (+) or credit note (−): no money moves

    @property
    def label(self) -> str:
        """The kind in the reader's language."""
        return str(MOVEMENT_KINDS.get(self.kind, self.kind))

    def to_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "reference": self.reference,
            "debit": money.as_str(self.debit),
            "credit": money.as_str(self.credit),
            "balance": money.as_str(self.balance),
            "invoiced": money.as_str(self.invoiced),
        }


@dataclass(frozen=True)
class OrderMoney:
    """One order four ways: goods shipped, billed (receivables, less adjustments in
    the dealer's favour), invoiced (invoices less credit notes), paid; and open."""

    order: str
    shipped: Decimal
    billed: Decimal
    invoiced: Decimal
    paid: Decimal
    open: Decimal

    @property
    def uninvoiced(self) -> Decimal:
        return self.billed - self.invoiced

    def to_dict(self) -> dict:
        return {
            "order": self.order,
            **{
                name: money.as_str(getattr(self, name))
                for name in ("shipped", "billed", "invoiced", "paid", "open")
            },
        }


@dataclass(frozen=True)
class Statement:
    period_from: datetime.date
    period_to: datetime.date
    opening_balance: Decimal
    movements: tuple[Movement, ...]
    closing_balance: Decimal
    orders: tuple[OrderMoney, ...] = ()

    def to_dict(self) -> dict:
        return {
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "opening_balance": money.as_str(self.opening_balance),
            "movements": [m.to_dict() for m in self.movements],
            "closing_balance": money.as_str(self.closing_balance),
            "orders": [o.to_dict() for o in self.orders],
        }


def _ledger(dealer: Dealer):
    """Every money movement of a dealer: receivables raised for shipments and
    adjustments (debit), adjustments in the dealer's favour and receipts (credit)."""
    entries = [
        (
            timezone.localdate(r.shipment.shipped_at if r.shipment else r.created_at),
            0 if r.shipment else 1,
            r.kind,
            r.number,
            r.amount,
            ZERO,
            ZERO,
        )
        for r in Receivable.objects.filter(dealer=dealer).select_related("shipment")
    ]
    entries += [
        (
            timezone.localdate(m.created_at),
            1,
            "adjustment",
            m.reference,
            ZERO,
            m.amount,
            ZERO,
        )
        for m in AccountMovement.objects.filter(
            dealer=dealer,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.ADJUSTED,
        )
    ]
    entries += [
        (r.date, 2, "receipt", r.external_id, ZERO, r.amount, ZERO)
        for r in Receipt.objects.filter(dealer=dealer)
    ]
    entries += [
        (
            i.date,
            4 if i.reverses_id else 3,  # a credit note after the invoices of its day
            "credit_note" if i.reverses_id else "invoice",
            i.number,
            ZERO,
            ZERO,
            -i.amount if i.reverses_id else i.amount,
        )
        for i in Invoice.objects.filter(dealer=dealer)
    ]
    entries.sort(key=lambda e: (e[0], e[1], e[3]))
    return entries


def statement_get(*, dealer: Dealer, period_from, period_to) -> Statement:
    """What the dealer owes (positive) or has paid ahead (negative), with every
    movement of the period (invoices and credit notes too, which move no money);
    opening + movements = closing; and each order of the period four ways
    (:func:`statement_orders`). Eight queries."""
    opening = ZERO
    movements = []
    balance = None
    for day, _order, kind, reference, debit, credit, invoiced in _ledger(dealer):
        if day < period_from:
            opening += debit - credit
            continue
        if day > period_to:
            break
        balance = (opening if balance is None else balance) + debit - credit
        movements.append(
            Movement(day, kind, reference, debit, credit, balance, invoiced)
        )
    closing = movements[-1].balance if movements else opening
    orders = statement_orders(
        dealer=dealer, period_from=period_from, period_to=period_to
    )
    return Statement(
        period_from, period_to, opening, tuple(movements), closing, tuple(orders)
    )


def statement_orders(*, dealer: Dealer, period_from, period_to) -> list[OrderMoney]:
    """The orders billed in the period or still open or not fully invoiced, each
    shipped / billed / invoiced / paid / open: where the three documents part."""
    rows: dict[int, dict] = {}
    numbers: dict[int, str] = {}
    for r in Receivable.objects.filter(dealer=dealer).select_related("order"):
        numbers[r.order_id] = r.order.number
        row = rows.setdefault(
            r.order_id,
            {
                **dict.fromkeys(("shipped", "billed", "paid", "open"), ZERO),
                "recent": False,
            },
        )
        row["recent"] = row["recent"] or (
            period_from <= timezone.localdate(r.created_at) <= period_to
        )
        if r.kind == Receivable.Kind.SHIPMENT:
            row["shipped"] += r.amount
        row["billed"] += r.amount
        row["paid"] += r.amount - r.open_amount
        row["open"] += r.open_amount
    credited = money_totals(
        AccountMovement.objects.filter(
            dealer=dealer,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.ADJUSTED,
            order_id__in=rows,
        ),
        "order_id",
    )
    for order_id, total in credited.items():
        rows[order_id]["billed"] -= total
    invoiced = money_totals(
        InvoiceAllocation.objects.filter(receivable__dealer=dealer),
        "receivable__order_id",
    )
    result = []
    for order_id, row in rows.items():
        covered = invoiced.get(order_id) or ZERO
        if not (row["recent"] or row["open"] or covered != row["billed"]):
            continue
        result.append(
            OrderMoney(
                order=numbers[order_id],
                shipped=row["shipped"],
                billed=row["billed"],
                invoiced=covered,
                paid=row["paid"],
                open=row["open"],
            )
        )
    return sorted(result, key=lambda o: o.order)


def receivable_list(*, dealer: Dealer, open_only: bool = False) -> QuerySet[Receivable]:
    queryset = (
        Receivable.objects.filter(dealer=dealer)
        .select_related("order", "shipment")
        .prefetch_related("invoice_allocations__invoice")
    )
    if open_only:
        queryset = queryset.filter(open_amount__gt=0)
    return queryset.order_by(F("due_date").asc(nulls_last=True), "pk")


def receipt_list(*, dealer: Dealer) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(dealer=dealer)
        .prefetch_related("writeoffs__receivable")
        .order_by("-date", "-pk")
    )


def gifts_owed_list(*, dealer: Dealer) -> QuerySet[OrderLine]:
    """Gift lines of this dealer with gifts owed or a gift debt outstanding."""
    return (
        OrderLine.objects.filter(order__dealer=dealer, is_gift=True)
        .filter(Q(owed_quantity__gt=0) | Q(debt_quantity__gt=0))
        .select_related("order", "product", "gift_version__promotion")
        .order_by("order__placed_at", "pk")
    )


# --- Delivery dates ---------------------------------------------------------------------

OPEN_STATUSES = (Order.Status.PLACED, Order.Status.CREDIT_HOLD, Order.Status.CONFIRMED)


def reserved_quantities(*, skus, before: Order | None = None) -> dict[str, int]:
    """Units of ``skus`` that open orders still wait for, or only those placed
    before ``before`` (first come, first served). One query."""
    rows = OrderLine.objects.filter(
        sku__in=set(skus), is_gift=False, order__status__in=OPEN_STATUSES
    )
    if before is not None:
        rows = rows.filter(
            Q(order__placed_at__lt=before.placed_at)
            | Q(order__placed_at=before.placed_at, order_id__lt=before.pk)
        )
    rows = rows.values("sku").annotate(
        open=Sum(
            F("quantity")
            - F("shipped_quantity")
            - F("cancelled_quantity")
            - F("short_closed_quantity")
        )
    )
    return {row["sku"]: max(row["open"] or 0, 0) for row in rows}


def _promises(
    *, dealer: Dealer, wanted, reserved, now: datetime.datetime
) -> dict[object, tuple[atp.Promise, ...]]:
    """``wanted``: (key, sku, quantity) triples, promised after ``reserved`` units of
    each SKU; the ATP inputs in a constant number of queries."""
    skus = {sku for _, sku, _ in wanted}
    supplies = catalog_selectors.atp_supplies(skus=skus, today=now.date())
    routes = catalog_selectors.atp_routes(region_ids=[dealer.region_id]).get(
        dealer.region_id, {}
    )
    calendar = catalog_selectors.atp_calendar(today=now.date())
    return {
        key: atp.promise(
            quantity=quantity,
            supplies=supplies.get(sku, ()),
            routes=routes,
            now=now,
            calendar=calendar,
            reserved=reserved.get(sku, 0),
        )
        for key, sku, quantity in wanted
    }


def promises_get(
    *, dealer: Dealer, lines, now: datetime.datetime | None = None
) -> dict[str, tuple[atp.Promise, ...]]:
    """When each of ``lines`` ((sku, quantity) pairs) could reach ``dealer``, after
    what open orders already wait for. A constant number of queries for any cart."""
    wanted = [(sku, sku, quantity) for sku, quantity in lines if quantity > 0]
    if not wanted:
        return {}
    now = timezone.localtime(now or timezone.now())
    reserved = reserved_quantities(skus={sku for _, sku, _ in wanted})
    return _promises(dealer=dealer, wanted=wanted, reserved=reserved, now=now)


def order_line_promises(
    *, order: Order, now: datetime.datetime | None = None
) -> dict[int, tuple[atp.Promise, ...]]:
    """When each open goods line of ``order`` can arrive, behind the open orders
    placed before it (first come, first served)."""
    wanted = [
        (line.pk, line.sku, line.open_quantity)
        for line in order.lines.all()
        if not line.is_gift and line.open_quantity
    ]
    if not wanted:
        return {}
    now = timezone.localtime(now or timezone.now())
    reserved = reserved_quantities(skus={sku for _, sku, _ in wanted}, before=order)
    return _promises(dealer=order.dealer, wanted=wanted, reserved=reserved, now=now)


@dataclass(frozen=True)
class PlanPart:
    date: datetime.date
    quantity: int
    received: int  # shipped into this part (shipments fill parts in date order)


def delivery_plan_get(*, order: Order) -> dict[int, list[PlanPart]]:
    """The order's delivery plan by line id, with what shipments have filled."""
    plan: dict[int, list[PlanPart]] = {}
    lines = {line.pk: line for line in order.lines.all()}
    for part in order.plan_parts.all():
        line = lines[part.line_id]
        before = sum(p.quantity for p in plan.get(line.pk, []))
        received = min(part.quantity, max(line.shipped_quantity - before, 0))
        plan.setdefault(line.pk, []).append(
            PlanPart(part.date, part.quantity, received)
        )
    return plan


def invoice_list(*, dealer: Dealer) -> QuerySet:
    """The dealer's invoices, newest first, each with the receivables it covers."""
    return (
        Invoice.objects.filter(dealer=dealer)
        .select_related("dealer", "reverses")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=InvoiceAllocation.objects.select_related(
                    "receivable"
                ).order_by("receivable__number"),
            )
        )
    )


def agreement_report(*, dealer: Dealer):
    """The dealer's agreement as the portal's "My agreement" shows it: targets, progress,
    the nearest rebate tier. Kept in contracts; read through orders by the rooms above it
    (notifications may import orders, not contracts: DESIGN.md's table)."""
    return contract_selectors.dealer_agreement_report(dealer=dealer)


def payment_plan_split(*, order: Order, amount: Decimal) -> list[tuple[dict, Decimal]]:
    """``amount`` cut by the order's plan (or the dealer's terms: all on shipment plus
    the payment days): each instalment with its part, the last taking the rounding.
    Receivables are raised this way per shipment; the order page shows it on the total."""
    plan = order.payment_plan or [
        {"percent": "100", "due": "shipment", "days": order.dealer.payment_terms_days}
    ]
    parts, left = [], amount
    for index, step in enumerate(plan, start=1):
        part = (
            left
            if index == len(plan)
            else money.quantize(amount * Decimal(str(step["percent"])) / 100)
        )
        left -= part
        parts.append((step, part))
    return parts


def payment_plan_steps(*, order: Order) -> list[dict]:
    """The plan as the dealer reads it: each instalment's percent, when it falls due
    and what it comes to on the order's total (the last takes the rounding)."""
    return [
        {
            "index": index,
            "percent": Decimal(str(step["percent"])),
            "due": step.get("due", "shipment"),
            "days": int(step.get("days", 0)),
            "amount": amount,
        }
        for index, (step, amount) in enumerate(
            payment_plan_split(order=order, amount=order.total), start=1
        )
    ]


def invoice_requests(
    *, dealer: Dealer | None = None, status: str | None = None, dealers=None
) -> QuerySet:
    """Invoice requests, newest first, with their receivables: one dealer's (the
    dealer's pages), the open ones for the ERP, or those of a rep's dealers."""
    queryset = InvoiceRequest.objects.select_related("dealer", "requested_by")
    if dealer is not None:
        queryset = queryset.filter(dealer=dealer)
    if dealers is not None:
        queryset = queryset.filter(dealer__in=dealers)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related(
        Prefetch("receivables", queryset=Receivable.objects.order_by("number"))
    )


def invoicing_details(*, dealer: Dealer):
    """What the dealer's invoices are made out to, or None before it is filled in."""
    return InvoicingDetails.objects.filter(dealer=dealer).first()


# --- Manual allocation (the back office) ------------------------------------------------


@dataclass(frozen=True)
class AllocationRow:
    """A dealer with money not matched to what it owes: the office's worklist."""

    dealer: Dealer
    unallocated: Decimal  # prepayment: receipts not written off, reversed write-offs
    open_receivables: Decimal


def allocation_worklist(*, dealers: QuerySet) -> list[AllocationRow]:
    """Of ``dealers``, those with unallocated money, and those whose receipts wait for
    the rep by rule; each with what it has open; most money first (3 queries)."""
    unallocated = money_totals(
        AccountMovement.objects.filter(
            dealer__in=dealers, account=AccountMovement.Account.PREPAYMENT
        ),
        "dealer_id",
    )
    open_ = money_totals(
        Receivable.objects.filter(dealer__in=dealers, open_amount__gt=0),
        "dealer_id",
        "open_amount",
    )
    ids = {pk for pk, total in unallocated.items() if total > 0}
    rows = [
        AllocationRow(
            dealer=dealer,
            unallocated=unallocated.get(dealer.pk) or ZERO,
            open_receivables=open_.get(dealer.pk) or ZERO,
        )
        for dealer in dealers.filter(
            Q(pk__in=ids) | Q(writeoff_rule=Dealer.WriteOffRule.MANUAL)
        ).order_by("code")
    ]
    return sorted(rows, key=lambda r: (-r.unallocated, r.dealer.code))


@dataclass(frozen=True)
class AllocationDesk:
    """One dealer's money and what it owes, side by side, with the write-offs made."""

    dealer: Dealer
    unallocated: Decimal
    receipts: list  # the newest receipts, each with what of it was written off
    receivables: list  # open, oldest due first
    writeoffs: list  # the newest write-offs and reversals, who made them


def allocation_desk(*, dealer: Dealer) -> AllocationDesk:
    receipts = list(
        Receipt.objects.filter(dealer=dealer)
        .annotate(written_off=Sum("writeoffs__amount", default=ZERO))
        .order_by("-date", "-pk")[:10]
    )
    for receipt in receipts:
        receipt.written_off = money.quantize(receipt.written_off)
        receipt.held = receipt.amount - receipt.written_off
    return AllocationDesk(
        dealer=dealer,
        unallocated=account_balance(
            dealer=dealer, account=AccountMovement.Account.PREPAYMENT
        ),
        receipts=receipts,
        receivables=list(
            Receivable.objects.filter(dealer=dealer, open_amount__gt=0)
            .select_related("order")
            .order_by(F("due_date").asc(nulls_last=True), "pk")
        ),
        writeoffs=list(
            WriteOff.objects.filter(receivable__dealer=dealer)
            .select_related("receivable", "receipt", "by", "reversal")
            .order_by("-created_at", "-pk")[:30]
        ),
    )
