"""Writes about orders: quote, place, cancel. One transaction each, named by the verb."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import atp
from common import money, outbox
from common.errors import Conflict, Forbidden, InvalidInput
from contracts import evaluation as contract_evaluation
from contracts import selectors as contract_selectors
from contracts import services as contract_services
from dealers.models import Dealer
from orders import selectors
from orders.models import (
    AccountMovement,
    Order,
    OrderEvent,
    OrderLine,
    OrderLineDiscount,
    OrderNumber,
)
from orders.services import money as money_services
from orders.services.agreements import agreement_progress_refresh
from promos import engine
from promos import selectors as promo_selectors
from promos import services as promo_services
from promos.engine.rules import GiftReward
from promos.models import PromotionVersion

ZERO = Decimal("0.00")


# --- Quote ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """The engine's priced cart plus what the order adds: expense credit used and credit."""

    priced: engine.Quote
    inputs: promo_selectors.EvaluationInputs
    expense_credit_used: Decimal
    expense_credit_balance: Decimal
    credit: selectors.Credit
    contract: contract_selectors.ContractCheck | None = None
    # When each goods line could arrive, by SKU (catalog.atp).
    promised: Mapping[str, tuple[atp.Promise, ...]] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.priced.total - self.expense_credit_used

    @property
    def credit_sufficient(self) -> bool:
        return self.total <= self.credit.available

    def to_dict(self) -> dict:
        """The quote as api-v1.md spells it."""
        data = self.priced.to_dict()
        for line in data["lines"]:
            line["promised"] = [
                part.to_dict() for part in self.promised.get(line["sku"], ())
            ]
        data["expense_credit_used"] = money.as_str(self.expense_credit_used)
        data["total"] = money.as_str(self.total)
        data["expense_credit_balance"] = money.as_str(self.expense_credit_balance)
        data["credit"] = {
            "limit": money.as_str(self.credit.limit),
            "available": money.as_str(self.credit.available),
            "sufficient": self.credit_sufficient,
        }
        data["contract"] = self.contract.to_dict() if self.contract else None
        return data


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(
            _("Not an amount of money."),
            code="invalid_amount",
            errors=[{"field": field, "message": "not a decimal"}],
        ) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e11"):
        raise InvalidInput(
            _("Not an amount of money."),
            code="invalid_amount",
            errors=[{"field": field, "message": "must be 0 or more"}],
        )
    return money.quantize(amount)


def _expense_credit(
    dealer: Dealer, requested: Decimal, priced: engine.Quote
) -> tuple[Decimal, Decimal]:
    balance = selectors.account_balance(
        dealer=dealer, account=AccountMovement.Account.EXPENSE_CREDIT
    )
    if requested > balance:
        raise InvalidInput(
            _("You have %(balance)s of expense credit; you asked to use %(requested)s.")
            % {"balance": balance, "requested": requested},
            code="expense_credit_insufficient",
            errors=[
                {"field": "use_expense_credit", "message": "more than the balance"}
            ],
        )
    return min(requested, priced.total), balance


def _contract(
    dealer: Dealer,
    priced: engine.Quote,
    inputs: promo_selectors.EvaluationInputs,
    total: Decimal,
    credit: selectors.Credit,
) -> contract_selectors.ContractCheck | None:
    """Hold the priced cart against the dealer's agreement (合同评估)."""
    paths = {line.item.sku: line.item.category_path for line in inputs.cart.lines}
    return contract_selectors.contract_evaluate(
        dealer=dealer,
        lines=[
            contract_evaluation.Line(
                sku=line.sku,
                category_path=paths.get(line.sku, ()),
                unit_price=line.unit_price,
                quantity=line.quantity,
            )
            for line in priced.lines
        ],
        on=timezone.localdate(inputs.at),
        total=total,
        exposure=credit.limit - credit.available,
    )


