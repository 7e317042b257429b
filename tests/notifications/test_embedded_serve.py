"""The embedded default end to end: ``manage.py serve`` runs uvicorn and the task
worker in one process with the in-memory channel layer. A notification committed by
another process is picked up by the worker thread and reaches a real WebSocket
client on uvicorn's loop (the loop hand-over at work)."""

import json
import time

import pytest
from django.db import connection
from websockets.sync.client import connect

from tests.notifications import live

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "sqlite":
        pytest.skip(
            "the embedded default is SQLite + in-memory layer; the SQLite pass runs it"
        )
    running = live.start(django_db_blocker, tmp_path_factory.mktemp("embedded"))
    yield running
    running.stop()


def _socket(server, username):
    cookie = live.login_cookie(server.url, username, server.world["password"])
    ws_url = server.url.replace("http://", "ws://") + "/ws/notifications/"
    return connect(
        ws_url,
        additional_headers={"Cookie": cookie, "Origin": server.url},
        open_timeout=10,
    )


def test_a_push_from_the_embedded_worker_reaches_an_open_socket(server):
    """Commit in another process → the server's worker thread delivers → the
    socket on uvicorn's loop receives it, within seconds."""
    with _socket(server, server.world["owner"]) as socket:
        hello = json.loads(socket.recv(timeout=10))
        assert hello["type"] == "unread"
        pushed = server.script("push", "SO-000777")
        message = json.loads(socket.recv(timeout=10))
        received = time.time()
    assert message["type"] == "notification"
    assert message["title"] == "Order SO-000777 shipped"
    assert message["unread"] == hello["count"] + 1
    assert received - pushed["committed_at"] < 5


def test_a_foreign_origin_is_refused_by_the_live_server(server):
    cookie = live.login_cookie(
        server.url, server.world["owner"], server.world["password"]
    )
    ws_url = server.url.replace("http://", "ws://") + "/ws/notifications/"
    with pytest.raises(Exception, match="403|rejected"):
        connect(
            ws_url,
            additional_headers={"Cookie": cookie, "Origin": "https://evil.example"},
            open_timeout=10,
        )
