"""The back-office promotion editor: one form whose sections follow the condition and
reward types, producing the same JSON as the API (promotions.md)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

CONDITION_TYPES = [
    ("quantity", _("Quantity")),
    ("amount", _("Amount")),
    ("combo", _("Combo")),
]
REWARD_TYPES = [
    ("gift", _("Gift")),
    ("percent_off", _("Percent off")),
    ("amount_off", _("Amount off")),
    ("addon", _("Add-on (buy-bundle)")),
    ("expense_credit", _("Expense credit")),
]


def _codes(value: str) -> list[str]:
    return [
        part.strip() for part in value.replace("\n", ",").split(",") if part.strip()
    ]


class PromotionDefinitionForm(forms.Form):
    """Fields for every part of a definition; ``to_definition`` builds the JSON."""

    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    sales_org = forms.CharField(
        label=_("Owning sales organisation (code)"), max_length=32
    )
    starts_at = forms.DateTimeField(label=_("Starts at"))
    ends_at = forms.DateTimeField(label=_("Ends at"))
    priority = forms.IntegerField(label=_("Priority"), initial=0)
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    audience_sales_orgs = forms.CharField(
        label=_("Audience: sales orgs (codes, comma separated)"), required=False
    )
    audience_tiers = forms.CharField(label=_("Audience: tiers"), required=False)
    audience_regions = forms.CharField(label=_("Audience: regions"), required=False)
    audience_dealers = forms.CharField(label=_("Audience: dealers"), required=False)
    audience_min_tenure_years = forms.IntegerField(
        label=_("Audience: minimum years as customer"), required=False, min_value=0
    )
    audience_history = forms.CharField(
        label=_("Audience: purchase history (JSON list)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'e.g. [{"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}]'
        ),
    )
    condition_type = forms.ChoiceField(label=_("Condition"), choices=CONDITION_TYPES)
    condition_skus = forms.CharField(label=_("Condition items: SKUs"), required=False)
    condition_categories = forms.CharField(
        label=_("Condition items: categories"), required=False
    )
    condition_min = forms.DecimalField(
        label=_("Condition minimum (units or amount)"), required=False, min_value=0
    )
    condition_components = forms.CharField(
        label=_("Combo components (JSON list)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'e.g. [{"items": {"skus": ["A"]}, "min": 2}, {"items": {"skus": ["B"]}, "min": 1}]'
        ),
    )
    reward_type = forms.ChoiceField(label=_("Reward"), choices=REWARD_TYPES)
    reward_gift_options = forms.CharField(
        label=_("Gift options (one per line: SKU quantity)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reward_percent = forms.DecimalField(label=_("Percent off"), required=False)
    reward_scope_order = forms.BooleanField(
        label=_("Percent off the whole order"), required=False
    )
    reward_amount = forms.DecimalField(
        label=_("Amount off per time"), required=False, decimal_places=2
    )
    reward_addon_sku = forms.CharField(label=_("Add-on SKU"), required=False)
    reward_addon_price = forms.DecimalField(
        label=_("Add-on price"), required=False, decimal_places=2
    )
    reward_addon_quantity = forms.IntegerField(
        label=_("Add-on units per time"), required=False, min_value=1
    )
    reward_rate = forms.DecimalField(
        label=_("Expense credit rate (0.01 = 10 for 0.1)"),
        required=False,
        decimal_places=4,
    )
    repeat = forms.BooleanField(
        label=_("Repeats (once per time earned)"), required=False
    )
    max_applications_per_order = forms.IntegerField(
        label=_("Most times per order"), required=False, min_value=1
    )
    budget = forms.DecimalField(
        label=_("Budget"), required=False, decimal_places=2, min_value=0
    )
    max_applications_per_dealer = forms.IntegerField(
        label=_("Most times per dealer"), required=False, min_value=1
    )

    def _json_list(self, name):
        raw = self.cleaned_data.get(name) or ""
        if not raw.strip():
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            self.add_error(name, _("Not valid JSON."))
            return []
        if not isinstance(value, list):
            self.add_error(name, _("Must be a JSON list."))
            return []
        return value

    def to_definition(self) -> dict:
        """The JSON definition these fields describe (validated again by the service)."""
        data = self.cleaned_data
        items = {
            "skus": _codes(data["condition_skus"]),
            "categories": _codes(data["condition_categories"]),
        }
        condition: dict = {"type": data["condition_type"]}
        if data["condition_type"] == "combo":
            condition["components"] = self._json_list("condition_components")
        else:
            if items["skus"] or items["categories"]:
                condition["items"] = items
            condition["min"] = _number(
                data["condition_min"], whole=data["condition_type"] == "quantity"
            )
        reward: dict = {"type": data["reward_type"]}
        if data["reward_type"] == "gift":
            options = []
            for line in (data["reward_gift_options"] or "").splitlines():
                parts = line.split()
                if parts:
                    quantity = (
                        int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
                    )
                    options.append({"sku": parts[0], "quantity": quantity})
            reward["options"] = options
        elif data["reward_type"] == "percent_off":
            reward["percent"] = str(data["reward_percent"] or "")
            if data["reward_scope_order"]:
                reward["scope"] = "order"
        elif data["reward_type"] == "amount_off":
            reward["amount"] = str(data["reward_amount"] or "")
        elif data["reward_type"] == "addon":
            reward.update(
                sku=data["reward_addon_sku"],
                price=str(data["reward_addon_price"] or ""),
                quantity=data["reward_addon_quantity"] or 1,
            )
        else:
            reward["rate"] = str(data["reward_rate"] or "")
        limits = {}
        if data["budget"] is not None:
            limits["budget"] = f"{data['budget']:.2f}"
        if data["max_applications_per_dealer"]:
            limits["max_applications_per_dealer"] = data["max_applications_per_dealer"]
        definition = {
            "code": data["code"],
            "name": data["name"],
            "sales_org": data["sales_org"],
            "starts_at": data["starts_at"].isoformat(),
            "ends_at": data["ends_at"].isoformat(),
            "priority": data["priority"] or 0,
            "exclusive": data["exclusive"],
            "audience": {
                "sales_orgs": _codes(data["audience_sales_orgs"]),
                "tiers": _codes(data["audience_tiers"]),
                "regions": _codes(data["audience_regions"]),
                "dealers": _codes(data["audience_dealers"]),
                "history": self._json_list("audience_history"),
            },
            "condition": condition,
            "reward": reward,
            "repeat": data["repeat"],
            "limits": limits,
        }
        if data["audience_min_tenure_years"]:
            definition["audience"]["min_tenure_years"] = data[
                "audience_min_tenure_years"
            ]
        if data["max_applications_per_order"]:
            definition["max_applications_per_order"] = data[
                "max_applications_per_order"
            ]
        return definition

    @classmethod
    def initial_from(cls, definition: dict) -> dict:
        """Form values for an existing definition (editing makes a new version)."""
        audience = definition.get("audience", {})
        condition = definition.get("condition", {})
        reward = definition.get("reward", {})
        items = condition.get("items", {})
        limits = definition.get("limits", {})
        return {
            "code": definition.get("code"),
            "name": definition.get("name"),
            "sales_org": definition.get("sales_org"),
            "starts_at": definition.get("starts_at"),
            "ends_at": definition.get("ends_at"),
            "priority": definition.get("priority", 0),
            "exclusive": definition.get("exclusive", False),
            "audience_sales_orgs": ", ".join(audience.get("sales_orgs", [])),
            "audience_tiers": ", ".join(audience.get("tiers", [])),
            "audience_regions": ", ".join(audience.get("regions", [])),
            "audience_dealers": ", ".join(audience.get("dealers", [])),
            "audience_min_tenure_years": audience.get("min_tenure_years"),
            "audience_history": json.dumps(audience.get("history", []))
            if audience.get("history")
            else "",
            "condition_type": condition.get("type"),
            "condition_skus": ", ".join(items.get("skus", [])),
            "condition_categories": ", ".join(items.get("categories", [])),
            "condition_min": condition.get("min"),
            "condition_components": json.dumps(condition["components"])
            if condition.get("components")
            else "",
            "reward_type": reward.get("type"),
            "reward_gift_options": "\n".join(
                f"{o['sku']} {o['quantity']}" for o in reward.get("options", [])
            ),
            "reward_percent": reward.get("percent"),
            "reward_scope_order": reward.get("scope") == "order",
            "reward_amount": reward.get("amount"),
            "reward_addon_sku": reward.get("sku", "")
            if reward.get("type") == "addon"
            else "",
            "reward_addon_price": reward.get("price"),
            "reward_addon_quantity": reward.get("quantity"),
            "reward_rate": reward.get("rate"),
            "repeat": definition.get("repeat", False),
            "max_applications_per_order": definition.get("max_applications_per_order"),
            "budget": limits.get("budget"),
            "max_applications_per_dealer": limits.get("max_applications_per_dealer"),
        }


def _number(value, *, whole: bool):
    if value is None:
        return None
    return int(value) if whole and value == int(value) else str(value)


class BacktestForm(forms.Form):
    """How far back to replay a draft (the last N whole days)."""

    days = forms.IntegerField(
        label=_("Days of history"),
        min_value=1,
        max_value=365,
        initial=90,
        help_text=_(
            "The draft is replayed over the last N whole days, up to yesterday."
        ),
    )
