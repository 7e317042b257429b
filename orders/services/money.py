"""Money after the order: receivables raised per shipment, receipts written off oldest
due first, prepayment, reversals as rows, statement confirmations."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common import money, outbox
from common.errors import Conflict, InvalidInput, NotFound
from dealers.models import Dealer
from orders import selectors
from orders.models import (
    AccountMovement,
    Order,
    OrderEvent,
    Receipt,
    Receivable,
    Shipment,
    StatementConfirmation,
    WriteOff,
)

ZERO = Decimal("0.00")
PLAN_TRIGGERS = {"order", "shipment", "delivery"}


def payment_plan_validate(plan) -> list[dict]:
    """A plan is installments whose percents add up to 100."""
    if not plan:
        return []
    errors = []
    if not isinstance(plan, list):
        raise InvalidInput(
            _("A payment plan is a list of installments."), code="invalid_plan"
        )
    total = ZERO
    for index, step in enumerate(plan):
        try:
            percent = Decimal(str(step["percent"]))
            days = int(step.get("days", 0))
            trigger = step.get("due", "shipment")
        except (KeyError, TypeError, ValueError, ArithmeticError):
            errors.append(
                {"field": f"payment_plan[{index}]", "message": "percent, due and days"}
            )
            continue
        if percent <= 0 or trigger not in PLAN_TRIGGERS or days < 0:
            errors.append(
                {
                    "field": f"payment_plan[{index}]",
                    "message": "percent > 0, due in order/shipment/delivery",
                }
            )
        total += percent
    if not errors and total != 100:
        raise InvalidInput(
            _("The shares add up to %(total)s %%, not 100 %%.")
            % {"total": f"{total.normalize():f}"},
            code="invalid_plan",
            errors=[
                {"field": "payment_plan", "message": "the percents must add up to 100"}
            ],
        )
    if errors:
        raise InvalidInput(
            _("The payment plan is not valid."), code="invalid_plan", errors=errors
        )
    return plan


def payment_plan_set(*, order: Order, plan: list[dict], by=None) -> Order:
    """The instalments an order is paid in (a rep or the back office): percents of
    each shipment's value adding up to 100, each due on order, shipment or delivery
    plus days; empty: the dealer's terms. Fixed once goods have shipped (their
    receivables follow the plan they shipped under): 409 ``plan_locked``."""
    plan = [
        {
            "percent": str(money.quantize(Decimal(str(step["percent"])))),
            "due": step.get("due", "shipment"),
            "days": int(step.get("days", 0)),
        }
        for step in payment_plan_validate(plan)
    ]
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.shipments.exists():
            raise Conflict(
                _("Goods of this order have shipped: its payment plan is fixed."),
                code="plan_locked",
            )
        order.payment_plan = plan
        order.save(update_fields=["payment_plan"])
        OrderEvent.objects.create(
            order=order,
            kind=OrderEvent.Kind.PAYMENT_PLAN,
            by=by,
            data={"plan": plan},
        )
    return order


def _due_date(
    order: Order, shipment: Shipment, trigger: str, days: int
) -> datetime.date | None:
    base = {
        "order": order.placed_at,
        "shipment": shipment.shipped_at,
        "delivery": shipment.delivered_at,
    }[trigger]
    return (
        None
        if base is None
        else timezone.localdate(base) + datetime.timedelta(days=days)
    )


def receivables_raise(
    *, order: Order, shipment: Shipment, amount: Decimal
) -> list[Receivable]:
    """Raise what a shipment's goods are worth, by the order's plan or the dealer's terms,
    then apply any prepayment the dealer holds. Runs in the caller's transaction."""
    if amount <= 0:
        return []
    receivables = []
    parts = selectors.payment_plan_split(order=order, amount=amount)
    for index, (step, part) in enumerate(parts, start=1):
        if part <= 0:
            continue
        receivables.append(
            Receivable(
                number=f"{shipment.number}-R{index}",
                dealer=order.dealer,
                order=order,
                shipment=shipment,
                amount=part,
                open_amount=part,
                due_date=_due_date(
                    order,
                    shipment,
                    step.get("due", "shipment"),
                    int(step.get("days", 0)),
                ),
                installment=index,
            )
        )
    Receivable.objects.bulk_create(receivables)
    _apply_prepayment(order.dealer)
    return receivables


