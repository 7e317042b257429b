"""Production logs: one JSON object per line, one event per request with its ids,
task events carrying the task's and the worker's ids."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.tasks import task

from portal.ops import logs
from portal.settings.base import logging_config
from tests.notifications.telegram.conftest import (  # noqa: F401
    application,
    fake_api,
    telegram_on,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines(monkeypatch):
    """Django's LOGGING in its production form, writing to a buffer."""
    stream = io.StringIO()
    config = logging_config("json")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_production_settings_log_one_json_object_per_line():
    """The production profile itself, in a process of its own: every line is JSON."""
    code = (
        "import django, logging; django.setup();"
        "from portal.ops import logs;"
        "logs.bind(worker_id='w-1');"
        "logging.getLogger('notifications').warning('two\\nlines', extra={'n': 1});"
        "logging.getLogger('uvicorn.error').info('Started server process')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 60,
        "LOG_FORMAT": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "two\nlines"
    assert first["level"] == "WARNING"
    assert first["logger"] == "notifications"
    assert first["worker_id"] == "w-1"
    assert first["n"] == 1
    assert "time" in first
    assert second["logger"] == "uvicorn.error"


def test_one_request_event_with_request_id_user_dealer_status_and_duration(
    json_lines, dealer_client, dealer_user
):
    response = dealer_client.get("/", HTTP_X_REQUEST_ID="req-from-proxy-1")

    events = [e for e in json_lines() if e["logger"] == "portal.requests"]
    assert len(events) == 1
    event = events[0]
    assert event["request_id"] == "req-from-proxy-1"
    assert response["X-Request-ID"] == "req-from-proxy-1"
    assert event["status"] == response.status_code == 200
    assert event["method"] == "GET"
    assert event["path"] == "/"
    assert event["user_id"] == dealer_user.user.pk
    assert event["dealer"] == dealer_user.dealer.code
    assert event["duration_ms"] > 0


@pytest.mark.urls("tests.ops.urls")
def test_lines_logged_during_a_request_carry_its_id(json_lines, client):
    response = client.get("/logs/")

    inside, request = json_lines()
    assert inside["message"] == "inside"
    assert request["logger"] == "portal.requests"
    assert inside["request_id"] == request["request_id"] == response["X-Request-ID"]
    assert len(request["request_id"]) == 32  # made here: no header came in
    assert request["user_id"] is None
    assert request["dealer"] is None


@task()
def _logging_task():
    logging.getLogger("tests").warning("working")
    return 1


def test_task_events_carry_the_task_and_worker_ids(json_lines):
    logs.bind(worker_id="worker-7")
    try:
        result = _logging_task.enqueue()
    finally:
        logs.unbind("worker_id")

    # Only this task's lines (PostgreSQL adds its own, e.g. the worker wake-up).
    mine = [line for line in json_lines() if line.get("task_id") == str(result.id)]
    working, finished = mine
    assert working["task_id"] == finished["task_id"] == str(result.id)
    assert working["worker_id"] == finished["worker_id"] == "worker-7"
    assert finished["event"] == "task.finished"
    assert finished["status"] == "SUCCESSFUL"
    assert finished["task"].endswith("_logging_task")
    assert finished["duration_ms"] >= 0


def test_bot_events_carry_the_update_and_chat_ids(json_lines, application):  # noqa: F811
    """Lines logged while the bot handles an update carry its update and chat ids."""
    from asgiref.sync import async_to_sync
    from telegram import Update
    from telegram.ext import TypeHandler

    async def probe(update, context):
        logging.getLogger("notifications.telegram").warning("handling")

    application.add_handler(TypeHandler(Update, probe), group=-50)
    update = Update.de_json(
        {
            "update_id": 4242,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 777, "type": "private"},
                "from": {"id": 777, "is_bot": False, "first_name": "D"},
                "text": "hello",
            },
        },
        application.bot,
    )
    async_to_sync(application.process_update)(update)

    handling = next(e for e in json_lines() if e["message"] == "handling")
    assert handling["update_id"] == 4242
    assert handling["chat_id"] == 777
