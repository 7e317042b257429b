"""Available-to-promise: when could this many units reach this dealer?

A pure function over a snapshot (standard library only, like the promotion engine):
stock on hand and planned receipts per warehouse, what earlier open orders already
hold of them, and the lead time from each warehouse to the dealer's region. Selectors
build the snapshot in a few queries; services persist what it answers.

The rules:
- Supply becomes shippable on the first working day on or after it is at the
  warehouse (on hand: today; a planned receipt: its expected date). On the first
  day, an order taken after the warehouse's cut-off ships the next working day.
- It arrives ``days`` working days after it ships (weekends and listed non-working
  days do not count).
- Earlier open orders take supply first, in the order it becomes shippable
  (first come, first served); the rest is promised earliest arrival first.
- What no supply covers, or what sits in a warehouse with no lead time to the
  dealer's region, is promised without a date. Nothing is promised twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DEFAULT_CUTOFF = time(16, 0)


@dataclass(frozen=True, slots=True)
class Supply:
    """Units of one SKU at one warehouse from ``available_on`` (on hand: today)."""

    warehouse: str
    quantity: int
    available_on: date


@dataclass(frozen=True, slots=True)
class Route:
    """Working days from a warehouse to the dealer's region, and its daily cut-off."""

    warehouse: str
    days: int
    cutoff: time = DEFAULT_CUTOFF


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working days: Monday to Friday, less the listed non-working days."""

    non_working: frozenset[date] = field(default_factory=frozenset)

    def is_working(self, day: date) -> bool:
        """True when goods move on ``day``."""
        return day.weekday() < 5 and day not in self.non_working

    def on_or_after(self, day: date) -> date:
        """The first working day on or after ``day``."""
        for _ in range(400):
            if self.is_working(day):
                return day
            day += timedelta(days=1)
        return day  # a calendar with no working day in a year: give up politely

    def add(self, day: date, working_days: int) -> date:
        """``day`` plus ``working_days`` working days."""
        for _ in range(working_days):
            day = self.on_or_after(day + timedelta(days=1))
        return day


@dataclass(frozen=True, slots=True)
class Promise:
    """``quantity`` units from ``warehouse`` arriving on ``date`` (None: no date yet)."""

    quantity: int
    warehouse: str | None
    date: date | None

    def to_dict(self) -> dict:
        """The api-v1.md form: ``{"quantity", "warehouse", "date"}``."""
        return {
            "quantity": self.quantity,
            "warehouse": self.warehouse,
            "date": self.date.isoformat() if self.date else None,
        }


def ship_date(
    *, available_on: date, cutoff: time, now: datetime, calendar: Calendar
) -> date:
    """The day supply available on ``available_on`` can leave its warehouse."""
    today = now.date()
    day = calendar.on_or_after(max(available_on, today))
    if day == today and now.time() > cutoff:
        day = calendar.on_or_after(today + timedelta(days=1))
    return day


def arrival(
    *, supply: Supply, route: Route | None, now: datetime, calendar: Calendar
) -> date | None:
    """When ``supply`` reaches the dealer, or None without a route from its warehouse."""
    if route is None:
        return None
    shipped = ship_date(
        available_on=supply.available_on,
        cutoff=route.cutoff,
        now=now,
        calendar=calendar,
    )
    return calendar.add(shipped, route.days)


def _take(lots: list[list], quantity: int) -> list[tuple[object, int]]:
    """Take ``quantity`` from the front of ``lots`` ([key, left] pairs), in place."""
    taken = []
    for lot in lots:
        if quantity <= 0:
            break
        part = min(lot[1], quantity)
        if part > 0:
            lot[1] -= part
            quantity -= part
            taken.append((lot[0], part))
    return taken


def promise(
    *,
    quantity: int,
    supplies: Iterable[Supply],
    routes: Mapping[str, Route],
    now: datetime,
    calendar: Calendar = Calendar(),
    reserved: int = 0,
) -> tuple[Promise, ...]:
    """Promise ``quantity`` units: parts by warehouse and arrival date, earliest first.

    ``reserved`` units (earlier open orders) take supply first, in the order it becomes
    shippable. The parts add up to ``quantity``; an undated part is last.
    """
    if quantity <= 0:
        return ()
    ordered = sorted(
        (s for s in supplies if s.quantity > 0),
        key=lambda s: (s.available_on, s.warehouse),
    )
    lots = [[index, supply.quantity] for index, supply in enumerate(ordered)]
    _take(lots, max(reserved, 0))
    dated: list[tuple[date, str, int]] = []
    undated: list[tuple[str, int]] = []
    for index, left in lots:
        if left <= 0:
            continue
        supply = ordered[index]
        when = arrival(
            supply=supply,
            route=routes.get(supply.warehouse),
            now=now,
            calendar=calendar,
        )
        if when is None:
            undated.append((supply.warehouse, left))
        else:
            dated.append((when, supply.warehouse, left))
    dated.sort()
    parts: list[Promise] = []
    remaining = quantity
    for when, warehouse, left in dated:
        if remaining <= 0:
            break
        part = min(left, remaining)
        remaining -= part
        parts.append(Promise(part, warehouse, when))
    for warehouse, left in sorted(undated):
        if remaining <= 0:
            break
        part = min(left, remaining)
        remaining -= part
        parts.append(Promise(part, warehouse, None))
    if remaining > 0:
        parts.append(Promise(remaining, None, None))
    return tuple(_merge(parts))


def _merge(parts: Sequence[Promise]) -> list[Promise]:
    merged: list[Promise] = []
    for part in parts:
        last = merged[-1] if merged else None
        if last and (last.warehouse, last.date) == (part.warehouse, part.date):
            merged[-1] = Promise(
                last.quantity + part.quantity, part.warehouse, part.date
            )
        else:
            merged.append(part)
    return merged


def latest(parts: Sequence[Promise]) -> date | None:
    """The day the whole of ``parts`` has arrived (None when any part has no date)."""
    if not parts or any(part.date is None for part in parts):
        return None
    return max(part.date for part in parts)
