"""Parsing and validating promotion definitions (promotions.md, "Shape")."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from promos.engine import DefinitionError, Rule, history_keys, parse_definition
from tests.promos.test_engine_builders import definition, rule, seed


def errors_of(data) -> list[dict[str, str]]:
    """Parse and return the errors raised (failing the test if none)."""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.errors


def test_seed_example_parses():
    """The seed example of promotions.md parses into its fields."""
    parsed = parse_definition(seed())
    assert isinstance(parsed, Rule)
    assert (parsed.code, parsed.sales_org, parsed.priority, parsed.repeat) == (
        "P2026-0042",
        "EAST",
        50,
        True,
    )
    cst = timezone(timedelta(hours=8))
    assert parsed.starts_at == datetime(2026, 12, 1, tzinfo=cst)
    assert parsed.ends_at == datetime(2027, 1, 1, tzinfo=cst)
    assert parsed.audience.sales_orgs == ("EAST-SH",)
    assert parsed.audience.tiers == ("gold", "silver")
    assert parsed.audience.min_tenure_years == 3
    assert parsed.audience.history[0].min_amount == Decimal("100000.00")
    assert parsed.condition.components[0].min == 10
    assert [o.sku for o in parsed.reward.options] == ["GIFT-CUP", "GIFT-BAG"]
    assert parsed.max_applications_per_order == 5
    assert parsed.limits.budget == Decimal("50000.00")
    assert parsed.limits.max_applications_per_dealer == 20


def test_index_keys_and_history_requirements():
    """A rule exposes what it touches, whether it is order scope, its history keys."""
    parsed = parse_definition(seed())
    assert parsed.touched_skus == frozenset()
    assert parsed.touched_categories == frozenset({"TEA-A"})
    assert parsed.is_order_scope is False
    assert parsed.history_requirements == frozenset({("category", "TEA-C", 365)})
    addon = rule(
        condition={"type": "quantity", "items": {"skus": ["TEA-A-01"]}, "min": 1},
        reward={"type": "addon", "sku": "TEA-Y-01", "price": "1.00", "quantity": 1},
    )
    assert addon.touched_skus == frozenset({"TEA-A-01", "TEA-Y-01"})
    everything = rule(condition={"type": "amount", "min": "500"})
    assert everything.is_order_scope is True
    order = rule(reward={"type": "percent_off", "percent": "2", "scope": "order"})
    assert order.is_order_scope is True
    assert history_keys([parsed, addon]) == {("category", "TEA-C", 365)}


def test_missing_sales_orgs_means_the_owners_subtree():
    """A missing or empty audience.sales_orgs becomes the owner's subtree: an owner
    can reach no further than its own organisation (the authority rule)."""
    assert rule().audience.sales_orgs == ("EAST",)
    assert rule(audience={"sales_orgs": []}).audience.sales_orgs == ("EAST",)


GIFT = {"type": "gift", "options": [{"sku": "GIFT-CUP", "quantity": 1}]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": None}, "code"),
        ({"name": 5}, "name"),
        ({"starts_at": "2026-12-01T00:00:00"}, "starts_at"),
        ({"starts_at": "1 December"}, "starts_at"),
        ({"ends_at": "2026-11-01T00:00:00+08:00"}, "ends_at"),
        ({"ends_at": "2026-12-01T00:00:00+08:00"}, "ends_at"),
        ({"priority": "high"}, "priority"),
        ({"priority": True}, "priority"),
        ({"exclusive": "yes"}, "exclusive"),
        ({"repeat": 1}, "repeat"),
        ({"prority": 5}, "prority"),
        ({"max_applications_per_order": 0}, "max_applications_per_order"),
        ({"audience": []}, "audience"),
        ({"audience": {"tiers": "gold"}}, "audience.tiers"),
        ({"audience": {"dealers": ["D1", ""]}}, "audience.dealers[1]"),
        ({"audience": {"min_tenure_years": -1}}, "audience.min_tenure_years"),
        ({"audience": {"colour": "red"}}, "audience.colour"),
        (
            {
                "audience": {
                    "history": [
                        {
                            "category": "C",
                            "sku": "S",
                            "min_quantity": 1,
                            "window_days": 30,
                        }
                    ]
                }
            },
            "audience.history[0]",
        ),
        (
            {"audience": {"history": [{"category": "C", "window_days": 30}]}},
            "audience.history[0]",
        ),
        (
            {
                "audience": {
                    "history": [{"sku": "S", "min_quantity": 1, "window_days": 0}]
                }
            },
            "audience.history[0].window_days",
        ),
        (
            {
                "audience": {
                    "history": [{"sku": "S", "min_amount": 10.5, "window_days": 9}]
                }
            },
            "audience.history[0].min_amount",
        ),
        ({"condition": None}, "condition"),
        ({"condition": {"type": "weight", "min": 1}}, "condition.type"),
        ({"condition": {"type": "quantity", "min": 0}}, "condition.min"),
        ({"condition": {"type": "quantity", "min": "10"}}, "condition.min"),
        ({"condition": {"type": "quantity", "min": 2.5}}, "condition.min"),
        ({"condition": {"type": "amount", "min": "-5"}}, "condition.min"),
        ({"condition": {"type": "amount", "min": 99.5}}, "condition.min"),
        ({"condition": {"type": "quantity", "items": {}, "min": 1}}, "condition.items"),
        (
            {"condition": {"type": "quantity", "items": {"brands": ["X"]}, "min": 1}},
            "condition.items.brands",
        ),
        ({"condition": {"type": "combo", "components": []}}, "condition.components"),
        (
            {
                "condition": {
                    "type": "combo",
                    "components": [{"items": {"skus": ["A"]}}],
                }
            },
            "condition.components[0].min",
        ),
        (
            {"condition": {"type": "combo", "components": [{"min": 1}]}},
            "condition.components[0].items",
        ),
        ({"reward": None}, "reward"),
        ({"reward": {"type": "cashback"}}, "reward.type"),
        ({"reward": {"type": "gift", "options": []}}, "reward.options"),
        (
            {"reward": {"type": "gift", "options": [{"sku": "", "quantity": 1}]}},
            "reward.options[0].sku",
        ),
        (
            {
                "reward": {
                    "type": "gift",
                    "options": [
                        {"sku": "G", "quantity": 1},
                        {"sku": "H", "quantity": 0},
                    ],
                }
            },
            "reward.options[1].quantity",
        ),
        ({"reward": {"type": "percent_off", "percent": "0"}}, "reward.percent"),
        ({"reward": {"type": "percent_off", "percent": "100.01"}}, "reward.percent"),
        ({"reward": {"type": "percent_off", "percent": 5.5}}, "reward.percent"),
        ({"reward": {"type": "percent_off", "percent": "five"}}, "reward.percent"),
        (
            {"reward": {"type": "percent_off", "percent": "5", "scope": "cart"}},
            "reward.scope",
        ),
        ({"reward": {"type": "amount_off", "amount": 10.0}}, "reward.amount"),
        ({"reward": {"type": "amount_off", "amount": "1.005"}}, "reward.amount"),
        ({"reward": {"type": "amount_off", "amount": "NaN"}}, "reward.amount"),
        (
            {"reward": {"type": "addon", "sku": "Y", "price": "-1", "quantity": 1}},
            "reward.price",
        ),
        ({"reward": {"type": "addon", "sku": "Y", "price": "1"}}, "reward.quantity"),
        ({"reward": {"type": "expense_credit", "rate": "1"}}, "reward.rate"),
        ({"reward": {"type": "expense_credit", "rate": "0"}}, "reward.rate"),
        ({"reward": {"type": "expense_credit", "rate": 0.01}}, "reward.rate"),
        ({"reward": {**GIFT, "percent": "5"}}, "reward.percent"),
        ({"limits": {"budget": "0"}}, "limits.budget"),
        ({"limits": {"budget": 100.5}}, "limits.budget"),
        (
            {"limits": {"max_applications_per_dealer": "3"}},
            "limits.max_applications_per_dealer",
        ),
    ],
)
def test_invalid_definition_names_the_field(fields, field):
    """Each kind of invalid input is reported against its dotted field path."""
    errors = errors_of(definition(**fields))
    assert field in [e["field"] for e in errors], errors
    assert all(e["message"] for e in errors)


def test_floats_are_refused_with_a_clear_message():
    """Money given as a JSON float is refused, saying to use a decimal string."""
    (error,) = errors_of(definition(limits={"budget": 100.5}))
    assert "decimal string" in error["message"]
    assert "float" in error["message"]


def test_missing_required_fields_are_all_reported():
    """Every error is collected, not only the first."""
    fields = {e["field"] for e in errors_of({})}
    assert fields == {
        "code",
        "name",
        "sales_org",
        "starts_at",
        "ends_at",
        "condition",
        "reward",
    }


def test_not_an_object():
    """A definition that is not a JSON object is refused as a whole."""
    assert errors_of(["P1"]) == [
        {"field": "definition", "message": "must be an object"}
    ]


def test_error_message_lists_the_fields():
    """``str(DefinitionError)`` names each field, for logs."""
    with pytest.raises(DefinitionError, match=r"code: .*; name: "):
        parse_definition(definition(code="", name=""))


def test_money_accepts_strings_and_integers():
    """Money may be a decimal string or a JSON integer; it is kept to two places."""
    parsed = rule(
        condition={"type": "amount", "min": 500},
        reward={"type": "amount_off", "amount": " 12.5 "},
        limits={"budget": "1000"},
    )
    assert parsed.condition.components[0].min == Decimal("500.00")
    assert str(parsed.reward.amount) == "12.50"
    assert str(parsed.limits.budget) == "1000.00"


def test_to_dict_round_trips_to_canonical_json():
    """to_dict gives canonical JSON (money "0.00"); parsing it gives the same rule."""
    parsed = parse_definition(seed())
    canonical = parsed.to_dict()
    assert canonical == {
        **seed(),
        "audience": {**seed()["audience"]},
        "condition": {
            "type": "quantity",
            "items": {"skus": [], "categories": ["TEA-A"]},
            "min": 10,
        },
    }
    assert json.loads(json.dumps(canonical)) == canonical
    again = parse_definition(canonical)
    assert again == parsed
    assert again.to_dict() == canonical


@pytest.mark.parametrize(
    "fields",
    [
        {
            "condition": {"type": "amount", "min": 500},
            "reward": {"type": "amount_off", "amount": 7},
        },
        {"reward": {"type": "percent_off", "percent": "2.50", "scope": "order"}},
        {"reward": {"type": "percent_off", "percent": "100"}},
        {"reward": {"type": "addon", "sku": "Y", "price": "0", "quantity": 2}},
        {"reward": {"type": "expense_credit", "rate": "0.0100"}},
        {
            "condition": {
                "type": "combo",
                "components": [
                    {"items": {"skus": ["A"]}, "min": 2},
                    {"items": {"categories": ["B"]}, "min": 1},
                ],
            }
        },
        {
            "audience": {
                "history": [
                    {
                        "sku": "S",
                        "min_quantity": 3,
                        "min_amount": "9",
                        "window_days": 90,
                    }
                ]
            }
        },
        {"starts_at": "2026-12-01T00:00:00Z"},
    ],
)
def test_round_trip_of_every_shape(fields):
    """Every condition and reward type survives parse → to_dict → parse."""
    parsed = rule(**fields)
    canonical = parsed.to_dict()
    assert parse_definition(canonical) == parsed
    assert parse_definition(canonical).to_dict() == canonical


def test_canonical_numbers():
    """Percent and rate are written without trailing zeros; money with two places."""
    percent = rule(reward={"type": "percent_off", "percent": "2.50", "scope": "order"})
    assert percent.to_dict()["reward"] == {
        "type": "percent_off",
        "percent": "2.5",
        "scope": "order",
    }
    credit = rule(reward={"type": "expense_credit", "rate": "0.0100"})
    assert credit.to_dict()["reward"] == {"type": "expense_credit", "rate": "0.01"}
    addon = rule(reward={"type": "addon", "sku": "Y", "price": "0", "quantity": 2})
    assert addon.to_dict()["reward"]["price"] == "0.00"
    assert rule().to_dict()["limits"] == {
        "budget": None,
        "max_applications_per_dealer": None,
    }


def test_an_english_name_is_optional_and_kept():
    """``name_en`` (added to promotions.md's shape) names the promotion in English;
    a definition without one stays as it was, byte for byte."""
    without = parse_definition(seed())
    assert without.name_en == ""
    assert "name_en" not in without.to_dict()
    named = parse_definition({**seed(), "name_en": " Tea launch "})
    assert named.name_en == "Tea launch"
    assert parse_definition(named.to_dict()) == named
    assert errors_of({**seed(), "name_en": ""}) == [
        {"field": "name_en", "message": "must be a non-empty string"}
    ]
