"""Why a promotion did not apply, and what to add to get it (reasons, hints, notes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import texts
from .audience import AudienceFailure
from .conditions import (
    Measure,
    at_least_half,
    earned_times,
    matched,
    measure,
    pick,
    shortfalls,
    targets,
    weakest,
)
from .money import ceil_div, money_str
from .results import AddonOffer, Hint, NotApplied, Note
from .rewards import resolve_choice
from .rules import GiftOptionDef, GiftReward, Rule
from .state import LineState


class Explainer:
    """Collects the reasons, hints and notes of one evaluation, in both languages."""

    def __init__(self, namer: texts.Namer, choices: Mapping[str, int | None]) -> None:
        """Name things with ``namer``; read gift picks from ``choices``."""
        self.namer, self.choices = namer, choices
        self.refused: list[NotApplied] = []
        self.hints: list[Hint] = []
        self.notes: list[Note] = []

    def refuse(
        self, rule: Rule, reason: str, message: texts.Text, detail: dict[str, Any]
    ) -> None:
        """Record that ``rule`` did not apply, with a reason code and a sentence."""
        self.refused.append(NotApplied(rule.code, reason, *message, detail))

    def note(self, rule: Rule, kind: str, message: texts.Text) -> None:
        """Record something the dealer should know about an applied promotion."""
        self.notes.append(Note(rule.code, kind, *message))

    def audience(self, rule: Rule, failures: Sequence[AudienceFailure]) -> None:
        """Explain the audience criteria the dealer fails (tier, region, ...)."""
        detail = {
            "criterion": failures[0].criterion,
            "failures": [{"criterion": f.criterion, **f.detail} for f in failures],
        }
        message = texts.audience_text(failures, self.namer)
        self.refuse(rule, "audience", message, detail)

    def unmet(
        self,
        rule: Rule,
        lines: Sequence[LineState],
        visible: Sequence[LineState],
        excluded: Mapping[str, int],
    ) -> None:
        """Explain a condition not met: lines taken by an exclusive, or what is missing.

        ``lines`` are all the cart's lines, ``visible`` those no exclusive promotion
        took; a promotion at least half-way also gets a hint.
        """
        condition = rule.condition
        everything = pick(condition, lines)
        taken_by = sorted({x.claimed_by for x in targets(everything) if x.claimed_by})
        if taken_by and earned_times(
            condition, measure(condition, everything, excluded), rule.repeat
        ):
            message = texts.fill(texts.EXCLUSIVE, codes=", ".join(taken_by))
            self.refuse(rule, "exclusive", message, {"taken_by": taken_by})
            return
        measures = measure(condition, pick(condition, visible), excluded)
        shorts = shortfalls(condition, measures, 1)
        key = "amount" if condition.type == "amount" else "quantity"
        missing = [
            {"component": i, key: money_str(m) if key == "amount" else m}
            for i, m in shorts
        ]
        message = texts.add_more(self._needs(rule, visible, shorts))
        self.refuse(rule, "condition", message, {"missing": missing})
        if at_least_half(condition, measures):
            reward = texts.reward_phrase(
                rule, self.namer, self._option(rule), again=False
            )
            self._hint(rule, visible, measures, shorts, reward)

    def next_time(
        self,
        rule: Rule,
        times: int,
        measures: Sequence[Measure],
        visible: Sequence[LineState],
    ) -> None:
        """Hint at one more time of an applied promotion, if within reach.

        Within reach: every component short of (times + 1) mins misses at most
        half its min.
        """
        shorts = shortfalls(rule.condition, measures, times + 1)
        components = rule.condition.components
        if shorts and all(2 * m <= components[i].min for i, m in shorts):
            reward = texts.reward_phrase(
                rule, self.namer, self._option(rule), again=True
            )
            self._hint(rule, visible, measures, shorts, reward)

    def addon_offer(self, rule: Rule, offer: AddonOffer) -> None:
        """Hint at earned add-on units the dealer has not put in the cart yet."""
        n = offer.quantity_earned - offer.quantity_taken
        message = texts.addon_phrase(
            texts.ADDON_OFFER, self.namer, offer.sku, n, offer.price
        )
        self.hints.append(Hint(rule.code, *message, n, None, offer.sku))

    def invalid_choice(self, rule: Rule, sku: str) -> None:
        """Note that an out-of-range gift choice fell back to the first option."""
        name_zh, name_en = self.namer.name(sku)
        message = (
            texts.INVALID_CHOICE[0].format(gift=name_zh),
            texts.INVALID_CHOICE[1].format(gift=name_en),
        )
        self.note(rule, "invalid_gift_choice", message)

    def _needs(
        self,
        rule: Rule,
        visible: Sequence[LineState],
        shorts: Sequence[tuple[int, Measure]],
    ) -> list[texts.Text]:
        parts = []
        for i, missing in shorts:
            items = rule.condition.components[i].items
            if rule.condition.type == "amount":
                parts.append(texts.need_amount(self.namer, items, missing))
            else:
                sku = self._suggest(rule, i, visible)
                parts.append(texts.need_quantity(self.namer, items, missing, sku))
        return parts

    def _hint(
        self,
        rule: Rule,
        visible: Sequence[LineState],
        measures: Sequence[Measure],
        shorts: Sequence[tuple[int, Measure]],
        reward: texts.Text,
    ) -> None:
        # The weakest component (always among the short ones) drives the "+N".
        index = weakest(rule.condition, measures)
        missing = dict(shorts)[index]
        sku = self._suggest(rule, index, visible)
        message = texts.hint(texts.add_more(self._needs(rule, visible, shorts)), reward)
        if rule.condition.type != "amount":
            self.hints.append(Hint(rule.code, *message, int(missing), None, sku))
            return
        line = next((x for x in visible if x.sku == sku), None)
        units = None
        if line is not None and line.net > 0:
            units = ceil_div(missing * line.quantity, line.net)
        self.hints.append(Hint(rule.code, *message, units, missing, sku))

    def _suggest(
        self, rule: Rule, index: int, visible: Sequence[LineState]
    ) -> str | None:
        """The component's SKU in the cart with the most units, else a SKU it names."""
        items = rule.condition.components[index].items
        picked = matched(items, visible)
        if picked:
            return max(picked, key=lambda line: line.quantity).sku
        if items.skus:
            return items.skus[0]
        named = sorted({s for c in rule.condition.components for s in c.items.skus})
        return named[0] if named else None

    def _option(self, rule: Rule) -> GiftOptionDef | None:
        if not isinstance(rule.reward, GiftReward):
            return None
        return rule.reward.options[resolve_choice(rule, self.choices).index or 0]
