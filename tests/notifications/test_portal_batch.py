"""The portal channel pushes a batch to a shared (Redis) layer concurrently, and
answers a retry for each push the layer refused."""

import socket

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications import channels


def _message(n: int, user_id: int) -> channels.Message:
    return channels.Message(
        delivery_id=n,
        notification_id=n,
        user_id=user_id,
        dealer_id=1,
        address="",
        language="en",
        kind="order.placed",
        critical=False,
        title=f"Order {n}",
        body="",
    )


def _redis_layer(settings, url: str) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": "test-portal-batch"},
        }
    }


def test_a_batch_reaches_every_open_page_through_redis(settings, redis_url):
    _redis_layer(settings, redis_url)
    layer = get_channel_layer()

    async def listen(user_ids):
        names = {}
        for user_id in user_ids:
            names[user_id] = await layer.new_channel()
            await layer.group_add(channels.user_group(user_id), names[user_id])
        return names

    pages = async_to_sync(listen)([101, 102, 103])
    outcomes = []
    try:
        channels.PortalChannel().send_many(
            [_message(n, 101 + n % 3) for n in range(30)],
            on_outcome=lambda m, o: outcomes.append((m.delivery_id, o)),
        )

        async def drain(name, count):
            return [(await layer.receive(name))["title"] for _ in range(count)]

        received = {
            user_id: async_to_sync(drain)(name, 10) for user_id, name in pages.items()
        }
    finally:
        async_to_sync(layer.flush)()

    assert sorted(d for d, _o in outcomes) == list(range(30))
    assert all(isinstance(o, channels.Sent) for _d, o in outcomes)
    assert received[101] == [f"Order {n}" for n in range(30) if n % 3 == 0]
    assert len(received[102]) == len(received[103]) == 10


def test_a_refusing_layer_answers_a_retry_for_each(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    _redis_layer(settings, f"redis://127.0.0.1:{closed}/0")
    outcomes = []

    channels.PortalChannel().send_many(
        [_message(n, 7) for n in range(5)],
        on_outcome=lambda m, o: outcomes.append(o),
    )

    assert len(outcomes) == 5
    assert all(isinstance(o, channels.Retry) for o in outcomes)
    assert "channel layer" in outcomes[0].reason


@pytest.mark.parametrize("count", [0, 1])
def test_the_in_memory_layer_still_sends_one_by_one(settings, count):
    outcomes = []
    channels.PortalChannel().send_many(
        [_message(n, 9) for n in range(count)],
        on_outcome=lambda m, o: outcomes.append(o),
    )
    assert len(outcomes) == count
