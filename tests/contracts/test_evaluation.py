"""Contract evaluation is a pure function: no database, only dataclasses."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import evaluation as ev

TERMS = ev.Terms(
    agreement="A-1",
    version=2,
    approved=True,
    terminated=False,
    starts=date(2027, 1, 1),
    ends=date(2027, 12, 31),
    categories=frozenset({"TEA"}),
    regions=frozenset({"east"}),
    floors={"TEA-A-01": Decimal("110.00")},
    credit_limit=Decimal("10000.00"),
)
TEA = ev.Line("TEA-A-01", ("TEA", "TEA-A"), Decimal("110.00"), 10)
JUICE = ev.Line("JUICE-01", ("DRINK",), Decimal("50.00"), 1)


def snapshot(*lines, region="east", on=date(2027, 3, 1), total="1000", exposure="0"):
    return ev.Snapshot(
        lines=lines,
        region=region,
        on=on,
        total=Decimal(total),
        exposure=Decimal(exposure),
    )


def codes(result):
    return [issue.code for issue in result.issues]


def test_a_cart_inside_the_agreement_has_no_issue():
    """Categories (with descendants), region, floor and credit all hold: no issue."""
    result = ev.evaluate(TERMS, snapshot(TEA))
    assert result.issues == ()
    assert not result.blocking
    assert (result.agreement, result.version) == ("A-1", 2)


def test_each_breach_is_one_issue_naming_what_broke_it():
    """Outside product lines, outside territory, under the floor, beyond credit."""
    cheap = ev.Line("TEA-A-01", ("TEA", "TEA-A"), Decimal("99.00"), 10)
    result = ev.evaluate(
        TERMS, snapshot(cheap, JUICE, region="west", total="9000", exposure="2000")
    )
    assert codes(result) == [
        ev.OUTSIDE_CATEGORIES,
        ev.OUTSIDE_REGIONS,
        ev.PRICE_FLOOR,
        ev.CREDIT_LIMIT,
    ]
    by_code = {i.code: i for i in result.issues}
    assert by_code[ev.OUTSIDE_CATEGORIES].skus == ("JUICE-01",)
    assert by_code[ev.PRICE_FLOOR].skus == ("TEA-A-01",)
    assert by_code[ev.CREDIT_LIMIT].detail["available"] == "8000.00"
    assert result.blocking


def test_warn_enforcement_reports_without_blocking():
    """The same breach under ``warn`` is an issue that does not block."""
    terms = ev.Terms(**{**_fields(TERMS), "enforcement": "warn"})
    result = ev.evaluate(terms, snapshot(JUICE))
    assert codes(result) == [ev.OUTSIDE_CATEGORIES]
    assert not result.blocking


@pytest.mark.parametrize(
    ("change", "on", "state"),
    [
        ({"approved": False}, date(2027, 3, 1), "not_approved"),
        ({"terminated": True}, date(2027, 3, 1), "terminated"),
        ({}, date(2028, 1, 1), "expired"),
        ({}, date(2026, 12, 31), "not_started"),
    ],
)
def test_an_agreement_not_in_force_is_one_not_active_issue(change, on, state):
    """Not approved, terminated, ended or not started: ``not_active`` and nothing else."""
    terms = ev.Terms(**{**_fields(TERMS), **change})
    result = ev.evaluate(terms, snapshot(JUICE, region="west", on=on))
    assert codes(result) == [ev.NOT_ACTIVE]
    assert result.issues[0].detail["state"] == state


def test_all_categories_and_regions_when_none_listed():
    terms = ev.Terms(**{**_fields(TERMS), "categories": None, "regions": None})
    assert ev.evaluate(terms, snapshot(JUICE, region="west")).issues == ()


def _fields(terms):
    return {name: getattr(terms, name) for name in terms.__dataclass_fields__}
