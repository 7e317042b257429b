"""Evaluate promotions against a cart: the engine's one entry point, ``evaluate``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from . import texts
from .audience import audience_failures, is_visible
from .conditions import NOTHING_EXCLUDED, Picks, earned_times, measure, pick, targets
from .explain import Explainer
from .money import ZERO, largest_within, money_str
from .results import (
    AddonOffer,
    AppliedPromotion,
    GiftGrant,
    LineDiscount,
    Quote,
    QuoteLine,
)
from .rewards import (
    Outcome,
    addon_units,
    plan_addon,
    plan_amount_off,
    plan_expense_credit,
    plan_gift,
    plan_percent,
    resolve_choice,
)
from .rules import AddonReward, AmountOffReward, GiftReward, PercentOffReward, Rule
from .state import LineState, build_lines
from .types import Candidate, Cart, DealerContext, GiftProduct

_EMPTY: Mapping = MappingProxyType({})
Exclusion = Callable[[int], Mapping[str, int]]


def evaluate(
    *,
    cart: Cart,
    dealer: DealerContext,
    candidates: Sequence[Candidate],
    gifts: Mapping[str, GiftProduct],
    at: datetime,
    gift_choices: Mapping[str, int | None] = _EMPTY,
    names: Mapping[str, tuple[str, str]] = _EMPTY,
) -> Quote:
    """Price ``cart`` for ``dealer`` at ``at`` with the promotions in ``candidates``.

    Candidates outside their window, not touching the cart (unless order
    scope), or repeating a code (the highest version wins) are ignored. The
    rest apply by priority (higher first), then earlier start, then code;
    order-scope percent_off rewards come last. ``gifts`` must hold the product
    of every gift option; ``gift_choices`` maps a promotion code to an option
    index, or None to decline; ``names`` maps category (or SKU) codes to
    (zh, en) names for the sentences. ``at`` must be aware; pass it in the
    dealer's local time zone, since tenure is counted on ``at.date()``. The
    result does not depend on the order of the cart's lines or of the
    candidates.
    """
    if at.utcoffset() is None:
        raise ValueError("at must be an aware datetime")
    lines = build_lines(cart)
    namer = texts.Namer({line.sku: line.item for line in lines}, gifts, names)
    run = _Run(lines, dealer, gifts, at.date(), Explainer(namer, gift_choices))
    chosen = _candidates(candidates, lines, at)
    for candidate in chosen:
        if not candidate.rule.is_order_discount:
            run.consider(candidate)
    for candidate in chosen:
        if candidate.rule.is_order_discount:
            run.consider(candidate)
    return run.quote()


def _candidates(
    candidates: Sequence[Candidate], lines: Sequence[LineState], at: datetime
) -> list[Candidate]:
    """The candidates in window that touch the cart, one per code, in apply order."""
    skus = {line.sku for line in lines}
    categories = {code for line in lines for code in line.item.category_path}
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        rule = candidate.rule
        touches = (
            rule.is_order_scope
            or not rule.touched_skus.isdisjoint(skus)
            or not rule.touched_categories.isdisjoint(categories)
        )
        if not touches or not rule.in_window(at):
            continue
        kept = best.get(rule.code)
        if kept is None or candidate.version > kept.version:
            best[rule.code] = candidate
    return sorted(
        best.values(), key=lambda c: (-c.rule.priority, c.rule.starts_at, c.rule.code)
    )


class _Run:
    """One evaluation: the line state and everything the quote will report."""

    def __init__(
        self,
        lines: list[LineState],
        dealer: DealerContext,
        gifts: Mapping[str, GiftProduct],
        on: date,
        explain: Explainer,
    ) -> None:
        self.lines, self.dealer, self.gifts, self.on = lines, dealer, gifts, on
        self.explain = explain
        self.applied: list[AppliedPromotion] = []
        self.gifts_given: list[GiftGrant] = []
        self.offers: list[AddonOffer] = []

    def consider(self, candidate: Candidate) -> None:
        """Apply one candidate, or record why it did not apply."""
        rule, usage = candidate.rule, candidate.usage
        failures = audience_failures(rule.audience, self.dealer, self.on)
        if failures:
            # A dealer never learns of deals for other orgs or named dealers.
            if is_visible(rule.audience, self.dealer):
                self.explain.audience(rule, failures)
            return
        times_left, budget = usage.dealer_times_remaining, usage.budget_remaining
        if times_left is not None and times_left <= 0:
            detail = {"dealer_times_remaining": 0}
            self.explain.refuse(rule, "dealer_limit", texts.DEALER_LIMIT, detail)
            return
        if budget is not None and budget <= 0:
            detail = {"budget_remaining": money_str(budget)}
            self.explain.refuse(rule, "budget", texts.BUDGET, detail)
            return
        visible = [line for line in self.lines if line.claimed_by is None]
        picks = pick(rule.condition, visible)
        exclusion = self._exclusion(rule, visible)
        earned = self._earned(rule, picks, exclusion)
        if not earned:
            self.explain.unmet(rule, self.lines, visible, exclusion(1))
            return
        order_cap = min(earned, rule.max_applications_per_order or earned)
        cap = order_cap if times_left is None else min(order_cap, times_left)
        matched_lines = targets(picks)
        outcome = self._plan(rule, matched_lines, visible, cap, budget)
        if outcome.times == 0:
            detail = {"budget_remaining": money_str(budget)}
            self.explain.refuse(rule, "budget", texts.BUDGET, detail)
            return
        if cap < order_cap:
            message = texts.fill(texts.DEALER_LIMIT_CUT, times=cap, earned=order_cap)
            self.explain.note(rule, "dealer_limit_cut", message)
        if outcome.times < outcome.capped_from:
            message = texts.fill(texts.BUDGET_CUT, times=outcome.times, earned=cap)
            self.explain.note(rule, "budget_cut", message)
        # Hint first: the condition is measured before this promotion's own discount.
        excluded = exclusion(outcome.times)
        self._hint_more(candidate, outcome, earned, picks, visible, excluded)
        self._record(candidate, outcome, matched_lines, visible)

    def _exclusion(self, rule: Rule, visible: Sequence[LineState]) -> Exclusion:
        """Add-on units taken for ``t`` times, which the condition must not count."""
        reward = rule.reward
        if not isinstance(reward, AddonReward):
            return lambda t: NOTHING_EXCLUDED
        free = addon_units(next((x for x in visible if x.sku == reward.sku), None))
        return lambda t: {reward.sku: min(free, reward.quantity * t)} if free else {}

    def _earned(self, rule: Rule, picks: Picks, exclusion: Exclusion) -> int:
        """Times the condition earns, before any cap."""
        condition, repeat = rule.condition, rule.repeat
        earned = earned_times(condition, measure(condition, picks), repeat)
        if not earned or not isinstance(rule.reward, AddonReward):
            return earned
        # The largest t still earned once the add-on units of t times are left out.
        return largest_within(
            lambda t: (
                earned_times(condition, measure(condition, picks, exclusion(t)), repeat)
                >= t
            ),
            earned,
        )

    def _plan(
        self,
        rule: Rule,
        matched_lines: list[LineState],
        visible: list[LineState],
        cap: int,
        budget: Decimal | None,
    ) -> Outcome:
        reward = rule.reward
        if isinstance(reward, GiftReward):
            choice = resolve_choice(rule, self.explain.choices)
            return plan_gift(rule, reward, cap, budget, choice, self.gifts)
        if isinstance(reward, PercentOffReward):
            lines = visible if reward.scope == "order" else matched_lines
            return plan_percent(reward, lines, budget)
        if isinstance(reward, AmountOffReward):
            return plan_amount_off(reward, matched_lines, cap, budget)
        if isinstance(reward, AddonReward):
            line = next((x for x in visible if x.sku == reward.sku), None)
            return plan_addon(rule, reward, line, cap, budget)
        return plan_expense_credit(reward, matched_lines, budget)

    def _record(
        self,
        candidate: Candidate,
        outcome: Outcome,
        matched_lines: list[LineState],
        visible: list[LineState],
    ) -> None:
        """Give the discounts, list the gift and offer, claim lines if exclusive."""
        rule = candidate.rule
        if outcome.offer is not None:
            self.offers.append(outcome.offer)
        if outcome.gift is not None:
            self.gifts_given.append(outcome.gift)
            if resolve_choice(rule, self.explain.choices).invalid:
                self.explain.invalid_choice(rule, outcome.gift.sku)
        times = outcome.times if outcome.recorded is None else outcome.recorded
        if not times:
            return
        for line, discount in outcome.discounts:
            line.give(rule.code, discount)
            if outcome.offer is not None:
                line.addon_taken += outcome.offer.quantity_taken
        self.applied.append(
            AppliedPromotion(
                promotion=rule.code,
                version=candidate.version,
                times=times,
                discount=outcome.discount,
                gift_cost=outcome.gift_cost,
                expense_credit=outcome.expense_credit,
                exclusive=rule.exclusive,
            )
        )
        if rule.exclusive:
            claimed = visible if rule.is_order_discount else matched_lines
            for line in [*claimed, *(line for line, _ in outcome.discounts)]:
                line.claimed_by = rule.code

    def _hint_more(
        self,
        candidate: Candidate,
        outcome: Outcome,
        earned: int,
        picks: Picks,
        visible: list[LineState],
        excluded: Mapping[str, int],
    ) -> None:
        """Hint at add-on units still to take, or at one more time within reach."""
        rule, usage = candidate.rule, candidate.usage
        offer = outcome.offer
        if offer is not None and offer.quantity_taken < offer.quantity_earned:
            self.explain.addon_offer(rule, offer)
            return
        times, most = outcome.times, rule.max_applications_per_order
        left, budget = usage.dealer_times_remaining, usage.budget_remaining
        blocked = (
            not rule.repeat
            or outcome.per_time is None
            or (outcome.gift is not None and outcome.gift.declined)
            or times < earned
            or (most is not None and times >= most)
            or (left is not None and times >= left)
            or (budget is not None and budget - outcome.cost < outcome.per_time)
        )
        if not blocked:
            measures = measure(rule.condition, picks, excluded)
            self.explain.next_time(rule, times, measures, visible)

    def quote(self) -> Quote:
        """Assemble the quote from the final line state."""
        lines = tuple(
            QuoteLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                discount=line.discount,
                net_amount=line.net,
                promotions=tuple(LineDiscount(c, d) for c, d in line.given.items()),
            )
            for line in self.lines
        )
        subtotal = sum((line.amount for line in lines), ZERO)
        discount_total = sum((line.discount for line in lines), ZERO)
        return Quote(
            lines=lines,
            gifts=tuple(self.gifts_given),
            applied=tuple(self.applied),
            addon_offers=tuple(self.offers),
            not_applied=tuple(self.explain.refused),
            hints=tuple(self.explain.hints),
            notes=tuple(self.explain.notes),
            subtotal=subtotal,
            discount_total=discount_total,
            expense_credit_total=sum((a.expense_credit for a in self.applied), ZERO),
            total=subtotal - discount_total,
        )