def _achievement(dealer: Dealer, at: datetime | None):
    """The dealer's agreement achievement, read only if a promotion's audience asks."""
    return lambda: contract_selectors.achievement_facts(
        dealer=dealer, on=timezone.localdate(at) if at else timezone.localdate()
    )


def order_quote(
    *,
    dealer: Dealer,
    lines: Iterable[tuple[str, int]],
    gift_choices: Mapping[str, int | None] | None = None,
    use_expense_credit: Decimal | str = ZERO,
    at: datetime | None = None,
) -> Quote:
    """Price a cart for a dealer: prices, promotions, gifts, hints, credit. Stores nothing."""
    requested = _money(use_expense_credit, "use_expense_credit")
    priced, inputs = promo_selectors.promotion_quote(
        dealer=dealer,
        lines=lines,
        gift_choices=gift_choices,
        at=at,
        achievement=_achievement(dealer, at),
    )
    used, balance = _expense_credit(dealer, requested, priced)
    credit = selectors.credit_get(dealer=dealer)
    return Quote(
        priced=priced,
        inputs=inputs,
        expense_credit_used=used,
        expense_credit_balance=balance,
        credit=credit,
        contract=_contract(dealer, priced, inputs, priced.total - used, credit),
        promised=selectors.promises_get(
            dealer=dealer,
            lines=[(line.sku, line.quantity) for line in priced.lines],
            now=at,
        ),
    )


# --- Place ------------------------------------------------------------------------------


def request_fingerprint(
    *,
    lines: Iterable[tuple[str, int]],
    gift_choices: Mapping | None,
    use_expense_credit,
    note: str,
) -> str:
    """A digest of what was asked, to tell a replay from a different order with the same key."""
    payload = {
        "lines": sorted([sku, int(qty)] for sku, qty in lines),
        "gift_choices": sorted((gift_choices or {}).items()),
        "use_expense_credit": str(use_expense_credit or "0"),
        "note": note or "",
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Placement:
    order: Order
    created: bool


class QuoteChanged(Conflict):
    """The total the dealer saw is not the total now; carries the fresh quote."""

    code = "quote_changed"


def _replay(dealer: Dealer, idempotency_key: str, fingerprint: str) -> Placement | None:
    existing = Order.objects.filter(
        dealer=dealer, idempotency_key=idempotency_key
    ).first()
    if existing is None:
        return None
    if existing.request_fingerprint != fingerprint:
        raise Conflict(
            _("This request key was already used for a different order."),
            code="idempotency_mismatch",
        )
    return Placement(order=existing, created=False)


def _write_order(
    *,
    dealer: Dealer,
    quote: Quote,
    placed_by,
    idempotency_key: str,
    fingerprint: str,
    note: str,
    source: str,
) -> Order:
    priced, inputs = quote.priced, quote.inputs
    versions = {v.promotion.code: v for v in inputs.versions}
    credit_ok = quote.credit_sufficient
    number = f"SO-{OrderNumber.objects.create().pk:06d}"
    order = Order.objects.create(
        number=number,
        dealer=dealer,
        placed_by=placed_by,
        status=Order.Status.PLACED if credit_ok else Order.Status.CREDIT_HOLD,
        source=source,
        placed_at=inputs.at,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        note=note,
        subtotal=priced.subtotal,
        discount_total=priced.discount_total,
        expense_credit_used=quote.expense_credit_used,
        total=quote.total,
        expense_credit_earned=priced.expense_credit_total,
        unshipped_value=quote.total,  # nothing billed, no expense credit applied yet
        quote=quote.to_dict(),
        agreement_version_id=quote.contract.version_id if quote.contract else None,
    )
    lines = [
        OrderLine(
            order=order,
            product=inputs.products[line.sku],
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            discount=line.discount,
            net_amount=line.net_amount,
            promised_date=atp.latest(quote.promised.get(line.sku, ())),
            estimated_date=atp.latest(quote.promised.get(line.sku, ())),
        )
        for line in priced.lines
    ]
    gift_lines = [
        OrderLine(
            order=order,
            product=inputs.products[gift.sku],
            sku=gift.sku,
            quantity=gift.quantity,
            unit_price=ZERO,
            amount=ZERO,
            net_amount=ZERO,
            is_gift=True,
            gift_version=versions[gift.promotion],
            gift_option=gift.option_index,
            gift_defaulted=gift.defaulted,
        )
        for gift in priced.gifts
        if gift.quantity > 0
    ]
    created = OrderLine.objects.bulk_create(lines + gift_lines)
    by_sku = {line.sku: line for line in created if not line.is_gift}
    OrderLineDiscount.objects.bulk_create(
        [
            OrderLineDiscount(
                line=by_sku[line.sku],
                version=versions[part.promotion],
                amount=part.discount,
            )
            for line in priced.lines
            for part in line.promotions
            if part.discount
        ]
    )
    if quote.expense_credit_used:
        AccountMovement.objects.create(
            dealer=dealer,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind=AccountMovement.Kind.USED,
            amount=-quote.expense_credit_used,
            order=order,
            reference=number,
        )
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.PLACED, by=placed_by)
    data = {"order": number, "total": money.as_str(quote.total)}
    outbox.announce(
        outbox.Event(kind="order.placed", dealer_ids=(dealer.pk,), data=data)
    )
    if not credit_ok:
        OrderEvent.objects.create(
            order=order,
            kind=OrderEvent.Kind.CREDIT_HOLD,
            data={
                "available": money.as_str(quote.credit.available),
                "total": money.as_str(quote.total),
            },
        )
        outbox.announce(
            outbox.Event(
                kind="order.credit_hold",
                dealer_ids=(dealer.pk,),
                data=data,
                critical=True,
            )
        )
    return order


