"""Settings profiles, each loaded in a fresh interpreter as a deployment would."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

# Variables the profiles read; every run starts from none of them set.
PROFILE_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
}

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION", ""),
    "LAYER": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "LAYER_HOSTS": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts", []),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "DB_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "DB_POOL": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
}))
"""


def _run(args, profile: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in PROFILE_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE=f"portal.settings.{profile}", **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(profile: str, **env) -> dict:
    result = _run(["-c", PRINT_SETTINGS], profile, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _secret_key() -> str:
    return secrets.token_urlsafe(64)[:64]


@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "",
        "too-short-a-secret",
        "django-insecure-" + "x" * 60,
        "dev-only-not-secret-" + "y" * 50,
    ],
    ids=["missing", "empty", "short", "django-insecure", "dev-key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    """Production stops at start-up, naming SECRET_KEY, unless a real key is given."""
    env = {"ALLOWED_HOSTS": "example.com"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = _run(["-c", PRINT_SETTINGS], "production", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not result.stdout.strip()


def test_production_passes_the_deploy_check(tmp_path):
    """With a real key, a host and a database, `check --deploy` has nothing to warn about."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_not_in_debug_and_cookies_are_secure():
    """Production never shows debug pages, even with DEBUG=1, and sends cookies over HTTPS only."""
    values = _settings("production", SECRET_KEY=_secret_key(), DEBUG="1")

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True


def test_dev_profile_shows_debug_pages_only_when_asked():
    """`make run` (the dev profile) is not in debug unless a developer sets DEBUG=1."""
    assert _settings("dev")["DEBUG"] is False
    assert _settings("dev", DEBUG="1")["DEBUG"] is True
    assert _settings("dev", DEBUG="0")["DEBUG"] is False


SERVE_STATIC = """
import django
django.setup()
from django.test import Client
answer = Client().get("/static/portal/portal.css")
print(answer.status_code, answer.headers["Content-Type"].split(";")[0])
"""


def test_dev_profile_serves_static_files_without_debug():
    """With DEBUG off (the `make run` default) WhiteNoise still serves static files."""
    result = _run(["-c", SERVE_STATIC], "dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "text/css"]


def test_embedded_default_needs_no_redis():
    """Without REDIS_URL, cache and channel layer live in the process."""
    values = _settings("dev")

    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["LAYER"] == "channels.layers.InMemoryChannelLayer"


@pytest.mark.parametrize("profile", ["dev", "production"])
def test_redis_url_switches_cache_and_channel_layer_to_redis(profile):
    """REDIS_URL alone moves the cache and the channel layer to Redis."""
    url = "redis://redis.internal:6379/2"

    values = _settings(profile, REDIS_URL=url, SECRET_KEY=_secret_key())

    assert values["CACHE"] == "common.cache.TolerantRedisCache"
    assert values["CACHE_LOCATION"] == url
    assert values["LAYER"] == "channels_redis.core.RedisChannelLayer"
    assert [host["address"] for host in values["LAYER_HOSTS"]] == [url]


@pytest.mark.parametrize("profile", ["dev", "production"])
def test_postgresql_uses_a_bounded_connection_pool(profile):
    """Under ASGI every request runs in a thread of its own: PostgreSQL connections
    come from one bounded pool per process, never one kept per thread."""
    values = _settings(
        profile,
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        DATABASE_POOL_SIZE="7",
        SECRET_KEY=_secret_key(),
    )

    assert values["DB_ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_CONN_MAX_AGE"] == 0
    assert values["DB_POOL"]["max_size"] == 7
