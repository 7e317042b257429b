"""Periods named the way the sales organisation plans: ``2027``, ``2027-Q1``, ``2027-03``."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from common.errors import InvalidInput

_PATTERN = re.compile(r"^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month; ``first`` and ``last`` are inclusive."""

    first: date
    last: date
    name: str

    @property
    def kind(self) -> str:
        if len(self.name) == 4:
            return "year"
        return "quarter" if "Q" in self.name else "month"

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _month_last(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_parse(name: str, *, field: str = "period") -> Period:
    """The period a name stands for; a clear error for anything else."""
    match = _PATTERN.match(str(name or "").strip())
    if not match:
        raise InvalidInput(
            f"{name!r} is not a period (2027, 2027-Q1 or 2027-03).",
            code="invalid_period",
            errors=[{"field": field, "message": "expected 2027, 2027-Q1 or 2027-03"}],
        )
    year, part = int(match[1]), match[2]
    if not 1900 <= year <= 2999:
        raise InvalidInput(
            f"{name!r} is not a period (years 1900–2999).",
            code="invalid_period",
            errors=[{"field": field, "message": "a year from 1900 to 2999"}],
        )
    if part is None:
        return Period(date(year, 1, 1), date(year, 12, 31), f"{year}")
    if part.startswith("Q"):
        quarter = int(part[1])
        first_month = 3 * quarter - 2
        return Period(
            date(year, first_month, 1),
            _month_last(year, first_month + 2),
            f"{year}-{part}",
        )
    month = int(part)
    return Period(date(year, month, 1), _month_last(year, month), f"{year}-{part}")


def periods_containing(day: date) -> list[str]:
    """The month, quarter and year names a day falls in, most specific first."""
    quarter = (day.month - 1) // 3 + 1
    return [f"{day.year}-{day.month:02d}", f"{day.year}-Q{quarter}", f"{day.year}"]
