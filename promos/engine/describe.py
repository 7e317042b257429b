"""A promotion in plain words, for sales managers approving it and dealers reading it.

"Buy 10 units of Tea A, get Tea cup × 1; repeats up to 5 times per order; for
dealers of tier gold who have been customers for at least 3 years in EAST-SH."
"""

from __future__ import annotations

from collections.abc import Mapping

from .money import format_money, plain_decimal
from .rules import (
    AddonReward,
    AmountOffReward,
    ExpenseCreditReward,
    GiftReward,
    PercentOffReward,
    Rule,
)
from .texts import Namer, Text, plural

BUY = ("买 {parts}", "Buy {parts}")
QUANTITY_OF = ("{n} {unit} {name}", "{n} {units} of {name}")
AMOUNT_OF = ("{name} 满 {money}", "{money} of {name}")
JOIN = ("，", ", ")
GIFT = ("送 {gift} {n} {unit}", "get {gift} × {n}")
GIFT_OR = ("（或 {others}）", " (or {others})")
PERCENT = ("享 {percent}% 优惠", "get {percent}% off those items")
ORDER_PERCENT = ("整单享 {percent}% 优惠", "get {percent}% off the whole order")
AMOUNT = ("立减 {money}", "get {money} off")
ADDON = (
    "可以 {price} 加购 {n} {unit} {name}",
    "buy {n} {units} of {name} at {price} each",
)
CREDIT = (
    "按金额的 {percent}% 获得费用支持（发货时入账）",
    "earn {percent}% of the amount as expense support (credited on shipment)",
)
REPEATS = ("每满一次送一次", "repeats for every multiple")
REPEATS_CAP = ("每单最多 {n} 次", "up to {n} times per order")
ONCE = ("每单一次", "once per order")
EXCLUSIVE = ("独享，不与其他促销同享", "exclusive: not combined with other promotions")
FOR_TIERS = ("{values} 等级", "tier {values}")
FOR_REGIONS = ("{values} 地区", "region {values}")
FOR_TENURE = ("合作满 {years} 年", "customers for at least {years} years")
FOR_ORGS = ("{values} 的经销商", "dealers in {values}")
FOR_DEALERS = ("指定经销商", "named dealers")
FOR_HISTORY = (
    "近 {days} 天采购 {name} 满 {target}",
    "bought {target} of {name} in the last {days} days",
)
FOR_AGREEMENT = (
    "年度协议 {name} 完成 {percent}%",
    "{percent}% of this year's agreement target for {name}",
)
FOR = ("适用：{parts}", "for {parts}")
LIMIT_BUDGET = ("预算 {money}", "budget {money}")
LIMIT_DEALER = ("每个经销商最多 {n} 次", "at most {n} times per dealer")


def _condition(rule: Rule, namer: Namer) -> Text:
    parts = []
    for component in rule.condition.components:
        name_zh, name_en = namer.selector(component.items)
        if rule.condition.type == "amount":
            money = format_money(component.min)
            parts.append(
                (
                    AMOUNT_OF[0].format(name=name_zh, money=money),
                    AMOUNT_OF[1].format(name=name_en, money=money),
                )
            )
        else:
            unit_sku = (
                component.items.skus[0] if len(component.items.skus) == 1 else None
            )
            unit_zh, unit_en = namer.unit(unit_sku)
            n = int(component.min)
            parts.append(
                (
                    QUANTITY_OF[0].format(n=n, unit=unit_zh, name=name_zh),
                    QUANTITY_OF[1].format(n=n, units=plural(unit_en, n), name=name_en),
                )
            )
    return (
        BUY[0].format(parts=" + ".join(zh for zh, _ in parts)),
        BUY[1].format(parts=" and ".join(en for _, en in parts)),
    )


def _reward(rule: Rule, namer: Namer) -> Text:
    reward = rule.reward
    if isinstance(reward, GiftReward):
        first, *others = reward.options
        gift_zh, gift_en = namer.name(first.sku)
        unit_zh = namer.unit(first.sku)[0]
        zh = GIFT[0].format(gift=gift_zh, n=first.quantity, unit=unit_zh)
        en = GIFT[1].format(gift=gift_en, n=first.quantity)
        if others:
            rest = [
                (namer.name(o.sku), namer.unit(o.sku)[0], o.quantity) for o in others
            ]
            zh += GIFT_OR[0].format(
                others="、".join(f"{n[0]} {q} {u}" for n, u, q in rest)
            )
            en += GIFT_OR[1].format(
                others=", ".join(f"{n[1]} × {q}" for n, _u, q in rest)
            )
        return zh, en
    if isinstance(reward, PercentOffReward):
        template = ORDER_PERCENT if reward.scope == "order" else PERCENT
        percent = plain_decimal(reward.percent)
        return template[0].format(percent=percent), template[1].format(percent=percent)
    if isinstance(reward, AmountOffReward):
        money = format_money(reward.amount)
        return AMOUNT[0].format(money=money), AMOUNT[1].format(money=money)
    if isinstance(reward, AddonReward):
        name_zh, name_en = namer.name(reward.sku)
        unit_zh, unit_en = namer.unit(reward.sku)
        price = format_money(reward.price)
        return (
            ADDON[0].format(price=price, n=reward.quantity, unit=unit_zh, name=name_zh),
            ADDON[1].format(
                price=price,
                n=reward.quantity,
                units=plural(unit_en, reward.quantity),
                name=name_en,
            ),
        )
    assert isinstance(reward, ExpenseCreditReward)
    percent = plain_decimal(reward.rate * 100)
    return CREDIT[0].format(percent=percent), CREDIT[1].format(percent=percent)


