"""Cache and channel-layer outages degrade, never 500: Redis on a port where
nothing listens (never the shared server stopped), then a private redis-server
started on that port to see the portal recover."""

import shutil
import socket
import subprocess
import time

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from portal.asgi import application
from tests.notifications.communicator import WebsocketCommunicator
from tests.notifications.test_consumer import PATH, _cookie
from tests.portal.test_office_evaluation import (
    _page,
    office,  # noqa: F401 -- fixture
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_away(settings):
    """Cache and channel layer pointed at a closed port; ``come_back()`` starts a
    private redis-server there."""
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.TolerantRedisCache",
            "LOCATION": url,
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }
    servers = []

    class Redis:
        def come_back(self, tmp_path):
            server = shutil.which("redis-server")
            if server is None:
                pytest.skip("redis-server is not installed")
            servers.append(
                subprocess.Popen(
                    [server, "--port", str(port), "--bind", "127.0.0.1"]
                    + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                    stdout=subprocess.DEVNULL,
                )
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    return
                except OSError:
                    time.sleep(0.05)
            raise AssertionError("redis-server did not start")

    yield Redis()
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_office_pages_compute_when_the_cache_is_away(office, redis_away):  # noqa: F811
    """The evaluation and org pages read through the cache: with Redis away they
    compute the figures and answer 200."""
    detail = office["manager"].get(reverse("office:evaluation-detail", args=["P-GIFT"]))
    rollup = office["manager"].get(reverse("office:org-rollup"))
    listing = office["manager"].get(reverse("office:evaluation-list"))
    print(  # noqa: T201
        f"\ninjected: cache at a closed port; saw: detail {detail.status_code}, "
        f"roll-up {rollup.status_code}, list {listing.status_code}"
    )
    assert 'data-testid="cost">¥30.00<' in _page(detail)
    assert _page(rollup)
    assert _page(listing)


@pytest.mark.django_db(transaction=True)
async def test_the_socket_is_refused_cleanly_while_redis_is_away_then_recovers(
    world, redis_away, tmp_path
):
    """The handshake is refused with "try again later" (no 500) while the channel
    layer is away; the page keeps reconnecting and gets its socket once it is back."""
    cookie = await database_sync_to_async(_cookie)(world["owner"].user)
    headers = [
        (b"host", b"testserver"),
        (b"origin", b"http://testserver"),
        (b"cookie", cookie),
    ]

    away = WebsocketCommunicator(application, PATH, headers=headers)
    connected, code = await away.connect(timeout=5)
    await away.wait()

    redis_away.come_back(tmp_path)
    back = WebsocketCommunicator(application, PATH, headers=headers)
    reconnected, _code = await back.connect(timeout=5)
    first = await back.receive_json_from(timeout=5) if reconnected else None
    await back.disconnect()

    print(  # noqa: T201
        f"\ninjected: channel layer at a closed port, then redis-server started "
        f"there; saw: away connected={connected} code={code}, back "
        f"connected={reconnected} first message {first}"
    )
    assert not connected
    assert code == 1013
    assert reconnected
    assert first == {"type": "unread", "count": 0}
