"""Linking a chat to a dealer user, /help, /language and /unlink."""

from datetime import timedelta

from django.utils import timezone

from notifications.telegram import services
from notifications.telegram.models import TelegramLink, TelegramLinkToken


def test_deep_link_links_the_chat_to_the_dealer_user(world, chat_factory):
    """/start CODE from the portal's t.me link connects the chat; the code is stored
    hashed only."""
    chat = chat_factory()
    token = services.link_token_create(user=world["buyer"].user)

    said = chat.send(f"/start {token}")

    link = TelegramLink.objects.get(chat_id=chat.chat_id)
    assert link.user == world["buyer"].user
    assert "上海茶行" in said
    assert not TelegramLinkToken.objects.filter(token_hash=token).exists()


def test_link_code_fallback_and_reused_code_refused(world, chat_factory):
    """/link CODE works once; the same code from another chat is refused."""
    token = services.link_token_create(user=world["owner"].user)
    first, second = chat_factory(), chat_factory()

    first.send(f"/link {token}")
    said = second.send(f"/link {token}")

    assert TelegramLink.objects.get(user=world["owner"].user).chat_id == first.chat_id
    assert "not valid any more" in said
    assert not TelegramLink.objects.filter(chat_id=second.chat_id).exists()


def test_expired_code_refused(world, chat_factory):
    """A code older than 15 minutes does not link."""
    token = services.link_token_create(user=world["buyer"].user)
    TelegramLinkToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    chat = chat_factory()

    said = chat.send(f"/start {token}")

    assert "not valid any more" in said
    assert not TelegramLink.objects.exists()


def test_new_code_replaces_the_old_one(world):
    """Only the newest code of a user works."""
    old = services.link_token_create(user=world["buyer"].user)
    services.link_token_create(user=world["buyer"].user)
    import pytest

    from common.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.link_consume(token=old, chat_id=1)


def test_chat_links_to_exactly_one_dealer_user(world, chat_factory):
    """Linking a chat already linked to someone else moves it to the new user."""
    chat = chat_factory()
    chat.send(f"/start {services.link_token_create(user=world['buyer'].user)}")
    chat.send(f"/start {services.link_token_create(user=world['other_user'].user)}")

    assert TelegramLink.objects.filter(chat_id=chat.chat_id).count() == 1
    assert TelegramLink.objects.get(chat_id=chat.chat_id).user == (
        world["other_user"].user
    )


def test_unlinked_chat_is_told_how_to_link(chat_factory, world):
    chat = chat_factory()
    assert "not connected" in chat.send("/balance")
    assert "not connected" in chat.press("t:SO-000001")


def test_help_lists_the_commands(linked):
    chat = linked()
    said = chat.send("/help")
    assert "/promos" in said
    assert "/track ORDER" in said


def test_language_switch_changes_the_bots_language(linked, world):
    """/language → 简体中文: the next answers are in Chinese and the portal knows."""
    chat = linked()
    chat.send("/language")
    said = chat.press("l:zh-hans")

    world["buyer"].refresh_from_db()
    assert world["buyer"].language == "zh-hans"
    assert "中文" in said
    assert "/promos" in chat.send("/help")
    assert "促销" in chat.send("/help")


def test_unlink_from_the_chat(linked, world):
    chat = linked()
    said = chat.send("/unlink")
    assert "disconnected" in said
    assert not TelegramLink.objects.exists()
    assert "not connected" in chat.send("/orders")


def test_unlink_from_the_portal(linked, world, client):
    chat = linked()
    client.force_login(world["buyer"].user)
    response = client.post("/account/telegram/unlink/")
    assert response.status_code == 302
    assert not TelegramLink.objects.exists()
    assert "not connected" in chat.send("/orders")


def test_account_page_shows_connect_telegram(world, client, telegram_on):
    """The account page offers a t.me deep link and a /link CODE fallback."""
    client.force_login(world["buyer"].user)
    response = client.post("/account/telegram/connect/", follow=True)
    body = response.content.decode()
    assert "https://t.me/dealer_test_bot?start=" in body
    assert "/link " in body
    token = body.split("?start=", 1)[1].split('"', 1)[0]
    assert services.link_consume(token=token, chat_id=99).user == world["buyer"].user


def test_account_page_without_token_shows_no_telegram_block(world, client, settings):
    settings.TELEGRAM = {**settings.TELEGRAM, "TOKEN": ""}
    client.force_login(world["buyer"].user)
    response = client.get("/account/")
    assert response.status_code == 200
    assert "t.me/" not in response.content.decode()


def test_webhook_checks_the_secret_and_skips_duplicates(client, db, telegram_on):
    from notifications.telegram.models import TelegramUpdate

    update = {"update_id": 42, "message": {"message_id": 1, "date": 0, "text": "x"}}
    url = "/telegram/webhook/"
    bad = client.post(
        url,
        update,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="wrong",
    )
    assert bad.status_code == 403
    for _ in range(2):
        ok = client.post(
            url,
            update,
            content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret-webhook",
        )
        assert ok.status_code == 200
    assert TelegramUpdate.objects.filter(update_id=42).count() == 1
    garbage = client.post(
        url,
        "nope",
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret-webhook",
    )
    assert garbage.status_code == 400


def test_webhook_off_without_a_token(client, db):
    response = client.post("/telegram/webhook/", {}, content_type="application/json")
    assert response.status_code == 404
