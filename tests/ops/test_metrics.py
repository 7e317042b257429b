"""GET /metrics: scraped as Prometheus would, with the figures an operator pages on,
and closed to anyone but loopback or the holder of METRICS_TOKEN."""

import re

import pytest
from django.db import transaction

from notifications import channels, services
from notifications.models import Delivery
from tests.notifications.telegram.conftest import fake_api, telegram_on  # noqa: F401
from tests.notifications.telegram.test_sender import make_channel, message  # noqa: F401

pytestmark = pytest.mark.django_db


def _value(text: str, name: str, **labels) -> float:
    """One sample of the exposition text (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = rf"^{re.escape(name)}(\{{{re.escape(wanted)}\}})? (\S+)$"
    for line in text.splitlines():
        if match := re.match(pattern, line):
            return float(match.group(2))
    return 0.0


def _scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def test_requests_are_counted_by_status(client):
    before = _scrape(client)
    client.get("/healthz")
    client.get("/no-such-page-here/")

    after = _scrape(client)

    for status in ("200", "404"):
        grew = _value(
            after, "portal_http_requests_total", method="GET", status=status
        ) - _value(before, "portal_http_requests_total", method="GET", status=status)
        assert grew >= 1, status
    assert _value(after, "portal_http_request_duration_seconds_count") > 0


def test_task_queue_depth_and_age(client, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "notifications", "reports"],
        }
    }
    from notifications import tasks

    tasks.deliver.enqueue()
    tasks.deliver.enqueue()

    text = _scrape(client)

    assert _value(text, "portal_task_queue_depth", queue="default") == 2
    assert _value(text, "portal_task_queue_depth", queue="reports") == 0
    assert _value(text, "portal_task_queue_oldest_seconds", queue="default") >= 0
    assert "portal_task_queue_oldest_seconds{" in text


def test_outbox_backlog_and_delivery_results(client, dealer_user):
    with transaction.atomic():
        services.notifications_create(
            kind="order.placed", dealer_ids=[dealer_user.dealer_id], data={}
        )
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() == 1

    backlog = _scrape(client)
    assert _value(backlog, "portal_outbox_backlog", channel="portal") == 1

    sent_before = _value(
        backlog, "portal_deliveries_total", channel="portal", result="sent"
    )
    services.deliveries_dispatch()
    after = _scrape(client)

    assert _value(after, "portal_outbox_backlog", channel="portal") == 0
    assert (
        _value(after, "portal_deliveries_total", channel="portal", result="sent")
        == sent_before + 1
    )


def test_telegram_429s_are_counted(client, fake_api, make_channel):  # noqa: F811
    before = _value(_scrape(client), "portal_telegram_rate_limited_total")
    fake_api.script["sendMessage"] = [("429", 120)]

    outcome = make_channel().send(message(1))

    assert isinstance(outcome, channels.Retry)
    assert _value(_scrape(client), "portal_telegram_rate_limited_total") == before + 1


@pytest.mark.django_db(transaction=True)
async def test_websocket_connections_gauge(dealer_user):
    from channels.db import database_sync_to_async
    from django.test import AsyncClient, Client

    from portal.asgi import application
    from tests.notifications.communicator import WebsocketCommunicator

    def cookie():
        client = Client()
        client.force_login(dealer_user.user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    before = _value(
        (await AsyncClient().get("/metrics")).content.decode(),
        "portal_websocket_connections",
    )
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"host", b"testserver"),
            (b"origin", b"http://testserver"),
            (b"cookie", await database_sync_to_async(cookie)()),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()  # the unread count
    during = (await AsyncClient().get("/metrics")).content.decode()
    await communicator.disconnect()
    after = (await AsyncClient().get("/metrics")).content.decode()

    assert _value(during, "portal_websocket_connections") == before + 1
    assert _value(after, "portal_websocket_connections") == before


def test_metrics_are_closed_to_other_addresses(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403


def test_metrics_token_opens_them_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "scrape-me"
    away = {"REMOTE_ADDR": "203.0.113.9"}

    assert client.get("/metrics", **away).status_code == 403
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **away).status_code
        == 403
    )
    _scrape(client, HTTP_AUTHORIZATION="Bearer scrape-me", **away)
    # With a token set, loopback needs it too.
    assert client.get("/metrics").status_code == 403