@transaction.atomic
def order_place(
    *,
    dealer: Dealer,
    lines: Iterable[tuple[str, int]],
    idempotency_key: str,
    gift_choices: Mapping[str, int | None] | None = None,
    use_expense_credit: Decimal | str = ZERO,
    expected_total: Decimal | str | None = None,
    note: str = "",
    placed_by=None,
    source: str = Order.Source.PORTAL,
    contract_override: bool = False,
) -> Placement:
    """Place an order: re-evaluate (never trust a client price), charge the promotion
    budgets, reserve credit, write the order. The same ``idempotency_key`` returns the
    first order; over available credit the order waits on ``credit_hold``.

    A blocking contract issue refuses the order (422 ``contract``) unless
    ``contract_override`` is asked by someone with the owning org's authority
    (``placed_by``; None is the integration): the override is recorded.
    """
    lines = list(lines)
    if not idempotency_key or len(idempotency_key) > 100:
        raise InvalidInput(
            _("A request key (1–100 characters) is required."),
            code="idempotency_key_required",
        )
    if placed_by is not None and hasattr(placed_by, "dealer_user"):
        dealer_user = placed_by.dealer_user
        if dealer_user.dealer_id != dealer.pk or not dealer_user.can_order:
            raise Forbidden(
                _("Your role can browse but not order."), code="cannot_order"
            )
    fingerprint = request_fingerprint(
        lines=lines,
        gift_choices=gift_choices,
        use_expense_credit=use_expense_credit,
        note=note,
    )
    # The dealer row lock serialises this dealer's placements: replays, credit and
    # per-dealer promotion limits are decided one at a time.
    dealer = (
        Dealer.objects.select_for_update()
        .select_related("tier", "region", "sales_org")
        .get(pk=dealer.pk)
    )
    replay = _replay(dealer, idempotency_key, fingerprint)
    if replay:
        return replay
    quote = order_quote(
        dealer=dealer,
        lines=lines,
        gift_choices=gift_choices,
        use_expense_credit=use_expense_credit,
    )
    if (
        expected_total is not None
        and _money(expected_total, "expected_total") != quote.total
    ):
        raise QuoteChanged(
            _(
                "The total changed from %(expected)s to %(total)s. Please check the order again."
            )
            % {
                "expected": money.format_money(
                    _money(expected_total, "expected_total")
                ),
                "total": money.format_money(quote.total),
            },
            payload={"quote": quote.to_dict()},
        )
    _contract_gate(quote, contract_override)
    try:
        with transaction.atomic():
            order = _write_order(
                dealer=dealer,
                quote=quote,
                placed_by=placed_by,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                note=note,
                source=source,
            )
            earned = promo_services.earned_from_quote(
                quote=quote.priced, versions=quote.inputs.versions
            )
            promo_services.applications_record(
                dealer=dealer, order_number=order.number, earned=earned
            )
    except promo_services.BudgetChanged:
        # Another order took budget since we read it: re-price with the rows locked.
        quote = _requote_locked(dealer, quote, gift_choices, use_expense_credit)
        if (
            expected_total is not None
            and _money(expected_total, "expected_total") != quote.total
        ):
            raise QuoteChanged(
                _(
                    "The total changed from %(expected)s to %(total)s. Please check the order again."
                )
                % {
                    "expected": money.format_money(
                        _money(expected_total, "expected_total")
                    ),
                    "total": money.format_money(quote.total),
                },
                payload={"quote": quote.to_dict()},
            ) from None
        order = _write_order(
            dealer=dealer,
            quote=quote,
            placed_by=placed_by,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            note=note,
            source=source,
        )
        earned = promo_services.earned_from_quote(
            quote=quote.priced, versions=quote.inputs.versions
        )
        promo_services.applications_record(
            dealer=dealer, order_number=order.number, earned=earned
        )
    except IntegrityError:
        replay = _replay(dealer, idempotency_key, fingerprint)
        if replay:
            return replay
        raise
    if quote.contract is not None and quote.contract.blocking:
        contract_services.contract_override_record(
            check=quote.contract, order_number=order.number, by=placed_by
        )
    return Placement(order=order, created=True)


