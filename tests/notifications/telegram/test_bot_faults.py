"""Fault injection for the bot process (``runbot`` polling) against the fake Bot API:
an outage of the API, 429/5xx, a database that drops its connection, a restart of
Telegram's update numbering, and the two faults that must stop it (401, 409).

Each test prints what it injected and what it saw (``pytest -s``)."""

import asyncio
import logging
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from notifications.telegram import runner, services
from notifications.telegram.models import TelegramLink, TelegramUpdate
from tests.notifications.telegram.test_runbot import start_update

OUTAGE_SECONDS = 3.0  # the 12-s outage, scaled down (the cap scales too)


async def until(condition, *, timeout: float = 15.0) -> float:
    """Wait until ``condition()`` holds; the seconds it took."""
    started = time.monotonic()
    while not await sync_to_async(condition)():
        if time.monotonic() - started > timeout:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def run_bot_during(scenario, *, cap: float = 1.0) -> None:
    """Run the polling bot as ``runbot`` does while ``scenario`` injects faults;
    stop it at the end. The bot's database work runs in the test's transaction."""

    async def main():
        stop = asyncio.Event()
        bot = asyncio.create_task(
            runner.run(
                poll_timeout=1, stop=stop, backoff=runner.Backoff(base=0.1, cap=cap)
            )
        )
        try:
            await scenario(bot)
        finally:
            stop.set()
            await asyncio.wait_for(bot, timeout=30)

    async_to_sync(main)()


def outage_logs(caplog) -> tuple[list[str], list[str]]:
    messages = [r.getMessage() for r in caplog.records if r.name == runner.__name__]
    return (
        [m for m in messages if "unavailable" in m],
        [m for m in messages if " back after " in m],
    )


def test_bot_keeps_answering_through_an_outage_of_the_bot_api(
    world, fake_api, telegram_on, caplog
):
    """The Bot API goes away (connections refused) and comes back on the same
    address: the bot answers what was sent meanwhile, without a restart, and logs
    the outage once, not once per retry."""
    caplog.set_level(logging.INFO)
    token = services.link_token_create(user=world["buyer"].user)
    fake_api.updates = [start_update(100, 777, f"/start {token}")]
    seen = {}

    async def scenario(bot):
        await until(lambda: fake_api.texts(chat_id=777))
        before = len(fake_api.texts(chat_id=777))
        await asyncio.to_thread(fake_api.go_down)
        await asyncio.sleep(OUTAGE_SECONDS)
        fake_api.updates.append(start_update(101, 777, "/help"))
        await asyncio.to_thread(fake_api.come_back)
        seen["answered_after"] = await until(
            lambda: len(fake_api.texts(chat_id=777)) > before
        )
        assert not bot.done(), "the bot process ended"

    run_bot_during(scenario)

    failures, recoveries = outage_logs(caplog)
    print(  # noqa: T201
        f"\ninjected: Bot API down {OUTAGE_SECONDS:.0f} s (connection refused); "
        f"saw: /help answered {seen['answered_after']:.2f} s after it came back, "
        f"{len(failures)} outage log line(s): {failures[:1]}, {recoveries}"
    )
    assert TelegramLink.objects.get(chat_id=777).user == world["buyer"].user
    assert seen["answered_after"] < 3.0  # the back-off cap (1 s) plus slack
    assert len(failures) == 1
    assert len(recoveries) == 1


def test_bot_honours_retry_after_and_rides_out_5xx(
    world, fake_api, telegram_on, caplog
):
    """getUpdates answers 429 (retry_after 1 s), then 502, 500 and 503: the bot
    waits at least retry_after, then backs off, then answers the waiting /help."""
    caplog.set_level(logging.INFO)
    fake_api.script["getUpdates"] = [("429", 1), 502, 500, 503]
    fake_api.updates = [start_update(200, 555, "/help")]

    async def scenario(bot):
        await until(lambda: fake_api.texts(chat_id=555))

    run_bot_during(scenario)

    polls = [c for c in fake_api.calls if c.method == "getUpdates"]
    statuses = [c.status for c in polls]
    wait_after_429 = polls[1].at - polls[0].at
    failures, recoveries = outage_logs(caplog)
    print(  # noqa: T201
        f"\ninjected: getUpdates 429 (retry_after 1), 502, 500, 503; saw: statuses "
        f"{statuses[:6]}, next poll {wait_after_429:.2f} s after the 429, "
        f"/help answered {len(fake_api.texts(chat_id=555))}×, logs {failures}"
    )
    assert statuses[:5] == [429, 502, 500, 503, 200]
    assert wait_after_429 >= 1.0
    assert len(fake_api.texts(chat_id=555)) == 1
    assert len(recoveries) == 1


