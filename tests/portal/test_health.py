"""GET /healthz: what a load balancer and an operator see about the dependencies."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches

from portal.views import health

pytestmark = pytest.mark.django_db


def _redis_settings(settings, url: str) -> None:
    """Point the cache and the channel layer at Redis, as REDIS_URL does in production."""
    # Overriding these settings fires setting_changed, which drops Django's cache
    # handlers and channels' layer backends, so the next use builds Redis clients.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }


def test_healthz_reports_every_dependency_ok(client):
    """A healthy deployment answers 200 with database, cache and channel layer ok."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }


def test_healthz_is_never_cached(client):
    """A proxy never serves a stale health answer."""
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("failing", ["database", "cache", "channel_layer"])
def test_healthz_answers_503_naming_the_failed_check(client, monkeypatch, failing):
    """When one dependency fails, healthz says 503 and which one, with its error."""

    def broken():
        raise ConnectionError(f"{failing} is unreachable")

    monkeypatch.setitem(health.CHECKS, failing, broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"][failing].startswith("error")
    assert f"{failing} is unreachable" in body["checks"][failing]
    assert all(
        value == "ok" for name, value in body["checks"].items() if name != failing
    )


def test_healthz_answers_503_when_a_check_reports_an_error(client, monkeypatch):
    """A check that answers with an error (rather than raising) also fails the probe."""
    monkeypatch.setitem(health.CHECKS, "cache", lambda: "error: value not read back")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: value not read back"


def test_healthz_reports_redis_down(client, settings):
    """With REDIS_URL pointing at a Redis that is not there, healthz fails loudly."""
    # Port 1 on localhost refuses connections at once: no Redis server is needed.
    _redis_settings(settings, "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("error")
    assert checks["channel_layer"].startswith("error")


def test_healthz_is_ok_through_redis(client, settings, redis_url):
    """With REDIS_URL set, the cache and channel layer checks go through Redis and pass."""
    _redis_settings(settings, redis_url)
    assert type(caches["default"]).__name__ == "RedisCache"
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"

    try:
        response = client.get("/healthz")
    finally:
        async_to_sync(layer.flush)()

    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "channel_layer": "ok",
    }
