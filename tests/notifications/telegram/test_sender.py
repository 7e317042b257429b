"""The Telegram channel of the outbox: global and per-chat rate limits (measured on
the fake Bot API's clock), 429 pauses, 403 blocks, and nothing lost while the Bot
API is down."""

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction

from notifications import channels, services
from notifications.models import Delivery
from notifications.telegram import ratelimit
from notifications.telegram import services as telegram_services
from notifications.telegram.channel import TelegramChannel
from notifications.telegram.models import TelegramLink
from tests.notifications.telegram.fake_api import RemoteFakeBotApi


def message(chat_id: int, n: int = 1, **extra) -> channels.Message:
    return channels.Message(
        delivery_id=n,
        notification_id=n,
        user_id=1,
        dealer_id=1,
        address=str(chat_id),
        language="en",
        kind="campaign",
        critical=False,
        title=f"Hello {n}",
        body="A new promotion for you.",
        **extra,
    )


@pytest.fixture
def make_channel(telegram_on):
    made = []

    def make(rate: float = 1000, chat_interval: float = 1.0) -> TelegramChannel:
        limiter = ratelimit.MemoryRateLimiter(rate=rate, chat_interval=chat_interval)
        channel = TelegramChannel(limiter=limiter)
        made.append(channel)
        return channel

    yield make
    for channel in made:
        channel.close()
    channels.unregister("telegram")


def max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.fixture
def remote_api(settings, telegram_on):
    """The fake Bot API in its own process, for measuring rates on its clock."""
    remote = RemoteFakeBotApi()
    settings.TELEGRAM = {**settings.TELEGRAM, "API_BASE_URL": remote.base_url}
    yield remote
    remote.stop()


def test_broadcast_of_2000_never_exceeds_the_limits(remote_api, make_channel):
    """2,000 messages to 500 chats, from two workers sending batches of 200 through
    one limiter, at a limit scaled up to 400/s and 0.25 s per chat: no 1-second
    window on the server holds more than 400, no chat gets two messages closer than
    0.25 s, every message arrives once, and the limit is nearly used."""
    rate, interval = 400, 0.25
    channel = make_channel(rate=rate, chat_interval=interval)
    work = [message(10_000 + n % 500, n) for n in range(2000)]
    outcomes = []

    def worker(share):
        for at in range(0, len(share), 200):
            channel.send_many(
                share[at : at + 200],
                on_outcome=lambda _m, outcome: outcomes.append(outcome),
            )

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(worker, [work[:1000], work[1000:]]))

    assert len(outcomes) == 2000
    assert all(isinstance(o, channels.Sent) for o in outcomes)
    sent = remote_api.sent()
    assert len(sent) == 2000
    assert len({c.params["text"] for c in sent}) == 2000  # no duplicates
    times = [c.at for c in sent]
    assert max_in_window(times) <= rate
    by_chat = defaultdict(list)
    for call in sent:
        by_chat[call.params["chat_id"]].append(call.at)
    gaps = [
        later - earlier
        for chat_times in by_chat.values()
        for earlier, later in zip(
            sorted(chat_times), sorted(chat_times)[1:], strict=False
        )
    ]
    assert min(gaps) >= interval
    elapsed = max(times) - min(times)
    assert elapsed >= (2000 - rate) / rate  # it really was throttled
    assert (len(times) - 1) / elapsed >= 0.9 * rate  # and the limit was used


def test_429_pauses_every_send_until_retry_after(fake_api, make_channel):
    """After a 429 with retry_after=1 nothing reaches the API for a second, not even
    for another chat; the message itself is then sent."""
    channel = make_channel()
    fake_api.script["sendMessage"] = [("429", 1)]

    first = channel.send(message(1, 1))
    second = channel.send(message(2, 2))

    assert isinstance(first, channels.Sent)
    assert isinstance(second, channels.Sent)
    calls = fake_api.sent(ok_only=False)
    refused, *after = calls
    assert refused.status == 429
    assert [c.status for c in after] == [200, 200]
    assert min(c.at for c in after) - refused.at >= 1.0


def test_long_429_hands_the_message_back_with_the_wait(fake_api, make_channel):
    channel = make_channel()
    fake_api.script["sendMessage"] = [("429", 120)]
    outcome = channel.send(message(1))
    assert isinstance(outcome, channels.Retry)
    assert outcome.after_seconds == 120


def test_5xx_and_slow_answers_are_retried(fake_api, make_channel, settings):
    settings.TELEGRAM = {**settings.TELEGRAM, "TIMEOUT": 0.3}
    channel = make_channel()
    fake_api.script["sendMessage"] = [500, ("slow", 1.0)]
    outcome = channel.send(message(1))
    assert isinstance(outcome, channels.Sent)
    assert [c.status for c in fake_api.sent(ok_only=False)][0] == 500


def _link_all(world):
    chats = {}
    for n, role in enumerate(("owner", "buyer", "viewer")):
        user = world[role].user
        token = telegram_services.link_token_create(user=user)
        telegram_services.link_consume(token=token, chat_id=500 + n)
        chats[role] = 500 + n
    return chats