def _audience(rule: Rule, namer: Namer) -> list[Text]:
    audience = rule.audience
    parts: list[Text] = []
    if audience.tiers:
        tiers = [namer.tier(code) for code in audience.tiers]
        parts.append(
            (
                FOR_TIERS[0].format(values="、".join(zh for zh, _ in tiers)),
                FOR_TIERS[1].format(values=", ".join(en for _, en in tiers)),
            )
        )
    if audience.min_tenure_years:
        years = audience.min_tenure_years
        parts.append(
            (FOR_TENURE[0].format(years=years), FOR_TENURE[1].format(years=years))
        )
    if audience.regions:
        regions = [namer.region(code) for code in audience.regions]
        parts.append(
            (
                FOR_REGIONS[0].format(values="、".join(zh for zh, _ in regions)),
                FOR_REGIONS[1].format(values=", ".join(en for _, en in regions)),
            )
        )
    for need in audience.history:
        name_zh, name_en = namer.name(need.code)
        targets = []
        if need.min_amount is not None:
            targets.append(format_money(need.min_amount))
        if need.min_quantity is not None:
            targets.append(str(need.min_quantity))
        target = " / ".join(targets)
        parts.append(
            (
                FOR_HISTORY[0].format(
                    days=need.window_days, name=name_zh, target=target
                ),
                FOR_HISTORY[1].format(
                    days=need.window_days, name=name_en, target=target
                ),
            )
        )
    for need in audience.agreement:
        name_zh, name_en = (
            namer.name(need.category) if need.category else ("全部产品", "all products")
        )
        percent = plain_decimal(need.min_percent)
        parts.append(
            (
                FOR_AGREEMENT[0].format(name=name_zh, percent=percent),
                FOR_AGREEMENT[1].format(name=name_en, percent=percent),
            )
        )
    if audience.dealers:
        parts.append(FOR_DEALERS)
    orgs = [namer.name(code) for code in audience.sales_orgs]
    if orgs:
        parts.append(
            (
                FOR_ORGS[0].format(values="、".join(o[0] for o in orgs)),
                FOR_ORGS[1].format(values=", ".join(o[1] for o in orgs)),
            )
        )
    return parts


def describe(
    rule: Rule,
    names: Mapping[str, tuple[str, str]] | None = None,
    *,
    items: Mapping | None = None,
    gifts: Mapping | None = None,
    with_limits: bool = False,
) -> Text:
    """The rule in one (zh, en) pair of sentences a person reads at a glance.

    ``names`` maps SKU, category and org codes to (zh, en) names; ``items`` and
    ``gifts`` (sku → Item / GiftProduct) give product names and units.
    """
    namer = Namer(items=items or {}, gifts=gifts or {}, names=names or {})
    head = [_condition(rule, namer), _reward(rule, namer)]
    zh = JOIN[0].join(part[0] for part in head)
    en = JOIN[1].join(part[1] for part in head)
    tail: list[Text] = []
    if rule.repeat:
        cap = rule.max_applications_per_order
        tail.append(
            (REPEATS_CAP[0].format(n=cap), REPEATS_CAP[1].format(n=cap))
            if cap
            else REPEATS
        )
    elif rule.reward.type not in {"percent_off", "expense_credit"}:
        tail.append(ONCE)
    if rule.exclusive:
        tail.append(EXCLUSIVE)
    audience = _audience(rule, namer)
    if audience:
        tail.append(
            (
                FOR[0].format(parts="、".join(a[0] for a in audience)),
                FOR[1].format(parts=", ".join(a[1] for a in audience)),
            )
        )
    if with_limits:
        if rule.limits.budget is not None:
            money = format_money(rule.limits.budget)
            tail.append(
                (
                    LIMIT_BUDGET[0].format(money=money),
                    LIMIT_BUDGET[1].format(money=money),
                )
            )
        if rule.limits.max_applications_per_dealer:
            n = rule.limits.max_applications_per_dealer
            tail.append((LIMIT_DEALER[0].format(n=n), LIMIT_DEALER[1].format(n=n)))
    for part in tail:
        zh += "；" + part[0]
        en += "; " + part[1]
    return zh + "。", en[:1].upper() + en[1:] + "."