def _contract_gate(quote: Quote, override: bool) -> None:
    """Refuse an order with blocking contract issues unless it is overridden."""
    if quote.contract is None or not quote.contract.blocking or override:
        return
    issues = quote.contract.to_dict()["issues"]
    raise InvalidInput(
        _("This order does not fit your agreement: %(reasons)s")
        % {"reasons": " ".join(i["message"] for i in issues if i["blocking"])},
        code="contract",
        errors=[
            {"field": "contract", "message": i["message"], "code": i["code"]}
            for i in issues
            if i["blocking"]
        ],
        payload={"contract": quote.contract.to_dict()},
    )


def _requote_locked(
    dealer: Dealer, quote: Quote, gift_choices, use_expense_credit
) -> Quote:
    inputs = quote.inputs
    promotion_ids = [v.promotion_id for v in inputs.versions]
    budgets = promo_services.budgets_lock(promotion_ids=promotion_ids)
    usage = promo_selectors.usage_from_locked(
        versions=inputs.versions,
        budgets=budgets,
        dealer_times=promo_services.dealer_times(
            dealer=dealer, promotion_ids=promotion_ids
        ),
    )
    priced = promo_selectors.evaluate(
        inputs=inputs, usage=usage, gift_choices=gift_choices
    )
    used, balance = _expense_credit(
        dealer, _money(use_expense_credit, "use_expense_credit"), priced
    )
    return Quote(
        priced=priced,
        inputs=inputs,
        expense_credit_used=used,
        expense_credit_balance=balance,
        credit=quote.credit,
        contract=_contract(dealer, priced, inputs, priced.total - used, quote.credit),
    )


# --- Cancel and re-price --------------------------------------------------------------

CANCELLABLE = {Order.Status.PLACED, Order.Status.CREDIT_HOLD, Order.Status.CONFIRMED}


