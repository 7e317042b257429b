"""Parse and validate a promotion definition (the JSON of promotions.md) into a Rule.

Added to promotions.md's shape (its "fields may be added"): an optional ``name_en``,
the promotion's English name; ``name`` stays the Chinese one, shown when there is none."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .reading import MISSING as _MISSING
from .reading import DefinitionError, Reader, join
from .rules import (
    AddonReward,
    AgreementRequirement,
    AmountOffReward,
    Audience,
    Component,
    Condition,
    ExpenseCreditReward,
    GiftOptionDef,
    GiftReward,
    HistoryRequirement,
    ItemSelector,
    Limits,
    PercentOffReward,
    Reward,
    Rule,
)

_TOP = {
    "code", "name", "name_en", "sales_org", "starts_at", "ends_at", "priority", "exclusive",
    "audience", "condition", "reward", "repeat", "max_applications_per_order", "limits",
}  # fmt: skip
_AUDIENCE = {
    "sales_orgs", "tiers", "regions", "dealers", "min_tenure_years", "history",
    "agreement",
}  # fmt: skip
_REWARD_KEYS = {
    "gift": {"type", "options"},
    "percent_off": {"type", "percent", "scope"},
    "amount_off": {"type", "amount"},
    "addon": {"type", "sku", "price", "quantity"},
    "expense_credit": {"type", "rate"},
}
_CONDITION_KEYS = {
    "quantity": {"type", "items", "min"},
    "amount": {"type", "items", "min"},
    "combo": {"type", "components"},
}


def parse_definition(data: Mapping[str, Any]) -> Rule:
    """Validate a promotion definition and return its ``Rule``.

    Every problem is collected; if there is any, ``DefinitionError`` is raised
    with all of them, each naming its field (``reward.options[0].sku``). The
    authority rule (audience orgs inside the owner's subtree) needs the org
    tree and is left to the caller (see ``Rule.audience.sales_orgs``).
    """
    r = Reader()
    if r.obj(data, "", _TOP) is None:
        raise DefinitionError(r.errors)
    get = data.get
    code = r.text(get("code", _MISSING), "code")
    name = r.text(get("name", _MISSING), "name")
    name_en = (
        "" if get("name_en") is None else (r.text(get("name_en"), "name_en") or "")
    )
    sales_org = r.text(get("sales_org", _MISSING), "sales_org")
    starts_at = r.moment(get("starts_at", _MISSING), "starts_at")
    ends_at = r.moment(get("ends_at", _MISSING), "ends_at")
    if starts_at and ends_at and starts_at >= ends_at:
        r.error("ends_at", "must be later than starts_at")
    priority = r.integer(get("priority", 0), "priority", minimum=None)
    exclusive = r.boolean(get("exclusive", False), "exclusive")
    repeat = r.boolean(get("repeat", False), "repeat")
    audience = _audience(r, get("audience"), sales_org)
    condition = _condition(r, get("condition", _MISSING))
    reward = _reward(r, get("reward", _MISSING))
    max_per_order = r.optional_int(
        get("max_applications_per_order"), "max_applications_per_order"
    )
    limits = _limits(r, get("limits"))
    if r.errors:
        raise DefinitionError(r.errors)
    return Rule(
        code=code,
        name=name,
        name_en=name_en,
        sales_org=sales_org,
        starts_at=starts_at,
        ends_at=ends_at,
        priority=priority,
        exclusive=exclusive,
        audience=audience,
        condition=condition,
        reward=reward,
        repeat=repeat,
        max_applications_per_order=max_per_order,
        limits=limits,
    )


def _audience(r: Reader, value: Any, owner: str | None) -> Audience:
    if value is None:
        value = {}
    data = r.obj(value, "audience", _AUDIENCE)
    if data is None:
        return Audience()
    # promotions.md: a missing sales_orgs means the owner's subtree. An empty list
    # ("no restriction") is held to the same authority rule: an owner can reach no
    # further than its own subtree, so it means the owner's subtree too.
    sales_orgs = ()
    if data.get("sales_orgs") is not None:
        sales_orgs = r.strings(data["sales_orgs"], "audience.sales_orgs")
    if not sales_orgs:
        sales_orgs = (owner,) if owner else ()
    history = []
    entries = data.get("history")
    if entries is not None and not isinstance(entries, list):
        r.error("audience.history", "must be a list")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        requirement = _history(r, entry, join("audience.history", i))
        if requirement is not None:
            history.append(requirement)
    return Audience(
        sales_orgs=sales_orgs,
        tiers=r.strings(data.get("tiers"), "audience.tiers"),
        regions=r.strings(data.get("regions"), "audience.regions"),
        dealers=r.strings(data.get("dealers"), "audience.dealers"),
        min_tenure_years=r.optional_int(
            data.get("min_tenure_years"), "audience.min_tenure_years", minimum=0
        ),
        history=tuple(history),
        agreement=_agreement(r, data.get("agreement")),
    )


def _agreement(r: Reader, value: Any) -> tuple[AgreementRequirement, ...]:
    """``[{"category": "TEA-C" or null, "min_percent": "100"}]``."""
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error("audience.agreement", "must be a list")
        return ()
    needs = []
    for i, entry in enumerate(value):
        path = join("audience.agreement", i)
        data = r.obj(entry, path, {"category", "min_percent"})
        if data is None:
            continue
        category = None
        if data.get("category") is not None:
            category = r.text(data["category"], join(path, "category"))
        percent = r.money(data.get("min_percent", _MISSING), join(path, "min_percent"))
        if percent is not None:
            needs.append(AgreementRequirement(category, percent))
    return tuple(needs)


def _history(r: Reader, value: Any, path: str) -> HistoryRequirement | None:
    keys = {"category", "sku", "min_amount", "min_quantity", "window_days"}
    data = r.obj(value, path, keys)
    if data is None:
        return None
    kinds = [k for k in ("category", "sku") if data.get(k) is not None]
    if len(kinds) != 1:
        r.error(path, 'must name exactly one of "category" or "sku"')
        return None
    kind = kinds[0]
    code = r.text(data[kind], join(path, kind))
    window = r.integer(data.get("window_days", _MISSING), join(path, "window_days"))
    min_amount = min_quantity = None
    if data.get("min_amount") is not None:
        min_amount = r.money(data["min_amount"], join(path, "min_amount"))
    if data.get("min_quantity") is not None:
        min_quantity = r.integer(data["min_quantity"], join(path, "min_quantity"))
    if data.get("min_amount") is None and data.get("min_quantity") is None:
        r.error(path, 'needs "min_amount" or "min_quantity"')
    if code is None or window is None or (min_amount is None and min_quantity is None):
        return None
    return HistoryRequirement(kind, code, window, min_amount, min_quantity)


def _items(r: Reader, value: Any, path: str) -> ItemSelector:
    data = r.obj(value, path, {"skus", "categories"})
    if data is None:
        return ItemSelector()
    selector = ItemSelector(
        skus=r.strings(data.get("skus"), join(path, "skus")),
        categories=r.strings(data.get("categories"), join(path, "categories")),
    )
    if selector.matches_all:
        r.error(
            path, "must list at least one SKU or category (omit items for every line)"
        )
    return selector


def _condition(r: Reader, value: Any) -> Condition | None:
    path = "condition"
    if value is _MISSING or value is None:
        r.error(path, "is required")
        return None
    if not isinstance(value, Mapping):
        r.error(path, "must be an object")
        return None
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in _CONDITION_KEYS:
        r.error("condition.type", "must be one of quantity, amount, combo")
        return None
    data = value
    r.obj(data, path, _CONDITION_KEYS[kind])
    if kind == "combo":
        return _combo(r, data.get("components", _MISSING))
    items = ItemSelector()
    if data.get("items") is not None:
        items = _items(r, data["items"], "condition.items")
    if kind == "amount":
        minimum: Decimal | int | None = r.money(
            data.get("min", _MISSING), "condition.min"
        )
    else:
        minimum = r.integer(data.get("min", _MISSING), "condition.min")
    return None if minimum is None else Condition(kind, (Component(items, minimum),))


def _combo(r: Reader, value: Any) -> Condition | None:
    path = "condition.components"
    if not isinstance(value, list) or not value:
        r.error(path, "must be a non-empty list")
        return None
    components = []
    for i, entry in enumerate(value):
        where = join(path, i)
        data = r.obj(entry, where, {"items", "min"})
        if data is None:
            continue
        items = _items(r, data.get("items", {}), join(where, "items"))
        minimum = r.integer(data.get("min", _MISSING), join(where, "min"))
        if minimum is not None:
            components.append(Component(items, minimum))
    if len(components) != len(value):
        return None
    return Condition("combo", tuple(components))


def _reward(r: Reader, value: Any) -> Reward | None:
    path = "reward"
    if value is _MISSING or value is None:
        r.error(path, "is required")
        return None
    if not isinstance(value, Mapping):
        r.error(path, "must be an object")
        return None
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in _REWARD_KEYS:
        r.error("reward.type", "must be one of " + ", ".join(_REWARD_KEYS))
        return None
    r.obj(value, path, _REWARD_KEYS[kind])
    get = value.get
    if kind == "gift":
        return _gift(r, get("options", _MISSING))
    if kind == "percent_off":
        percent = r.decimal(get("percent", _MISSING), "reward.percent")
        if percent is not None and not 0 < percent <= 100:
            r.error("reward.percent", "must be more than 0 and at most 100")
        scope = get("scope", "lines")
        if scope not in ("lines", "order"):
            r.error("reward.scope", 'must be "order" or "lines"')
        if percent is None or not 0 < percent <= 100 or scope not in ("lines", "order"):
            return None
        return PercentOffReward(percent, scope)
    if kind == "amount_off":
        amount = r.money(get("amount", _MISSING), "reward.amount")
        return None if amount is None else AmountOffReward(amount)
    if kind == "addon":
        sku = r.text(get("sku", _MISSING), "reward.sku")
        price = r.money(get("price", _MISSING), "reward.price", allow_zero=True)
        quantity = r.integer(get("quantity", _MISSING), "reward.quantity")
        if sku is None or price is None or quantity is None:
            return None
        return AddonReward(sku, price, quantity)
    rate = r.decimal(get("rate", _MISSING), "reward.rate")
    if rate is not None and not 0 < rate < 1:
        r.error("reward.rate", "must be more than 0 and less than 1")
        return None
    return None if rate is None else ExpenseCreditReward(rate)


def _gift(r: Reader, value: Any) -> GiftReward | None:
    path = "reward.options"
    if not isinstance(value, list) or not value:
        r.error(path, "must be a non-empty list")
        return None
    options = []
    for i, entry in enumerate(value):
        where = join(path, i)
        data = r.obj(entry, where, {"sku", "quantity"})
        if data is None:
            continue
        sku = r.text(data.get("sku", _MISSING), join(where, "sku"))
        quantity = r.integer(data.get("quantity", _MISSING), join(where, "quantity"))
        if sku is not None and quantity is not None:
            options.append(GiftOptionDef(sku, quantity))
    return GiftReward(tuple(options)) if len(options) == len(value) else None


def _limits(r: Reader, value: Any) -> Limits:
    if value is None:
        return Limits()
    data = r.obj(value, "limits", {"budget", "max_applications_per_dealer"})
    if data is None:
        return Limits()
    budget = None
    if data.get("budget") is not None:
        budget = r.money(data["budget"], "limits.budget")
    per_dealer = r.optional_int(
        data.get("max_applications_per_dealer"), "limits.max_applications_per_dealer"
    )
    return Limits(budget=budget, max_applications_per_dealer=per_dealer)