def receivable_adjust(*, order: Order, amount: Decimal) -> Receivable | None:
    """Post what goods already billed no longer earn (or now earn): a positive
    ``amount`` is a receivable of kind adjustment, due on the dealer's terms; a
    negative one is credited to the dealer's prepayment, which then pays open
    receivables. Either way it is on the statement. Runs in the caller's transaction."""
    if amount == 0:
        return None
    count = (
        Receivable.objects.filter(order=order, kind=Receivable.Kind.ADJUSTMENT).count()
        + AccountMovement.objects.filter(
            order=order,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.ADJUSTED,
        ).count()
    )
    number = f"{order.number}-A{count + 1}"
    receivable = None
    if amount > 0:
        receivable = Receivable.objects.create(
            number=number,
            dealer=order.dealer,
            order=order,
            kind=Receivable.Kind.ADJUSTMENT,
            amount=amount,
            open_amount=amount,
            due_date=timezone.localdate()
            + datetime.timedelta(days=order.dealer.payment_terms_days),
        )
    else:
        AccountMovement.objects.create(
            dealer=order.dealer,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.ADJUSTED,
            amount=-amount,
            order=order,
            reference=number,
        )
    _apply_prepayment(order.dealer)
    return receivable


def receivable_match_erp(
    *,
    dealer: Dealer,
    erp_number: str,
    amount: Decimal,
    due_date: datetime.date | None,
) -> Receivable | None:
    """The ERP's own receivable bill for money the portal raised on a shipment: link
    it to the portal's receivable of that dealer and amount (the oldest not yet
    linked), and take the ERP's due date, the system of record's. A second look at
    the same bill only refreshes the due date. None: nothing matches, for the caller
    to report (never invented, never silently corrected)."""
    amount = money.quantize(amount)
    with transaction.atomic():
        receivable = (
            Receivable.objects.select_for_update()
            .filter(dealer=dealer, erp_number=erp_number)
            .first()
        )
        if receivable is None:
            receivable = (
                Receivable.objects.select_for_update()
                .filter(dealer=dealer, erp_number="", amount=amount)
                .order_by("created_at", "pk")
                .first()
            )
        if receivable is None:
            return None
        receivable.erp_number = erp_number
        if due_date is not None:
            receivable.due_date = due_date
        receivable.save(update_fields=["erp_number", "due_date"])
    return receivable


def receivables_on_delivery(*, shipment: Shipment) -> None:
    """Installments due "after delivery" get their due date when the goods arrive."""
    plan = shipment.order.payment_plan or []
    for receivable in shipment.receivables.filter(due_date__isnull=True):
        step = (
            plan[receivable.installment - 1]
            if receivable.installment <= len(plan)
            else {}
        )
        receivable.due_date = _due_date(
            shipment.order, shipment, "delivery", int(step.get("days", 0))
        )
        receivable.save(update_fields=["due_date"])


def order_close_if_done(*, order: Order) -> bool:
    """An order fully shipped and paid is closed (a document state, set once)."""
    if order.status not in {Order.Status.PLACED, Order.Status.CONFIRMED}:
        return False
    progress = selectors.order_progress(order=order)
    if progress.fulfilment in {"shipped", "delivered"} and progress.payment == "paid":
        order.status = Order.Status.CLOSED
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.CLOSED)
        return True
    return False