def order_reprice(
    *, order: Order, quantities: dict[str, int] | None = None
) -> tuple[engine.Quote, list[PromotionVersion]]:
    """What the order's remaining quantity (or ``quantities``, e.g. what has shipped)
    earns, under the prices it was placed at and the promotion versions that priced it."""
    lines = list(order.lines.all())
    goods = [line for line in lines if not line.is_gift]
    versions = promo_selectors.applied_versions(order_number=order.number)
    if quantities is None:
        quantities = {line.sku: line.effective_quantity for line in goods}
    remaining = [(sku, n) for sku, n in sorted(quantities.items()) if n > 0]
    if not remaining:
        return engine.Quote(), versions
    gift_choices = {
        line.gift_version.promotion.code: line.gift_option
        for line in lines
        if line.is_gift and line.gift_version_id
    }
    for version in versions:  # a declined gift stays declined
        rule = promo_selectors.rule_of(version)
        if isinstance(rule.reward, GiftReward) and rule.code not in gift_choices:
            gift_choices[rule.code] = None
    inputs = promo_selectors.evaluation_inputs(
        dealer=order.dealer,
        lines=remaining,
        at=order.placed_at,
        prices={line.sku: line.unit_price for line in goods},
        versions=versions,
        achievement=_achievement(order.dealer, order.placed_at),
    )
    unlimited = {
        v.promotion_id: engine.Usage(budget_remaining=None, dealer_times_remaining=None)
        for v in versions
    }
    return promo_selectors.evaluate(
        inputs=inputs, usage=unlimited, gift_choices=gift_choices
    ), versions


def unshipped_value(line: OrderLine) -> Decimal:
    """The line's net value not yet raised as a receivable, while units remain to ship."""
    if line.is_gift or line.open_quantity <= 0:
        return ZERO
    return max(line.net_amount - line.invoiced_amount, ZERO)


def order_unshipped_value(order: Order, goods: Iterable[OrderLine]) -> Decimal:
    """What the order will still bill: the goods still to ship, less the expense credit
    used that no receivable has taken yet (it comes off the next shipments)."""
    to_ship = sum((unshipped_value(line) for line in goods), ZERO)
    return to_ship - (order.expense_credit_used - order.expense_credit_applied)


def expense_credited(order: Order) -> Decimal:
    """Expense credit this order has put on the dealer's account so far (net of claw-backs)."""
    return selectors.money_total(
        AccountMovement.objects.filter(
            order=order,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind__in=[AccountMovement.Kind.EARNED, AccountMovement.Kind.ADJUSTED],
        ),
        "amount",
    )


def _billing_true_up(order: Order, goods: list[OrderLine]) -> Decimal:
    """Bring what was billed in line with what the re-priced order earns, and say by
    how much (positive: the dealer owes more; negative: the dealer is owed).

    A line with nothing left to ship is billed at its net value (a discount or add-on
    price it no longer earns is billed now); a line whose net value fell below what
    was billed is billed down to it. The expense credit used is taken off receivables
    as far as the goods still to ship can no longer take it, and what was taken
    beyond the credit the order keeps is billed back. Afterwards
    ``total == billed + order_unshipped_value`` holds again.
    """
    adjustment = ZERO
    for line in goods:
        if line.open_quantity == 0 or line.net_amount < line.invoiced_amount:
            adjustment += line.net_amount - line.invoiced_amount
            line.invoiced_amount = line.net_amount
    to_ship = sum((unshipped_value(line) for line in goods), ZERO)
    used = order.expense_credit_used
    applied = min(max(order.expense_credit_applied, used - to_ship), used)
    adjustment += order.expense_credit_applied - applied
    order.expense_credit_applied = applied
    return adjustment