def test_bot_rides_out_a_database_that_drops_its_connection(
    world, fake_api, telegram_on, caplog
):
    """The first three queries on the update table fail as a restarting server
    makes them fail: the bot backs off, the update is recorded and answered once,
    and the offset never skipped it."""
    caplog.set_level(logging.INFO)
    fake_api.updates = [start_update(300, 556, "/help")]
    injected = {"left": 3, "done": 0}

    def drop(execute, sql, params, many, context):
        if "telegramupdate" in sql.lower() and injected["left"]:
            injected["left"] -= 1
            injected["done"] += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    async def scenario(bot):
        await until(lambda: fake_api.texts(chat_id=556))

    with connection.execute_wrapper(drop):
        run_bot_during(scenario)

    failures, recoveries = outage_logs(caplog)
    print(  # noqa: T201
        f"\ninjected: {injected['done']} OperationalError on the update table; saw: "
        f"/help answered {len(fake_api.texts(chat_id=556))}×, logs {failures}"
    )
    assert injected["done"] == 3
    assert len(fake_api.texts(chat_id=556)) == 1
    assert TelegramUpdate.objects.get(update_id=300).status == "done"
    assert len([m for m in failures if m.startswith("database")]) == 1
    assert len(recoveries) == 1


def test_bot_accepts_a_restart_of_the_update_numbering(world, fake_api, telegram_on):
    """Telegram restarts its numbering (a new token, a quiet week): ids far below
    the last one seen, even ids seen before the restart, are answered, not dropped
    as repeats; a true repeat in the new numbering is still skipped."""
    for seen_before in (3, 4, 500_000):
        services.update_record(update_id=seen_before, payload={})
        TelegramUpdate.objects.filter(update_id=seen_before).update(status="done")
    fake_api.updates = [start_update(500_001, 601, "/help")]

    async def scenario(bot):
        await until(lambda: fake_api.texts(chat_id=601))
        fake_api.restart_numbering(
            [start_update(3, 602, "/help"), start_update(4, 603, "/help")]
        )
        await until(lambda: fake_api.texts(chat_id=603))
        fake_api.restart_numbering([start_update(4, 604, "/help")])  # a repeat
        await asyncio.sleep(0.5)

    run_bot_during(scenario)

    answered = {chat: len(fake_api.texts(chat_id=chat)) for chat in (601, 602, 603)}
    print(  # noqa: T201
        f"\ninjected: numbering 500001 → 3, 4 (ids seen before the restart), then "
        f"4 again; saw: answers per chat {answered}, "
        f"repeat answered {len(fake_api.texts(chat_id=604))}×"
    )
    assert answered == {601: 1, 602: 1, 603: 1}
    assert not fake_api.texts(chat_id=604)


@pytest.mark.parametrize(
    ("method", "status", "says"),
    [
        ("getMe", 401, "refused the bot token"),
        ("getMe", 404, "refused the bot token"),
        ("getUpdates", 409, "Another process is receiving"),
    ],
)
def test_only_a_bad_token_or_a_conflict_stops_the_bot(
    db, fake_api, telegram_on, method, status, says
):
    """401/404 on getMe and 409 on getUpdates stop runbot with a message that says
    what to do; a transient fault before them does not."""
    fake_api.script[method] = [502, status]
    with pytest.raises(CommandError, match=says) as stopped:
        call_command("runbot", "--once")
    statuses = [c.status for c in fake_api.calls if c.method == method]
    print(f"\ninjected: {method} 502 then {status}; saw: {stopped.value}")  # noqa: T201
    assert statuses == [502, status]
