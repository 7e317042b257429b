"""A parsed promotion definition (``Rule``) and its parts, with canonical JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from .money import money_str as _money
from .money import plain_decimal

HistoryKey = tuple[str, str, int]


class Selectable(Protocol):
    """What a selector reads of a product (``types.Item`` has it; rules never import types)."""

    @property
    def sku(self) -> str: ...

    @property
    def category_path(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class ItemSelector:
    """Which order lines a condition looks at; empty means every (non-gift) line."""

    skus: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    _sku_set: frozenset[str] = field(init=False, compare=False, repr=False)
    _category_set: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Keep sets for constant-time matching."""
        object.__setattr__(self, "_sku_set", frozenset(self.skus))
        object.__setattr__(self, "_category_set", frozenset(self.categories))

    @property
    def matches_all(self) -> bool:
        """True when the selector names nothing, i.e. selects every line."""
        return not self.skus and not self.categories

    def matches(self, item: Selectable) -> bool:
        """Tell whether ``item`` is selected (a category includes its descendants)."""
        if item.sku in self._sku_set or self.matches_all:
            return True
        return not self._category_set.isdisjoint(item.category_path)

    def to_dict(self) -> dict[str, list[str]]:
        """Return the canonical JSON form."""
        return {"skus": list(self.skus), "categories": list(self.categories)}


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a condition: the lines it selects and the minimum they must reach."""

    items: ItemSelector
    min: Decimal | int

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form of a combo component."""
        return {"items": self.items.to_dict(), "min": self.min}


