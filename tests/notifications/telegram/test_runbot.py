"""The bot process (``runbot``: polling and webhook modes) and ``set_telegram_webhook``,
against the fake Bot API."""

import json
import time

import pytest
from django.core.management import CommandError, call_command

from notifications.telegram import services
from notifications.telegram.models import TelegramLink, TelegramUpdate


def start_update(update_id: int, chat_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Dealer"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Dealer"},
            "text": text,
            "entities": [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ],
        },
    }


def test_polling_processes_each_update_once(world, fake_api, telegram_on):
    """getUpdates hands out a /start with a link code and an update seen before: the
    chat is linked and answered; the old update is not processed again."""
    token = services.link_token_create(user=world["buyer"].user)
    seen = services.update_record(update_id=7, payload={})  # an earlier run's
    services.update_done(pk=seen.pk)
    fake_api.updates = [
        start_update(7, 555, "/help"),
        start_update(8, 777, f"/start {token}"),
    ]

    call_command("runbot", "--once")

    assert TelegramLink.objects.get(chat_id=777).user == world["buyer"].user
    assert fake_api.texts(chat_id=777)
    assert not fake_api.texts(chat_id=555)  # update 7 was skipped
    assert [c.method for c in fake_api.calls].count("deleteWebhook") == 1
    # the next getUpdates confirmed everything up to 8
    offsets = [
        c.params.get("offset") for c in fake_api.calls if c.method == "getUpdates"
    ]
    assert str(offsets[-1]) == "9"
    assert TelegramUpdate.objects.get(update_id=8).status == TelegramUpdate.Status.DONE


def test_webhook_mode_processes_what_the_webhook_stored(
    world, client, fake_api, telegram_on
):
    token = services.link_token_create(user=world["owner"].user)
    response = client.post(
        "/telegram/webhook/",
        start_update(21, 888, f"/link {token}"),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret-webhook",
    )
    assert response.status_code == 200
    assert not TelegramLink.objects.filter(chat_id=888).exists()  # answered fast

    call_command("runbot", "--webhook", "--once")

    assert TelegramLink.objects.get(chat_id=888).user == world["owner"].user
    assert TelegramUpdate.objects.get(update_id=21).status == TelegramUpdate.Status.DONE
    assert not any(c.method == "getUpdates" for c in fake_api.calls)


def test_set_telegram_webhook_registers_url_and_secret(fake_api, telegram_on, settings):
    settings.PORTAL_BASE_URL = "https://dealers.example.com"
    call_command("set_telegram_webhook")
    assert fake_api.webhook["url"] == "https://dealers.example.com/telegram/webhook/"
    assert fake_api.webhook["secret_token"] == "s3cret-webhook"

    call_command("set_telegram_webhook", "--delete")
    assert fake_api.webhook == {}


def test_set_telegram_webhook_needs_a_secret(fake_api, telegram_on, settings):
    settings.TELEGRAM = {**settings.TELEGRAM, "WEBHOOK_SECRET": ""}
    with pytest.raises(CommandError, match="TELEGRAM_WEBHOOK_SECRET"):
        call_command("set_telegram_webhook")


def test_no_token_the_bot_is_off(settings, db):
    settings.TELEGRAM = {**settings.TELEGRAM, "TOKEN": ""}
    with pytest.raises(CommandError, match="TELEGRAM_BOT_TOKEN"):
        call_command("runbot", "--once")
    with pytest.raises(CommandError, match="TELEGRAM_BOT_TOKEN"):
        call_command("set_telegram_webhook")


def test_the_tick_forgets_update_ids_after_the_window(db, settings):
    """Processed ids are remembered for UPDATE_WINDOW_HOURS, then purged by the tick;
    a recent one stays and its repeat is still skipped."""
    from datetime import timedelta

    from django.utils import timezone

    old = services.update_record(update_id=10, payload={})
    recent = services.update_record(update_id=11, payload={})
    for row in (old, recent):
        services.update_done(pk=row.pk)
    TelegramUpdate.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(hours=49)
    )

    call_command("notifications_tick", "--once")

    assert list(TelegramUpdate.objects.values_list("update_id", flat=True)) == [11]
    assert services.update_record(update_id=11, payload={}) is None


@pytest.mark.parametrize(
    "update_id", [2**63, 2**64, -1, "12", True, 1.5, None], ids=repr
)
def test_webhook_refuses_ids_that_are_not_updates(client, db, telegram_on, update_id):
    """Out of range or of the wrong type: a 400 with a reason, never a 500."""
    response = client.post(
        "/telegram/webhook/",
        json.dumps({"update_id": update_id}),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret-webhook",
    )
    assert response.status_code == 400
    assert response.json()["reason"] == "not an update"
    assert not TelegramUpdate.objects.exists()


def test_webhook_refuses_an_oversized_body_with_413(client, db, telegram_on, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/telegram/webhook/",
        {"update_id": 1, "message": {"text": "x" * 5000}},
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret-webhook",
    )
    assert response.status_code == 413
