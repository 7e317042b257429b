"""Constants and small helpers the demo seed steps share."""

from datetime import date
from decimal import Decimal

from portal.demo import data

BATCH = 2000  # rows per bulk INSERT
CENT = Decimal("0.01")
TIER_SPECS = {t.code: t for t in data.TIERS}
PARENTS = {c.code: c.parent for c in data.CATEGORIES}


def leaf_codes() -> list[str]:
    """Categories without children that hold sellable products."""
    parents = {c.parent for c in data.CATEGORIES}
    return [
        c.code for c in data.CATEGORIES if c.code not in parents and c.code != "GIFT"
    ]


def root_of(code: str) -> str:
    """The top-level category above a category code."""
    while PARENTS[code]:
        code = PARENTS[code]
    return code


def under(code: str | None, ancestor: str) -> bool:
    """Whether a category code is ``ancestor`` or below it."""
    while code:
        if code == ancestor:
            return True
        code = PARENTS[code]
    return False


def month_start(today: date, months_back: int) -> date:
    """The first day of the month ``months_back`` months before ``today``'s."""
    month_index = today.year * 12 + today.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def chinese_name(rng) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)
