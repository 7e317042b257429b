"""Property: whatever the dealer's users and the reps write and read, in any order,
the thread says who waits since when, each wait's first answer records how long it
took (once), each person's unread badge counts exactly the threads where the other
side wrote after they last looked, and "read" shows under a message exactly when
the other side looked after it (each example writes in a thread of its own, a
later one than the examples before, so it is each person's newest)."""

import datetime
import itertools

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations import selectors, services
from conversations.models import Message, Side, Thread
from tests.conversations.conftest import as_dealer, as_rep

START = datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.UTC)
_runs = itertools.count()

PEOPLE = ["buyer", "owner", "rep", "manager"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(PEOPLE),
            st.sampled_from(["write", "read"]),
            st.integers(min_value=1, max_value=600),  # minutes since the last step
        ),
        min_size=1,
        max_size=14,
    )
)
def test_waiting_answers_and_badges_follow_what_people_did(world, rep, manager, steps):
    people = {
        "buyer": as_dealer(world["buyer"]),
        "owner": as_dealer(world["owner"]),
        "rep": as_rep(rep),
        "manager": as_rep(manager),
    }
    # each example gets a fresh hour range and a thread of its own
    now = START + datetime.timedelta(days=400 * next(_runs))
    with time_machine.travel(now, tick=False):
        thread_id = services.thread_start(
            participant=people["buyer"], text="first"
        ).thread_id
    waiting, answers = now, []
    seen = {"buyer": now}  # when each person last looked at the thread
    written = {Side.DEALER: [now], Side.REP: []}
    for who, action, minutes in steps:
        now += datetime.timedelta(minutes=minutes)
        person = people[who]
        with time_machine.travel(now, tick=False):
            if action == "write":
                services.message_post(participant=person, thread_id=thread_id, text=who)
                written[person.side].append(now)
                if person.side == Side.DEALER and waiting is None:
                    waiting = now
                elif person.side == Side.REP and waiting is not None:
                    answers.append(int((now - waiting).total_seconds()))
                    waiting = None
            else:
                thread = Thread.objects.get(pk=thread_id)
                services.thread_read(participant=person, thread=thread)
            seen[who] = now

        thread = Thread.objects.get(pk=thread_id)
        assert thread.waiting_since == waiting
        recorded = list(
            Message.objects.filter(thread=thread, response_seconds__isnull=False)
            .order_by("pk")
            .values_list("response_seconds", flat=True)
        )
        assert recorded == answers
        for name, participant in people.items():
            other = Side.REP if participant.side == Side.DEALER else Side.DEALER
            last_other = max(written[other], default=None)
            looked = seen.get(name)
            expected = last_other is not None and (
                looked is None or looked < last_other
            )
            [newest] = selectors.thread_list(participant=participant, limit=1)
            assert newest.pk == thread_id
            assert bool(newest.unread) == expected, (name, steps)
        # "read" under a message: someone of the other side looked after it
        for side, times in written.items():
            readers = [
                seen[n] for n, p in people.items() if p.side != side and n in seen
            ]
            for at in times:
                read_at = (
                    thread.rep_read_at if side == Side.DEALER else thread.dealer_read_at
                )
                shown = bool(read_at and read_at >= at)
                assert shown == any(r >= at for r in readers), (side, at, steps)