def _expense_claw_back(order: Order) -> None:
    """Expense credit already credited beyond what the order now earns is taken back
    (the account may go below zero: later credits make it good)."""
    over = expense_credited(order) - order.expense_credit_earned
    if over > 0:
        AccountMovement.objects.create(
            dealer=order.dealer,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind=AccountMovement.Kind.ADJUSTED,
            amount=-over,
            order=order,
            reference=order.number,
        )


def gift_entitlement_set(line: OrderLine, entitled: int, counter: str) -> None:
    """Lower a gift line's entitlement to ``entitled`` (cancellation or short-close,
    named by ``counter``). Gifts already delivered beyond it become a gift debt; owed
    gifts it no longer covers are forgotten."""
    before = line.effective_quantity
    entitled = min(entitled, before)
    setattr(line, counter, getattr(line, counter) + before - entitled)
    delivered = line.shipped_quantity + line.settled_quantity
    line.debt_quantity += max(delivered - entitled, 0) - max(delivered - before, 0)
    line.owed_quantity = min(line.owed_quantity, max(entitled - delivered, 0))


def apply_reprice(
    *,
    order: Order,
    repriced: engine.Quote,
    versions: list[PromotionVersion],
    counter: str = "cancelled_quantity",
) -> None:
    """Write what a shrunken order now earns: line values, discounts, gifts, totals,
    expense credit; bill (or credit) what goods already shipped no longer earn; give
    back budget and per-dealer applications. The caller saves ``order``."""
    by_code = {v.promotion.code: v for v in versions}
    priced_lines = {line.sku: line for line in repriced.lines}
    gifts_due: dict[tuple[int, str], int] = {}
    for gift in repriced.gifts:
        key = (by_code[gift.promotion].pk, gift.sku)
        gifts_due[key] = gifts_due.get(key, 0) + gift.quantity
    lines = list(OrderLine.objects.select_for_update().filter(order=order))
    OrderLineDiscount.objects.filter(line__order=order).delete()
    discounts = []
    for line in lines:
        if line.is_gift:
            due = gifts_due.get((line.gift_version_id, line.sku), 0)
            gift_entitlement_set(line, due, counter)
        else:
            priced = priced_lines.get(line.sku)
            line.amount = priced.amount if priced else ZERO
            line.discount = priced.discount if priced else ZERO
            line.net_amount = priced.net_amount if priced else ZERO
            for part in priced.promotions if priced else ():
                if part.discount:
                    discounts.append(
                        OrderLineDiscount(
                            line=line,
                            version=by_code[part.promotion],
                            amount=part.discount,
                        )
                    )
    goods = [line for line in lines if not line.is_gift]
    net = sum((line.net_amount for line in goods), ZERO)
    excess_credit = max(order.expense_credit_used - net, ZERO)
    if excess_credit:
        AccountMovement.objects.create(
            dealer=order.dealer,
            account=AccountMovement.Account.EXPENSE_CREDIT,
            kind=AccountMovement.Kind.RETURNED,
            amount=excess_credit,
            order=order,
            reference=order.number,
        )
    order.expense_credit_used -= excess_credit
    adjustment = _billing_true_up(order, goods)
    OrderLine.objects.bulk_update(
        lines,
        [
            "amount",
            "discount",
            "net_amount",
            "invoiced_amount",
            "cancelled_quantity",
            "short_closed_quantity",
            "owed_quantity",
            "debt_quantity",
        ],
    )
    OrderLineDiscount.objects.bulk_create(discounts)
    order.subtotal = sum((line.amount for line in goods), ZERO)
    order.discount_total = sum((line.discount for line in goods), ZERO)
    order.total = net - order.expense_credit_used
    order.expense_credit_earned = repriced.expense_credit_total
    order.unshipped_value = order_unshipped_value(order, goods)
    order.quote = {**order.quote, "repriced": repriced.to_dict()}
    money_services.receivable_adjust(order=order, amount=adjustment)
    _expense_claw_back(order)
    promo_services.applications_revise(
        dealer=order.dealer,
        order_number=order.number,
        earned=promo_services.earned_from_quote(quote=repriced, versions=versions),
    )