def _open_receivables(dealer: Dealer):
    return (
        Receivable.objects.select_for_update()
        .filter(dealer=dealer, open_amount__gt=0)
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def _write_off(
    receivable: Receivable, amount: Decimal, *, source: str, receipt=None, by=None
) -> WriteOff:
    # Every caller holds the row locked and fresh: subtract in Decimal here, never in
    # the database (SQLite would do it in floating point and leave -0.0000000001).
    receivable.open_amount -= amount
    Receivable.objects.filter(pk=receivable.pk).update(
        open_amount=receivable.open_amount
    )
    return WriteOff.objects.create(
        receivable=receivable, receipt=receipt, source=source, amount=amount, by=by
    )


def _apply_prepayment(dealer: Dealer) -> None:
    """Prepayment pays open receivables, oldest due first; a dealer whose money the
    rep allocates by hand (write-off rule "manual") keeps it until the rep does."""
    if dealer.writeoff_rule == Dealer.WriteOffRule.MANUAL:
        return
    balance = selectors.account_balance(
        dealer=dealer, account=AccountMovement.Account.PREPAYMENT
    )
    for receivable in _open_receivables(dealer):
        if balance <= 0:
            break
        amount = min(balance, receivable.open_amount)
        _write_off(receivable, amount, source=WriteOff.Source.PREPAYMENT)
        AccountMovement.objects.create(
            dealer=dealer,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.APPLIED,
            amount=-amount,
            order=receivable.order,
            reference=receivable.number,
        )
        balance -= amount


def _allocations_check(
    *, dealer: Dealer, amount: Decimal, allocations: Iterable[tuple[str, Decimal]]
) -> list[tuple[Receivable, Decimal]]:
    """The receivables the ERP says a receipt pays, locked and checked; raises before
    anything is written."""
    wanted: dict[str, Decimal] = {}
    for number, part in allocations:
        if part <= 0:
            raise InvalidInput(
                _("An allocation must be more than zero."),
                code="invalid_allocation",
                errors=[{"field": "allocations", "message": number}],
            )
        wanted[number] = wanted.get(number, ZERO) + part
    if not wanted:
        return []
    if sum(wanted.values()) > amount:
        raise InvalidInput(
            _("The allocations add up to more than the receipt."),
            code="allocation_exceeds_receipt",
            errors=[{"field": "allocations", "message": "more than the amount"}],
        )
    receivables = {
        r.number: r
        for r in Receivable.objects.select_for_update().filter(
            number__in=wanted, dealer=dealer
        )
    }
    named = []
    for number, part in wanted.items():
        receivable = receivables.get(number)
        if receivable is None:  # unknown, or another dealer's: the same answer
            raise InvalidInput(
                _("No receivable %(number)s for this dealer.") % {"number": number},
                code="invalid_allocation",
                errors=[{"field": "allocations", "message": number}],
            )
        if part > receivable.open_amount:
            raise InvalidInput(
                _("%(amount)s is more than the %(open)s open on %(number)s.")
                % {"amount": part, "open": receivable.open_amount, "number": number},
                code="allocation_exceeds_open",
                errors=[{"field": "allocations", "message": number}],
            )
        named.append((receivable, part))
    return named


def _by_rule(dealer: Dealer, order_number: str):
    """Where unnamed money goes, by the dealer's write-off rule."""
    rule = dealer.writeoff_rule
    if rule == Dealer.WriteOffRule.MANUAL:
        return []
    receivables = _open_receivables(dealer)
    if rule == Dealer.WriteOffRule.PER_ORDER:
        return receivables.filter(order__number=order_number) if order_number else []
    return receivables


@transaction.atomic
def receipt_post(
    *,
    external_id: str,
    dealer: Dealer,
    amount: Decimal,
    date: datetime.date,
    method: str = "",
    allocations: Iterable[tuple[str, Decimal]] = (),
    order_number: str = "",
    by=None,
) -> tuple[Receipt, bool]:
    """Record money received and write it off: first against the receivables the ERP
    names in ``allocations`` (receivable number, amount); the rest by the dealer's
    write-off rule (oldest due first; only the receivables of ``order_number``; or
    held for the rep to allocate); what is left is prepayment. Allocations that name
    another dealer's receivable, exceed its open amount or add up to more than the
    receipt change nothing. The same ``external_id`` again changes nothing."""
    if amount <= 0:
        raise InvalidInput(
            _("A receipt must be more than zero."), code="invalid_amount"
        )
    Dealer.objects.select_for_update().filter(pk=dealer.pk).first()
    existing = Receipt.objects.filter(external_id=external_id).first()
    if existing is not None:
        if existing.dealer_id != dealer.pk or existing.amount != amount:
            raise Conflict(
                _("This receipt id was already used for another receipt."),
                code="replay_mismatch",
            )
        return existing, False
    named = _allocations_check(dealer=dealer, amount=amount, allocations=allocations)
    receipt = Receipt.objects.create(
        external_id=external_id, dealer=dealer, amount=amount, date=date, method=method
    )
    left = amount
    paid_orders = set()
    for receivable, part in named:
        _write_off(
            receivable, part, source=WriteOff.Source.RECEIPT, receipt=receipt, by=by
        )
        paid_orders.add(receivable.order_id)
        left -= part
    for receivable in _by_rule(dealer, order_number):
        if left <= 0:
            break
        part = min(left, receivable.open_amount)
        _write_off(
            receivable, part, source=WriteOff.Source.RECEIPT, receipt=receipt, by=by
        )
        paid_orders.add(receivable.order_id)
        left -= part
    if left > 0:
        AccountMovement.objects.create(
            dealer=dealer,
            account=AccountMovement.Account.PREPAYMENT,
            kind=AccountMovement.Kind.RECEIVED,
            amount=left,
            reference=external_id,
        )
    numbers = []
    for order in Order.objects.filter(pk__in=paid_orders).order_by("pk"):
        order_close_if_done(order=order)
        numbers.append(order.number)
    outbox.announce(
        outbox.Event(
            kind="receipt.posted",
            dealer_ids=(dealer.pk,),
            data={
                "receipt": external_id,
                "amount": money.as_str(amount),
                "orders": numbers,
            },
        )
    )
    return receipt, True


@transaction.atomic
def writeoff_reverse(*, writeoff_id: int, by=None) -> WriteOff:
    """Undo a write-off: a reversal row, the receivable open again, the money back to
    prepayment (to be written off again, elsewhere or later)."""
    writeoff = (
        WriteOff.objects.select_related("receivable").filter(pk=writeoff_id).first()
    )
    if writeoff is None:
        raise NotFound(_("Unknown write-off."), code="unknown_writeoff")
    if writeoff.reversal_of_id is not None or hasattr(writeoff, "reversal"):
        raise Conflict(
            _("This write-off was already reversed."), code="already_reversed"
        )
    receivable = writeoff.receivable
    Dealer.objects.select_for_update().filter(pk=receivable.dealer_id).first()
    Receivable.objects.filter(pk=receivable.pk).update(
        open_amount=F("open_amount") + writeoff.amount
    )
    reversal = WriteOff.objects.create(
        receivable=receivable,
        receipt=writeoff.receipt,
        source=writeoff.source,
        amount=-writeoff.amount,
        reversal_of=writeoff,
        by=by,
    )
    AccountMovement.objects.create(
        dealer_id=receivable.dealer_id,
        account=AccountMovement.Account.PREPAYMENT,
        kind=AccountMovement.Kind.REVERSED,
        amount=writeoff.amount,
        order=receivable.order,
        reference=receivable.number,
    )
    return reversal


@transaction.atomic
def writeoff_from_prepayment(
    *, receivable_number: str, amount: Decimal | None = None, by=None
) -> WriteOff:
    """Finance matches prepayment to one receivable (e.g. redoing a reversed write-off)."""
    receivable = Receivable.objects.filter(number=receivable_number).first()
    if receivable is None:
        raise NotFound(_("Unknown receivable."), code="unknown_receivable")
    dealer = Dealer.objects.select_for_update().get(pk=receivable.dealer_id)
    receivable.refresh_from_db()
    balance = selectors.account_balance(
        dealer=dealer, account=AccountMovement.Account.PREPAYMENT
    )
    amount = min(
        amount if amount is not None else receivable.open_amount,
        receivable.open_amount,
        balance,
    )
    if amount <= 0:
        raise Conflict(
            _("There is no prepayment or nothing open to match."),
            code="nothing_to_match",
        )
    writeoff = _write_off(receivable, amount, source=WriteOff.Source.PREPAYMENT, by=by)
    AccountMovement.objects.create(
        dealer=dealer,
        account=AccountMovement.Account.PREPAYMENT,
        kind=AccountMovement.Kind.APPLIED,
        amount=-amount,
        order=receivable.order,
        reference=receivable.number,
    )
    return writeoff


@transaction.atomic
def statement_respond(
    *,
    dealer: Dealer,
    period_from: datetime.date,
    period_to: datetime.date,
    confirm: bool,
    note: str = "",
    disputed: Iterable[str] = (),
    by=None,
) -> StatementConfirmation:
    """The dealer confirms a statement, or disputes lines with a note (the rep sees it)."""
    if period_from > period_to:
        raise InvalidInput(_("The period starts after it ends."), code="invalid_period")
    disputed = list(disputed)
    if not confirm and not note.strip():
        raise InvalidInput(
            _("Please say what is wrong."),
            code="note_required",
            errors=[{"field": "note", "message": "required"}],
        )
    statement = selectors.statement_get(
        dealer=dealer, period_from=period_from, period_to=period_to
    )
    confirmation = StatementConfirmation.objects.create(
        dealer=dealer,
        period_from=period_from,
        period_to=period_to,
        closing_balance=statement.closing_balance,
        status=StatementConfirmation.Status.CONFIRMED
        if confirm
        else StatementConfirmation.Status.DISPUTED,
        note=note,
        disputed_references=disputed,
        by=by,
    )
    if not confirm:
        outbox.announce(
            outbox.Event(
                kind="statement.disputed",
                dealer_ids=(dealer.pk,),
                data={
                    "from": period_from.isoformat(),
                    "to": period_to.isoformat(),
                    "note": note[:200],
                },
            )
        )
    return confirmation
