"""The same conversation from Telegram, against the fake Bot API: a dealer
replies to a pushed recommendation, the rep answers in the portal, the answer
arrives in the chat, and the dealer's reply to it (and a photo) continue the
thread; /ask starts one."""

import time

import pytest

from conversations import services
from conversations.models import Message, Thread
from notifications import channels
from notifications import services as notification_services
from notifications.models import Delivery
from notifications.telegram import ratelimit
from notifications.telegram.channel import TelegramChannel
from tests.conversations.conftest import as_rep, jpeg
from tests.notifications.telegram.conftest import (  # noqa: F401 - fixtures
    application,
    chat_factory,
    fake_api,
    linked,
    telegram_on,
)


@pytest.fixture
def telegram_channel(telegram_on):
    channel = TelegramChannel(
        limiter=ratelimit.MemoryRateLimiter(rate=1000, chat_interval=0.01)
    )
    channels.register(channel)
    yield channel
    channel.close()
    channels.unregister("telegram")


def _deliver(chat_id: int) -> Delivery:
    """Send what is queued; the newest Telegram delivery to ``chat_id``."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        notification_services.deliveries_dispatch()
        if not Delivery.objects.filter(
            channel="telegram", status__in=["queued", "sending"]
        ).exists():
            break
        time.sleep(0.05)
    return Delivery.objects.filter(channel="telegram", address=str(chat_id)).latest(
        "pk"
    )


def test_the_conversation_continues_in_telegram(
    world, rep, linked, fake_api, telegram_channel, django_capture_on_commit_callbacks
):
    chat = linked()
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.campaign_create(
            user=rep.user,
            audience={"type": "picked", "dealers": [world["dealer"].pk]},
            promotion_code="",
            title_en="New tea season: 5 % off Tea A",
            title_zh="新茶季：茶A九五折",
        )
    push = _deliver(chat.chat_id)
    assert push.status == "sent"
    assert push.external_id
    pushed = fake_api.texts(chat.chat_id)[-1]
    assert "New tea season" in pushed
    assert "Reply to this message" in pushed

    said = chat.send("Does it apply to TEA-A-02 too?", reply_to=int(push.external_id))
    assert "Sent to your sales organisation" in said
    thread = Thread.objects.get()
    assert thread.about == Thread.About.CAMPAIGN
    assert thread.subject == "New tea season: 5 % off Tea A"
    question = thread.messages.get()
    assert question.via == "telegram"
    assert question.author == world["buyer"].user

    # The rep answers from the portal; the answer reaches the chat.
    services.message_post(
        participant=as_rep(rep), thread_id=thread.pk, text="Yes, all of Tea A."
    )
    answer = _deliver(chat.chat_id)
    assert answer.notification.kind == "conversation.reply"
    assert "Yes, all of Tea A." in fake_api.texts(chat.chat_id)[-1]

    # Replying to the answer, with a photo, continues the same thread.
    chat.send(
        "This is what the shop shows", reply_to=int(answer.external_id), photo=jpeg()
    )
    latest = Message.objects.latest("pk")
    assert latest.thread_id == thread.pk
    assert latest.text == "This is what the shop shows"
    assert latest.attachments.get().width == 1600

    # Replying to the bot's own confirmation continues it too.
    confirmation = fake_api.sent()[-1]
    assert "Sent to your sales organisation" in confirmation.params["text"]
    from conversations.models import TelegramMessage

    ref = TelegramMessage.objects.filter(thread=thread).latest("pk")
    chat.send("One more thing", reply_to=ref.message_id)
    assert Message.objects.latest("pk").thread_id == thread.pk
    assert Thread.objects.count() == 1


def test_ask_starts_a_thread_and_a_bare_photo_joins_it(world, rep, linked, fake_api):
    chat = linked()
    assert "Write your question after /ask" in chat.send("/ask")
    assert not Thread.objects.exists()
    said = chat.send("/ask Can I pay the December invoice in two parts?")
    assert "Sent to your sales organisation" in said
    thread = Thread.objects.get()
    assert thread.subject == "Can I pay the December invoice in two parts?"
    chat.send("", photo=jpeg(800, 600))
    assert thread.messages.count() == 2
    assert thread.messages.latest("pk").attachments.count() == 1


def test_a_reply_to_a_message_of_no_thread_is_read_as_usual(world, linked, fake_api):
    """A reply to the bot's product list is a product search, as before."""
    chat = linked()
    said = chat.send("TEA-A", reply_to=99999)
    assert not Thread.objects.exists()
    assert "TEA-A" in said


def test_a_reply_cannot_reach_another_dealers_thread(world, rep, linked, fake_api):
    """A forged reply-to of a message id of another chat goes nowhere."""
    from conversations.models import TelegramMessage
    from tests.conversations.conftest import as_dealer

    other = services.thread_start(
        participant=as_dealer(world["other_user"]), text="Other dealer's question"
    ).thread
    chat = linked()
    TelegramMessage.objects.create(
        chat_id=chat.chat_id + 1, message_id=4242, thread=other
    )
    chat.send("Let me in", reply_to=4242)
    assert other.messages.count() == 1