def _requested(order: Order, lines: Iterable[tuple[str, int]] | None) -> dict[int, int]:
    """Line id → units to take off the open quantity; all open units when ``lines`` is None."""
    goods = {line.sku: line for line in order.lines.all() if not line.is_gift}
    if lines is None:
        return {
            line.pk: line.open_quantity for line in goods.values() if line.open_quantity
        }
    wanted: dict[int, int] = {}
    errors = []
    for index, (sku, quantity) in enumerate(lines):
        line = goods.get(sku)
        if line is None:
            errors.append(
                {
                    "field": f"lines[{index}].sku",
                    "message": f"{sku} is not a line of this order",
                }
            )
        elif (
            isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0
        ):
            errors.append(
                {
                    "field": f"lines[{index}].quantity",
                    "message": "must be a whole number above 0",
                }
            )
        else:
            wanted[line.pk] = wanted.get(line.pk, 0) + quantity
            if wanted[line.pk] > line.open_quantity:
                errors.append(
                    {
                        "field": f"lines[{index}].quantity",
                        "message": f"only {line.open_quantity} of {sku} are still unshipped",
                    }
                )
    if errors:
        raise Conflict(
            _("That is more than is still unshipped."),
            code="over_cancel",
            errors=errors,
        )
    return wanted


def _lock_order(*, number: str, dealer: Dealer | None) -> Order:
    order = selectors.order_get(number=number, dealer=dealer)
    Dealer.objects.select_for_update().filter(pk=order.dealer_id).first()
    return selectors.order_get(number=number, dealer=dealer)


@transaction.atomic
def order_cancel(
    *,
    number: str,
    dealer: Dealer | None = None,
    lines: Iterable[tuple[str, int]] | None = None,
    by=None,
) -> Order:
    """Cancel unshipped quantity (some lines, or everything still open).

    The order is re-priced on what remains under the versions that priced it; budget and
    per-dealer applications it no longer earns are given back.
    """
    order = _lock_order(number=number, dealer=dealer)
    if by is not None and hasattr(by, "dealer_user") and not by.dealer_user.can_order:
        raise Forbidden(_("Your role can browse but not order."), code="cannot_order")
    if order.status not in CANCELLABLE:
        raise Conflict(
            _("An order that is %(status)s cannot be cancelled.")
            % {"status": order.get_status_display()},
            code="illegal_transition",
        )
    wanted = _requested(order, None if lines is None else list(lines))
    if not wanted:
        raise Conflict(
            _("Nothing on this order is left to cancel."), code="nothing_to_cancel"
        )
    changed = []
    for line in order.lines.all():
        if line.pk in wanted:
            line.cancelled_quantity += wanted[line.pk]
            changed.append(line)
    OrderLine.objects.bulk_update(changed, ["cancelled_quantity"])
    repriced, versions = order_reprice(order=order)
    apply_reprice(order=order, repriced=repriced, versions=versions)
    goods = [line for line in order.lines.all() if not line.is_gift]
    everything_cancelled = all(line.effective_quantity == 0 for line in goods)
    if everything_cancelled:
        order.status = Order.Status.CANCELLED
    order.save()
    kind = (
        OrderEvent.Kind.CANCELLED
        if everything_cancelled
        else OrderEvent.Kind.PARTLY_CANCELLED
    )
    agreement_progress_refresh(dealer_id=order.dealer_id)
    OrderEvent.objects.create(
        order=order,
        kind=kind,
        by=by,
        data={"lines": {line.sku: wanted[line.pk] for line in changed}},
    )
    outbox.announce(
        outbox.Event(
            kind=f"order.{kind}",
            dealer_ids=(order.dealer_id,),
            data={"order": order.number, "total": money.as_str(order.total)},
        )
    )
    return order
