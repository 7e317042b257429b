"""Tests: fast hashing, local memory everything, tasks run inline, Telegram off."""

from .base import *  # noqa: F403
from .base import PORTAL, TELEGRAM

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
TELEGRAM = {**TELEGRAM, "TOKEN": ""}
PORTAL = {**PORTAL}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "conversations": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
AXES_FAILURE_LIMIT = 5
LANGUAGE_CODE = "zh-hans"