def _announce(world, kind="order.placed", **data):
    with transaction.atomic():
        services.notifications_create(
            kind=kind, dealer_ids=[world["dealer"].pk], data=data
        )


def _drain(deadline_seconds: float = 20) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        services.deliveries_dispatch()
        if not Delivery.objects.filter(
            channel="telegram", status__in=["queued", "sending"]
        ).exists():
            return
        time.sleep(0.1)


def test_outbox_delivers_over_telegram_and_403_blocks_the_chat(
    world, fake_api, make_channel
):
    """Order events reach linked chats; a chat that blocked the bot is marked and
    gets no further deliveries."""
    chats = _link_all(world)
    channels.register(make_channel())
    fake_api.blocked_chats = {chats["viewer"]}

    _announce(world, order="SO-000001", total="10.00")
    services.deliveries_dispatch()

    telegram = Delivery.objects.filter(channel="telegram")
    assert telegram.count() == 3
    assert telegram.filter(status="sent").count() == 2
    failed = telegram.get(status="failed")
    assert failed.address == str(chats["viewer"])
    assert "blocked" in failed.last_error
    assert TelegramLink.objects.get(chat_id=chats["viewer"]).blocked_at is not None
    texts = fake_api.texts()
    assert any("SO-000001" in t for t in texts)

    _announce(world, order="SO-000002", total="10.00")
    assert Delivery.objects.filter(channel="telegram").count() == 5  # not the viewer


def test_nothing_lost_while_the_bot_api_is_down(
    world, fake_api, make_channel, settings
):
    """502s for eight seconds: deliveries are retried with backoff and each message
    arrives exactly once when the API is back."""
    settings.NOTIFICATIONS = {"BACKOFF_BASE_SECONDS": 0.2, "BACKOFF_JITTER": 0}
    chats = _link_all(world)
    channels.register(make_channel())
    for n in range(3):
        _announce(world, order=f"SO-00010{n}", total="1.00")
    # down for longer than a send's inline retries (about 3 s) take, timed from the
    # first send: the outbox must retry; how long announcing takes does not matter
    fake_api.failing_until = time.monotonic() + 8.0

    _drain()

    telegram = Delivery.objects.filter(channel="telegram")
    assert telegram.count() == 9
    assert set(telegram.values_list("status", flat=True)) == {"sent"}
    assert telegram.filter(attempts__gt=1).exists()
    ok = fake_api.sent()
    assert len(ok) == 9
    assert len({(c.params["chat_id"], c.params["text"]) for c in ok}) == 9
    assert {int(c.params["chat_id"]) for c in ok} == set(chats.values())
    assert any(c.status == 502 for c in fake_api.sent(ok_only=False))


def test_database_limiter_spaces_sends(db):
    limiter = ratelimit.DatabaseRateLimiter(rate=10, chat_interval=1.0)
    first = limiter.reserve(1)
    again = limiter.reserve(1)
    other = limiter.reserve(2)
    assert first.granted
    assert first.wait < 0.05
    assert not again.granted
    assert 0.9 < again.wait <= 1.1
    assert other.granted
    assert 0.05 < other.wait <= 0.11
    limiter.pause(5)
    assert limiter.reserve(3).wait > 4.5


def test_no_token_no_channel(settings):
    """Without a bot token the Telegram channel is not registered."""
    from notifications.telegram.channel import register_if_enabled

    settings.TELEGRAM = {**settings.TELEGRAM, "TOKEN": ""}
    channels.unregister("telegram")
    register_if_enabled()
    assert channels.get("telegram") is None


def test_redis_limiter_is_one_schedule_for_every_process(redis_url):
    """Two limiters on one Redis (two workers, two hosts) share the global spacing,
    each chat's interval and a 429 pause."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{ratelimit.RedisRateLimiter.prefix}*"):
        client.delete(key)
    one = ratelimit.RedisRateLimiter(url=redis_url, rate=10, chat_interval=1.0)
    two = ratelimit.RedisRateLimiter(url=redis_url, rate=10, chat_interval=1.0)

    first = one.reserve(1)
    assert first.granted
    assert first.wait < 0.05
    busy = two.reserve(1)  # the other process sees chat 1 busy
    assert not busy.granted
    assert 0.9 < busy.wait <= 1.1
    other = two.reserve(2)  # and the global spacing the first one took
    assert other.granted
    assert 0.05 < other.wait <= 0.12

    two.pause(5)
    assert one.reserve(3).wait > 4.5


def test_build_picks_the_limiter_from_settings(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.TELEGRAM = {**settings.TELEGRAM, "RATE_LIMITER": "auto"}
    assert isinstance(ratelimit.build(), ratelimit.RedisRateLimiter)
    settings.REDIS_URL = ""
    assert isinstance(ratelimit.build(), ratelimit.DatabaseRateLimiter)
    settings.TELEGRAM = {**settings.TELEGRAM, "RATE_LIMITER": "memory"}
    assert isinstance(ratelimit.build(), ratelimit.MemoryRateLimiter)
