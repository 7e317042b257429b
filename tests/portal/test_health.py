"""/healthz (alive), /readyz (ready): what a load balancer and an operator see."""

import socket

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connections

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_settings(settings, url: str) -> None:
    """Point REDIS_URL, the cache and the channel layer at ``url``, as production does."""
    # Overriding these settings fires setting_changed, which drops Django's cache
    # handlers and channels' layer backends, so the next use builds Redis clients.
    settings.REDIS_URL = url
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


def test_healthz_is_alive_without_touching_dependencies(client, settings):
    """Liveness answers even when every dependency is gone."""
    _redis_settings(settings, f"redis://127.0.0.1:{_closed_port()}/0")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_every_dependency_ok(client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "cache": "ok",
            "channel_layer": "ok",
        },
    }
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client, monkeypatch):
    """The checks open connections of their own (in executor threads): point those
    at a closed port (PostgreSQL) or an unopenable file (SQLite)."""
    broken = {**connections.settings["default"], "OPTIONS": {}}
    if broken["ENGINE"].endswith("postgresql"):
        broken.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    else:
        broken["NAME"] = "/nonexistent-directory/db.sqlite3"
    monkeypatch.setitem(connections.settings, "default", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"].startswith("Unavailable")
    assert body["checks"]["migrations"].startswith("Unavailable")
    assert body["checks"]["cache"] == "ok"


def test_readyz_is_503_when_migrations_are_missing(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def plan_with_one_left(self, targets, clean_start=False):
        applied = real(self, targets, clean_start)
        node = self.loader.graph.leaf_nodes()[0]
        return [*applied, (self.loader.graph.nodes[node], False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_one_left)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert "1 migrations not applied" in response.json()["checks"]["migrations"]


def test_readyz_is_503_naming_redis_when_it_is_unreachable(client, settings):
    _redis_settings(settings, f"redis://127.0.0.1:{_closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"].startswith("Unavailable: Redis")
    assert checks["cache"] != "ok"
    assert checks["channel_layer"] != "ok"
    assert checks["database"] == "ok"


def test_readyz_is_200_again_through_a_live_redis(client, settings, redis_url):
    _redis_settings(settings, f"redis://127.0.0.1:{_closed_port()}/0")
    assert client.get("/readyz").status_code == 503

    _redis_settings(settings, redis_url)
    try:
        response = client.get("/readyz")
    finally:
        async_to_sync(get_channel_layer().flush)()

    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
        "channel_layer": "ok",
        "redis": "ok",
    }