@dataclass(frozen=True, slots=True)
class Condition:
    """What the order must contain; quantity and amount have a single component."""

    type: str  # "quantity" | "amount" | "combo"
    components: tuple[Component, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        if self.type == "combo":
            return {
                "type": "combo",
                "components": [c.to_dict() for c in self.components],
            }
        (only,) = self.components
        data: dict[str, Any] = {"type": self.type}
        if not only.items.matches_all:
            data["items"] = only.items.to_dict()
        data["min"] = _money(only.min) if self.type == "amount" else only.min
        return data


@dataclass(frozen=True, slots=True)
class GiftOptionDef:
    """One gift the dealer may pick: ``quantity`` units of ``sku`` per time earned."""

    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class GiftReward:
    """Free goods: one option per order, ``quantity × times`` of it."""

    type: ClassVar[str] = "gift"
    options: tuple[GiftOptionDef, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        options = [{"sku": o.sku, "quantity": o.quantity} for o in self.options]
        return {"type": self.type, "options": options}


@dataclass(frozen=True, slots=True)
class PercentOffReward:
    """A percentage off the matched lines' net (scope "order": the whole order's)."""

    type: ClassVar[str] = "percent_off"
    percent: Decimal
    scope: str = "lines"  # "lines" | "order"

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        data: dict[str, Any] = {
            "type": self.type,
            "percent": plain_decimal(self.percent),
        }
        if self.scope == "order":
            data["scope"] = "order"
        return data


@dataclass(frozen=True, slots=True)
class AmountOffReward:
    """A fixed amount off per time earned, spread over the matched lines."""

    type: ClassVar[str] = "amount_off"
    amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        return {"type": self.type, "amount": _money(self.amount)}


@dataclass(frozen=True, slots=True)
class AddonReward:
    """Buy-bundle: per time, up to ``quantity`` units of ``sku`` at ``price``."""

    type: ClassVar[str] = "addon"
    sku: str
    price: Decimal
    quantity: int

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        price = _money(self.price)
        return {
            "type": self.type,
            "sku": self.sku,
            "price": price,
            "quantity": self.quantity,
        }


@dataclass(frozen=True, slots=True)
class ExpenseCreditReward:
    """Expense support: matched net × rate credited when the goods ship."""

    type: ClassVar[str] = "expense_credit"
    rate: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        return {"type": self.type, "rate": plain_decimal(self.rate)}


Reward = (
    GiftReward | PercentOffReward | AmountOffReward | AddonReward | ExpenseCreditReward
)


@dataclass(frozen=True, slots=True)
class HistoryRequirement:
    """Past purchases of a category (with descendants) or a SKU over a window."""

    kind: str  # "category" | "sku"
    code: str
    window_days: int
    min_amount: Decimal | None = None
    min_quantity: int | None = None

    @property
    def key(self) -> HistoryKey:
        """The key of the dealer's history total this requirement reads."""
        return (self.kind, self.code, self.window_days)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        data: dict[str, Any] = {self.kind: self.code}
        if self.min_amount is not None:
            data["min_amount"] = _money(self.min_amount)
        if self.min_quantity is not None:
            data["min_quantity"] = self.min_quantity
        data["window_days"] = self.window_days
        return data


@dataclass(frozen=True, slots=True)
class AgreementRequirement:
    """The dealer achieved at least ``min_percent`` of this year's agreement target of
    ``category`` (None: the whole agreement). The caller hands the fact in."""

    category: str | None
    min_percent: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        return {"category": self.category, "min_percent": str(self.min_percent)}


@dataclass(frozen=True, slots=True)
class Audience:
    """Who may get the promotion; every non-empty criterion must hold."""

    sales_orgs: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    dealers: tuple[str, ...] = ()
    min_tenure_years: int | None = None
    history: tuple[HistoryRequirement, ...] = ()
    agreement: tuple[AgreementRequirement, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form (``agreement`` only when it says something)."""
        data = {
            "sales_orgs": list(self.sales_orgs),
            "tiers": list(self.tiers),
            "regions": list(self.regions),
            "dealers": list(self.dealers),
            "min_tenure_years": self.min_tenure_years,
            "history": [h.to_dict() for h in self.history],
        }
        if self.agreement:
            data["agreement"] = [a.to_dict() for a in self.agreement]
        return data


@dataclass(frozen=True, slots=True)
class Limits:
    """Lifetime limits of a promotion (``None``: unlimited)."""

    budget: Decimal | None = None
    max_applications_per_dealer: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form."""
        return {
            "budget": _money(self.budget),
            "max_applications_per_dealer": self.max_applications_per_dealer,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated promotion definition plus what the index and the caller need."""

    code: str
    name: str
    sales_org: str
    starts_at: datetime
    ends_at: datetime
    condition: Condition
    reward: Reward
    priority: int = 0
    exclusive: bool = False
    audience: Audience = Audience()
    repeat: bool = False
    max_applications_per_order: int | None = None
    limits: Limits = Limits()
    name_en: str = ""  # the English name; ``name`` is the Chinese (the default)
    touched_skus: frozenset[str] = field(init=False, compare=False, repr=False)
    touched_categories: frozenset[str] = field(init=False, compare=False, repr=False)
    is_order_scope: bool = field(init=False, compare=False, repr=False)
    history_requirements: frozenset[HistoryKey] = field(
        init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        """Derive the index keys (touched SKUs and categories, order scope)."""
        selectors = [c.items for c in self.condition.components]
        skus = {sku for s in selectors for sku in s.skus}
        if isinstance(self.reward, AddonReward):
            skus.add(self.reward.sku)
        order_scope = any(s.matches_all for s in selectors) or (
            isinstance(self.reward, PercentOffReward) and self.reward.scope == "order"
        )
        history = frozenset(h.key for h in self.audience.history)
        object.__setattr__(self, "touched_skus", frozenset(skus))
        categories = frozenset(c for s in selectors for c in s.categories)
        object.__setattr__(self, "touched_categories", categories)
        object.__setattr__(self, "is_order_scope", order_scope)
        object.__setattr__(self, "history_requirements", history)

    @property
    def is_order_discount(self) -> bool:
        """True for an order-scope percent_off, which applies after all line rewards."""
        return (
            isinstance(self.reward, PercentOffReward) and self.reward.scope == "order"
        )

    def in_window(self, at: datetime) -> bool:
        """Tell whether ``at`` lies in [starts_at, ends_at)."""
        return self.starts_at <= at < self.ends_at

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON definition (money as "0.00" strings)."""
        return {
            "code": self.code,
            "name": self.name,
            **({"name_en": self.name_en} if self.name_en else {}),
            "sales_org": self.sales_org,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "priority": self.priority,
            "exclusive": self.exclusive,
            "audience": self.audience.to_dict(),
            "condition": self.condition.to_dict(),
            "reward": self.reward.to_dict(),
            "repeat": self.repeat,
            "max_applications_per_order": self.max_applications_per_order,
            "limits": self.limits.to_dict(),
        }
