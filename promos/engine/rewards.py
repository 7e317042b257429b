"""What each reward type gives for a number of times, cut to fit the budget."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .money import ZERO, ceil_div, largest_within, quantize_money, spread
from .results import AddonOffer, GiftGrant, GiftOption
from .rules import (
    AddonReward,
    AmountOffReward,
    ExpenseCreditReward,
    GiftReward,
    PercentOffReward,
    Rule,
)
from .state import LineState
from .types import GiftProduct

_HUNDRED = Decimal(100)


@dataclass(slots=True)
class Outcome:
    """What applying a reward ``times`` times gives (engine-internal).

    ``times`` is 0 when the budget cannot cover even one time. ``recorded``
    is the number of applications to record (add-ons: only those used), and
    ``per_time`` the cost of one more time (``None`` for once-only rewards).
    """

    times: int
    capped_from: int
    discounts: list[tuple[LineState, Decimal]] = field(default_factory=list)
    gift: GiftGrant | None = None
    gift_cost: Decimal = ZERO
    expense_credit: Decimal = ZERO
    offer: AddonOffer | None = None
    recorded: int | None = None
    per_time: Decimal | None = None

    @property
    def cost(self) -> Decimal:
        """Discount + gift value + expense credit."""
        return (
            sum((d for _, d in self.discounts), ZERO)
            + self.gift_cost
            + self.expense_credit
        )

    @property
    def discount(self) -> Decimal:
        """The discount part of the cost."""
        return sum((d for _, d in self.discounts), ZERO)


@dataclass(frozen=True, slots=True)
class GiftChoice:
    """The dealer's pick for a gift promotion, resolved against its options."""

    index: int | None
    defaulted: bool = False
    declined: bool = False
    invalid: bool = False


def resolve_choice(rule: Rule, choices: Mapping[str, int | None]) -> GiftChoice:
    """Resolve ``gift_choices[rule.code]``: missing or out of range means option 0."""
    if rule.code not in choices:
        return GiftChoice(0, defaulted=True)
    index = choices[rule.code]
    if index is None:
        return GiftChoice(None, declined=True)
    count = len(rule.reward.options) if isinstance(rule.reward, GiftReward) else 0
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count:
        return GiftChoice(index)
    return GiftChoice(0, defaulted=True, invalid=True)


def _fit(cost: Callable[[int], Decimal], cap: int, budget: Decimal | None) -> int:
    if budget is None:
        return cap
    return largest_within(lambda t: cost(t) <= budget, cap)


def _once(cost: Decimal, budget: Decimal | None) -> int:
    return 1 if budget is None or cost <= budget else 0


def gift_options(
    code: str, reward: GiftReward, gifts: Mapping[str, GiftProduct]
) -> tuple[GiftOption, ...]:
    """List a gift promotion's options with stock and unit value.

    Every option's product must be in ``gifts`` (``ValueError`` otherwise).
    """
    options = []
    for index, option in enumerate(reward.options):
        product = gifts.get(option.sku)
        if product is None:
            raise ValueError(f"gift product {option.sku} of {code} missing from gifts")
        value = quantize_money(product.value)
        options.append(
            GiftOption(index, option.sku, option.quantity, product.in_stock, value)
        )
    return tuple(options)


def plan_gift(
    rule: Rule,
    reward: GiftReward,
    cap: int,
    budget: Decimal | None,
    choice: GiftChoice,
    gifts: Mapping[str, GiftProduct],
) -> Outcome:
    """Give the chosen gift ``quantity × times``; a declined gift costs nothing."""
    options = gift_options(rule.code, reward, gifts)
    if choice.index is None:
        per_time = ZERO
        chosen = None
    else:
        chosen = options[choice.index]
        per_time = chosen.value * chosen.quantity
    times = _fit(lambda t: per_time * t, cap, budget)
    grant = GiftGrant(
        promotion=rule.code,
        sku=chosen.sku if chosen else "",
        quantity=chosen.quantity * times if chosen else 0,
        option_index=choice.index,
        defaulted=choice.defaulted,
        declined=choice.declined,
        in_stock=chosen.in_stock if chosen else True,
        options=options,
    )
    return Outcome(
        times, cap, gift=grant, gift_cost=per_time * times, per_time=per_time
    )


def plan_percent(
    reward: PercentOffReward, lines: Sequence[LineState], budget: Decimal | None
) -> Outcome:
    """Percent off, once: per line for scope "lines", spread for scope "order"."""
    nets = [line.net for line in lines]
    if reward.scope == "order":
        shares = spread(sum(nets, ZERO) * reward.percent / _HUNDRED, nets)
    else:
        shares = [quantize_money(net * reward.percent / _HUNDRED) for net in nets]
    times = _once(sum(shares, ZERO), budget)
    discounts = list(zip(lines, shares, strict=True)) if times else []
    return Outcome(times, 1, discounts=discounts)


def plan_amount_off(
    reward: AmountOffReward,
    lines: Sequence[LineState],
    cap: int,
    budget: Decimal | None,
) -> Outcome:
    """``amount × times`` off, at most the lines' net, spread in proportion to net.

    Times beyond those needed to bring the net to zero give nothing and are
    not counted.
    """
    nets = [line.net for line in lines]
    net_total = sum(nets, ZERO)
    useful = max(1, ceil_div(net_total, reward.amount))
    capped = min(cap, useful)

    def cost(t: int) -> Decimal:
        return min(reward.amount * t, net_total)

    times = _fit(cost, capped, budget)
    shares = spread(cost(times), nets)
    discounts = list(zip(lines, shares, strict=True))
    return Outcome(times, capped, discounts=discounts, per_time=reward.amount)


def plan_expense_credit(
    reward: ExpenseCreditReward, lines: Sequence[LineState], budget: Decimal | None
) -> Outcome:
    """Matched net × rate, once, credited on shipment (the net is unchanged)."""
    credit = quantize_money(sum((line.net for line in lines), ZERO) * reward.rate)
    times = _once(credit, budget)
    return Outcome(times, 1, expense_credit=credit if times else ZERO)


def addon_units(line: LineState | None) -> int:
    """Units of an add-on SKU still free to be taken as add-on in this cart."""
    return line.quantity - line.addon_taken if line else 0


def plan_addon(
    rule: Rule,
    reward: AddonReward,
    line: LineState | None,
    cap: int,
    budget: Decimal | None,
) -> Outcome:
    """Per time, up to ``quantity`` units of the add-on SKU at ``price``.

    The discount is (dealer price − add-on price) per unit taken, never
    negative and never more than the line's net. An application is recorded
    only for the times whose units are taken.
    """
    free = addon_units(line)
    per_unit = max(ZERO, line.unit_price - reward.price) if line else ZERO

    def taken(t: int) -> int:
        return min(free, reward.quantity * t)

    def cost(t: int) -> Decimal:
        return min(per_unit * taken(t), line.net) if line else ZERO

    times = _fit(cost, cap, budget)
    units = taken(times)
    offer = AddonOffer(
        rule.code, reward.sku, reward.price, reward.quantity * times, units
    )
    discounts = [(line, cost(times))] if line and units else []
    recorded = ceil_div(units, reward.quantity)
    per_time = per_unit * reward.quantity
    return Outcome(
        times,
        cap,
        discounts=discounts,
        offer=offer,
        recorded=recorded,
        per_time=per_time,
    )
