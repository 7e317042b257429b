"""The production profile as the topology test runs it: plain HTTP on loopback (no
TLS redirect, cookies over http), static files from the finders (no collectstatic),
short delivery leases so a killed worker's claims come back within the test, and a
Telegram rate the fake Bot API can take."""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES, TELEGRAM

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
NOTIFICATIONS = {"LEASE_SECONDS": 30, "TICK_SECONDS": 2}
TELEGRAM = {**TELEGRAM, "GLOBAL_RATE": 1000, "RATE_LIMITER": "auto"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
