"""Available-to-promise: a pure function, so no database here."""

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.atp import Calendar, Promise, Route, Supply, latest, promise

# Thursday 3 Dec 2026, 10:00 (before the 16:00 cut-off).
MORNING = datetime(2026, 12, 3, 10, 0)
EVENING = datetime(2026, 12, 3, 17, 0)
TODAY = MORNING.date()
SH = Route("SH", days=1)
BJ = Route("BJ", days=3)


def test_in_stock_arrives_after_the_lead_time_in_working_days():
    """On hand in Shanghai, one working day away: ordered Thursday morning, here Friday."""
    parts = promise(
        quantity=10, supplies=[Supply("SH", 50, TODAY)], routes={"SH": SH}, now=MORNING
    )
    assert parts == (Promise(10, "SH", date(2026, 12, 4)),)


def test_after_the_cutoff_it_ships_the_next_working_day_and_weekends_do_not_count():
    """Thursday 17:00 ships Friday; one working day later is Monday."""
    parts = promise(
        quantity=10, supplies=[Supply("SH", 50, TODAY)], routes={"SH": SH}, now=EVENING
    )
    assert parts == (Promise(10, "SH", date(2026, 12, 7)),)


def test_non_working_days_are_skipped():
    holidays = Calendar(non_working=frozenset({date(2026, 12, 4)}))
    parts = promise(
        quantity=1,
        supplies=[Supply("SH", 5, TODAY)],
        routes={"SH": SH},
        now=MORNING,
        calendar=holidays,
    )
    assert parts[0].date == date(2026, 12, 7)


def test_a_short_line_is_split_between_stock_and_a_production_run():
    """40 now, 60 after the 18 Dec run: two honest dates."""
    parts = promise(
        quantity=100,
        supplies=[Supply("SH", 40, TODAY), Supply("SH", 500, date(2026, 12, 18))],
        routes={"SH": SH},
        now=MORNING,
    )
    assert parts == (
        Promise(40, "SH", date(2026, 12, 4)),
        Promise(60, "SH", date(2026, 12, 21)),
    )
    assert latest(parts) == date(2026, 12, 21)


def test_earliest_arrival_wins_across_warehouses():
    """Beijing is three days away, Shanghai one: Shanghai first."""
    parts = promise(
        quantity=30,
        supplies=[Supply("BJ", 100, TODAY), Supply("SH", 20, TODAY)],
        routes={"SH": SH, "BJ": BJ},
        now=MORNING,
    )
    assert parts == (
        Promise(20, "SH", date(2026, 12, 4)),
        Promise(10, "BJ", date(2026, 12, 8)),
    )


def test_earlier_orders_take_supply_first():
    parts = promise(
        quantity=10,
        supplies=[Supply("SH", 15, TODAY), Supply("SH", 100, date(2026, 12, 18))],
        routes={"SH": SH},
        now=MORNING,
        reserved=10,
    )
    assert parts == (
        Promise(5, "SH", date(2026, 12, 4)),
        Promise(5, "SH", date(2026, 12, 21)),
    )


def test_what_nothing_covers_has_no_date():
    parts = promise(
        quantity=10, supplies=[Supply("SH", 4, TODAY)], routes={"SH": SH}, now=MORNING
    )
    assert parts == (Promise(4, "SH", date(2026, 12, 4)), Promise(6, None, None))
    assert latest(parts) is None


def test_a_warehouse_without_a_route_promises_no_date():
    parts = promise(
        quantity=3, supplies=[Supply("GZ", 9, TODAY)], routes={}, now=MORNING
    )
    assert parts == (Promise(3, "GZ", None),)


def test_the_api_form():
    assert Promise(2, "SH", date(2026, 12, 4)).to_dict() == {
        "quantity": 2,
        "warehouse": "SH",
        "date": "2026-12-04",
    }


warehouses = st.sampled_from(["SH", "BJ", "GZ"])
supplies = st.lists(
    st.builds(
        Supply,
        warehouse=warehouses,
        quantity=st.integers(0, 200),
        available_on=st.dates(date(2026, 11, 20), date(2027, 3, 1)),
    ),
    max_size=6,
)
routes = st.dictionaries(
    warehouses,
    st.builds(
        Route,
        warehouse=st.just("?"),
        days=st.integers(0, 10),
        cutoff=st.times(time(8), time(20)),
    ),
)
moments = st.datetimes(datetime(2026, 11, 1), datetime(2027, 2, 1))
holidays = st.frozensets(st.dates(date(2026, 11, 1), date(2027, 4, 1)), max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    quantity=st.integers(1, 1000),
    reserved=st.integers(0, 500),
    supply=supplies,
    route=routes,
    now=moments,
    off=holidays,
)
def test_promises_add_up_never_exceed_supply_and_respect_lead_times(
    quantity, reserved, supply, route, now, off
):
    """Invariants: the parts add up to the quantity; dated and warehouse-bound parts
    never exceed what is on hand + planned after earlier orders; no date is earlier
    than the lead time from today; the answer is deterministic."""
    calendar = Calendar(non_working=off)
    parts = promise(
        quantity=quantity,
        supplies=supply,
        routes=route,
        now=now,
        calendar=calendar,
        reserved=reserved,
    )
    assert sum(p.quantity for p in parts) == quantity
    assert all(p.quantity > 0 for p in parts)
    covered = sum(p.quantity for p in parts if p.warehouse is not None)
    assert covered <= max(sum(s.quantity for s in supply) - reserved, 0)
    for warehouse in {"SH", "BJ", "GZ"}:
        from_it = sum(p.quantity for p in parts if p.warehouse == warehouse)
        assert from_it <= sum(s.quantity for s in supply if s.warehouse == warehouse)
    for part in parts:
        if part.date is not None:
            earliest = calendar.add(now.date(), route[part.warehouse].days)
            assert part.date >= earliest
    dated = [p.date for p in parts if p.date is not None]
    assert dated == sorted(dated)
    again = promise(
        quantity=quantity,
        supplies=list(reversed(supply)),
        routes=route,
        now=now,
        calendar=calendar,
        reserved=reserved,
    )
    assert again == parts
