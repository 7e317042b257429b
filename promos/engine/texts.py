"""Sentences a dealer understands, in Chinese (zh-hans) and English.

Every function returns a ``(zh, en)`` pair. Templates are plain constants
filled with ``str.format`` so they can be read (and later translated) as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from .audience import AudienceFailure
from .money import format_money, plain_decimal
from .rules import (
    AddonReward,
    AmountOffReward,
    GiftOptionDef,
    GiftReward,
    ItemSelector,
    PercentOffReward,
    Rule,
)
from .types import GiftProduct, Item

Text = tuple[str, str]
_DEFAULT_UNIT: Text = ("件", "unit")

NEED_QUANTITY = ("{n} {unit} {name}", "{n} more {units} of {name}")
NEED_AMOUNT = ("{name} {money}", "{money} more of {name}")
ADD_MORE = ("再买 {parts}", "Add {parts}")
HINT = ("{need}，{reward}", "{need} {reward}")
GET_GIFT = ("即可获赠 {gift} {n} {unit}", "to get {gift} × {n}")
GET_GIFT_AGAIN = ("即可再获赠 {gift} {n} {unit}", "for 1 more gift ({gift} × {n})")
GET_PERCENT = ("即可享受 {percent}% 优惠", "to get {percent}% off")
GET_ORDER_PERCENT = (
    "即可享受整单 {percent}% 优惠",
    "to get {percent}% off the whole order",
)
GET_AMOUNT = ("即可立减 {money}", "to get {money} off")
GET_AMOUNT_AGAIN = ("即可再减 {money}", "for {money} more off")
GET_ADDON = (
    "即可以 {price} 加购 {n} {unit} {name}",
    "to buy {n} {units} of {name} at {price} each",
)
GET_ADDON_AGAIN = (
    "即可再以 {price} 加购 {n} {unit} {name}",
    "to buy {n} more {units} of {name} at {price} each",
)
GET_CREDIT = ("即可获得 {percent}% 费用支持", "to earn {percent}% expense support")
ADDON_OFFER = (
    "可以 {price} 的价格加购 {n} {unit} {name}",
    "You can add {n} {units} of {name} at {price} each",
)
EXCLUSIVE = (
    "这些商品已参加独享促销 {codes}，不能同时参加本促销",
    "These items are already in exclusive promotion {codes}, which cannot be combined",
)
BUDGET = ("本促销预算已用完", "This promotion's budget is used up")
DEALER_LIMIT = (
    "您已达到本促销的参与次数上限",
    "You have reached your limit for this promotion",
)
BUDGET_CUT = (
    "受预算限制，本单只能享受 {times} 次（已满足 {earned} 次）",
    "The budget allows only {times} of the {earned} times earned",
)
DEALER_LIMIT_CUT = (
    "受参与次数上限限制，本单只能享受 {times} 次（已满足 {earned} 次）",
    "Your limit allows only {times} of the {earned} times earned",
)
INVALID_CHOICE = (
    "所选赠品选项无效，已改为默认赠品 {gift}",
    "The chosen gift option does not exist; the default gift {gift} is used",
)
AUDIENCE_TIER = ("仅限 {values} 等级的经销商", "Only for dealers of tier {values}")
AUDIENCE_REGION = ("仅限 {values} 地区的经销商", "Only for dealers in region {values}")
AUDIENCE_TENURE = (
    "仅限合作满 {years} 年的经销商",
    "Only for dealers who have been customers for at least {years} years",
)
AUDIENCE_HISTORY = (
    "需近 {days} 天内采购 {name} 满 {target}",
    "Requires purchases of {target} of {name} in the last {days} days",
)
AUDIENCE_AGREEMENT = (
    "需完成年度协议 {name} 目标的 {percent}%",
    "Requires {percent}% of this year's agreement target for {name}",
)
HISTORY_AMOUNT = ("{money}", "at least {money}")
HISTORY_QUANTITY = ("{n} 件", "at least {n} units")
AUDIENCE_OTHER = ("您不在本促销的适用范围内", "This promotion is not available to you")


def fill(template: Text, **values: object) -> Text:
    """Fill both languages of a template with the same values."""
    return template[0].format(**values), template[1].format(**values)


def plural(word: str, n: int | Decimal) -> str:
    """Return a naive English plural of a unit word when ``n`` is not 1."""
    if n == 1 or not word.isalpha() or word.endswith("s"):
        return word
    if word.endswith(("x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _either(names: Sequence[str], separator: str, last: str) -> str:
    """Join names as alternatives: "A, B or C" / "A、B或C"."""
    if len(names) <= 1:
        return "".join(names)
    return separator.join(names[:-1]) + last + names[-1]


class Namer:
    """Names of SKUs, categories and units, from the cart, the gifts and a names map."""

    def __init__(
        self,
        items: Mapping[str, Item],
        gifts: Mapping[str, GiftProduct],
        names: Mapping[str, tuple[str, str]],
    ) -> None:
        """Keep the lookups; ``names`` maps other codes to (zh, en) names."""
        self._items, self._gifts, self._names = items, gifts, names

    def _item(self, sku: str | None) -> Item | None:
        if sku is None:
            return None
        item = self._items.get(sku)
        if item is None and sku in self._gifts:
            item = self._gifts[sku].item
        return item

    def name(self, code: str) -> Text:
        """Return the (zh, en) name of a SKU or category code, else the code itself."""
        item = self._item(code)
        if item is not None:
            return item.name, item.name_en
        return self._names.get(code, (code, code))

    def tier(self, code: str) -> Text:
        """Return the (zh, en) name of a dealer tier (``tier:<code>``), else the code."""
        return self._names.get(f"tier:{code}", (code, code))

    def region(self, code: str) -> Text:
        """Return the (zh, en) name of a region (``region:<code>``), else the code."""
        return self._names.get(f"region:{code}", (code, code))

    def unit(self, sku: str | None) -> Text:
        """Return the (zh, en) unit of a SKU, else a generic "unit"."""
        item = self._item(sku)
        return (item.unit, item.unit_en) if item else _DEFAULT_UNIT

    def selector(self, selector: ItemSelector) -> Text:
        """Name what a selector picks: "Tea A or Category B"."""
        if selector.matches_all:
            return "任意商品", "any products"
        names = [self.name(code) for code in (*selector.skus, *selector.categories)]
        return (
            _either([zh for zh, _ in names], "、", " 或 "),
            _either([en for _, en in names], ", ", " or "),
        )


def need_quantity(
    namer: Namer, selector: ItemSelector, n: int, sku: str | None
) -> Text:
    """Phrase "3 more cases of Tea A" (``sku`` gives the unit when not a single SKU)."""
    unit_sku = (
        selector.skus[0] if len(selector.skus) == 1 and not selector.categories else sku
    )
    unit_zh, unit_en = namer.unit(unit_sku)
    name_zh, name_en = namer.selector(selector)
    zh = NEED_QUANTITY[0].format(n=n, unit=unit_zh, name=name_zh)
    en = NEED_QUANTITY[1].format(n=n, units=plural(unit_en, n), name=name_en)
    return zh, en


def need_amount(namer: Namer, selector: ItemSelector, amount: Decimal) -> Text:
    """Phrase "¥500.00 more of Tea A"."""
    name_zh, name_en = namer.selector(selector)
    money = format_money(amount)
    return (
        NEED_AMOUNT[0].format(name=name_zh, money=money),
        NEED_AMOUNT[1].format(name=name_en, money=money),
    )


def add_more(parts: Sequence[Text]) -> Text:
    """Sentence "Add 3 more cases of Tea A and 1 more case of Tea B"."""
    return (
        ADD_MORE[0].format(parts="、".join(zh for zh, _ in parts)),
        ADD_MORE[1].format(parts=" and ".join(en for _, en in parts)),
    )


def hint(need: Text, reward: Text) -> Text:
    """Join what is missing and what it brings: "Add 3 … to get …"."""
    return (
        HINT[0].format(need=need[0], reward=reward[0]),
        HINT[1].format(need=need[1], reward=reward[1]),
    )


def reward_phrase(
    rule: Rule, namer: Namer, option: GiftOptionDef | None, *, again: bool
) -> Text:
    """Phrase what (one more time of) the reward gives: "to get Cup × 1"."""
    reward = rule.reward
    if isinstance(reward, GiftReward):
        chosen = option or reward.options[0]
        gift_zh, gift_en = namer.name(chosen.sku)
        unit_zh = namer.unit(chosen.sku)[0]
        zh = (GET_GIFT_AGAIN if again else GET_GIFT)[0]
        en = (GET_GIFT_AGAIN if again else GET_GIFT)[1]
        return (
            zh.format(gift=gift_zh, n=chosen.quantity, unit=unit_zh),
            en.format(gift=gift_en, n=chosen.quantity),
        )
    if isinstance(reward, PercentOffReward):
        template = GET_ORDER_PERCENT if reward.scope == "order" else GET_PERCENT
        return fill(template, percent=plain_decimal(reward.percent))
    if isinstance(reward, AmountOffReward):
        template = GET_AMOUNT_AGAIN if again else GET_AMOUNT
        return fill(template, money=format_money(reward.amount))
    if isinstance(reward, AddonReward):
        template = GET_ADDON_AGAIN if again else GET_ADDON
        return addon_phrase(template, namer, reward.sku, reward.quantity, reward.price)
    return fill(GET_CREDIT, percent=plain_decimal(reward.rate * 100))


def addon_phrase(
    template: Text, namer: Namer, sku: str, n: int, price: Decimal
) -> Text:
    """Fill an add-on template: ``n`` units of ``sku`` at ``price`` each."""
    name_zh, name_en = namer.name(sku)
    unit_zh, unit_en = namer.unit(sku)
    money = format_money(price)
    return (
        template[0].format(n=n, unit=unit_zh, name=name_zh, price=money),
        template[1].format(n=n, units=plural(unit_en, n), name=name_en, price=money),
    )


def audience_text(failures: Sequence[AudienceFailure], namer: Namer) -> Text:
    """Explain the failed audience criteria, one clause each."""
    clauses: list[Text] = []
    for failure in failures:
        detail = failure.detail
        if failure.criterion == "tier":
            clauses.append(_named(AUDIENCE_TIER, detail["required"], namer.tier))
        elif failure.criterion == "region":
            clauses.append(_named(AUDIENCE_REGION, detail["required"], namer.region))
        elif failure.criterion == "tenure":
            clauses.append(fill(AUDIENCE_TENURE, years=detail["required_years"]))
        elif failure.criterion == "history":
            clauses.append(_history_clause(detail, namer))
        elif failure.criterion == "agreement":
            clauses.append(_agreement_clause(detail, namer))
    if not clauses:
        clauses.append(AUDIENCE_OTHER)
    return "；".join(zh for zh, _ in clauses), "; ".join(en for _, en in clauses)


def _named(template: Text, codes: Sequence[str], name) -> Text:
    """Fill ``template`` with the names of ``codes`` in each language."""
    names = [name(code) for code in codes]
    return (
        template[0].format(values="、".join(zh for zh, _ in names)),
        template[1].format(values=", ".join(en for _, en in names)),
    )


def _agreement_clause(detail: Mapping[str, object], namer: Namer) -> Text:
    code = detail["category"]
    name_zh, name_en = namer.name(str(code)) if code else ("全部产品", "all products")
    percent = plain_decimal(Decimal(str(detail["min_percent"])))
    return (
        AUDIENCE_AGREEMENT[0].format(name=name_zh, percent=percent),
        AUDIENCE_AGREEMENT[1].format(name=name_en, percent=percent),
    )


def _history_clause(detail: Mapping[str, object], namer: Namer) -> Text:
    name_zh, name_en = namer.name(str(detail["code"]))
    targets: list[Text] = []
    if detail["min_amount"] is not None:
        money = format_money(Decimal(str(detail["min_amount"])))
        targets.append(fill(HISTORY_AMOUNT, money=money))
    if detail["min_quantity"] is not None:
        targets.append(fill(HISTORY_QUANTITY, n=detail["min_quantity"]))
    targets_zh = [zh for zh, _ in targets]
    targets_en = [en for _, en in targets]
    days = detail["window_days"]
    return (
        AUDIENCE_HISTORY[0].format(
            days=days, name=name_zh, target="、".join(targets_zh)
        ),
        AUDIENCE_HISTORY[1].format(
            days=days, name=name_en, target=" and ".join(targets_en)
        ),
    )
