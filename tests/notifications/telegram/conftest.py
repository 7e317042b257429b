"""The fake Bot API, the running Application pointed at it, and chats that feed it
real Update JSON."""

import itertools
import time

import httpx
import pytest
from asgiref.sync import async_to_sync
from telegram import Update
from telegram.request import HTTPXRequest

from notifications.telegram import bot as telegram_bot
from tests.notifications.telegram.fake_api import TOKEN, FakeBotApi

_update_ids = itertools.count(1000)


@pytest.fixture
def fake_api():
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def telegram_on(settings, fake_api):
    settings.TELEGRAM = {
        **settings.TELEGRAM,
        "TOKEN": TOKEN,
        "API_BASE_URL": fake_api.base_url,
        "BOT_USERNAME": "dealer_test_bot",
        "WEBHOOK_SECRET": "s3cret-webhook",
        "RATE_LIMITER": "memory",
    }
    return settings.TELEGRAM


@pytest.fixture
def application(telegram_on):
    # Each async_to_sync call runs its own event loop: no pooled connection may
    # outlive one, so keep-alive is off in tests.
    request = HTTPXRequest(
        httpx_kwargs={"limits": httpx.Limits(max_keepalive_connections=0)}
    )
    app = telegram_bot.build_application(request=request)
    async_to_sync(app.initialize)()
    yield app
    async_to_sync(app.shutdown)()


class Chat:
    """One private chat with the bot; ``send`` and ``press`` go through the real
    Application (``process_update``), DB work runs in the test's transaction."""

    def __init__(self, application, fake_api, chat_id: int, language: str = "en"):
        self.application = application
        self.fake = fake_api
        self.chat_id = chat_id
        self.language = language
        self.message_id = 1

    def _user(self):
        return {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": "Dealer",
            "username": f"u{self.chat_id}",
            "language_code": self.language,
        }

    def _chat(self):
        return {"id": self.chat_id, "type": "private", "first_name": "Dealer"}

    def feed(self, data: dict) -> None:
        update = Update.de_json(data, self.application.bot)
        async_to_sync(self.application.process_update)(update)

    def send(
        self, text: str, *, reply_to: int | None = None, photo: bytes | None = None
    ) -> str:
        """Send ``text`` (a photo's caption when ``photo`` is given), replying to
        the bot's message ``reply_to`` when given; returns what the bot said."""
        self.message_id += 1
        message = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._user(),
            "text": text,
        }
        if photo is not None:
            file_id = f"ph{self.chat_id}x{self.message_id}"
            self.fake.files[file_id] = photo
            del message["text"]
            if text:
                message["caption"] = text
            message["photo"] = [
                {
                    "file_id": f"{file_id}s",
                    "file_unique_id": "s",
                    "width": 90,
                    "height": 90,
                },
                {
                    "file_id": file_id,
                    "file_unique_id": "l",
                    "width": 1280,
                    "height": 960,
                },
            ]
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": self._chat(),
                "text": "…",
            }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": length}
            ]
        before = len(self.fake.calls)
        self.feed({"update_id": next(_update_ids), "message": message})
        return "\n".join(
            c.params.get("text", "")
            for c in self.fake.calls[before:]
            if c.method in {"sendMessage", "editMessageText"}
        )

    def press(self, data: str) -> str:
        """Press a button with ``data``; returns what the bot said (the toast too)."""
        before = len(self.fake.calls)
        self.feed(
            {
                "update_id": next(_update_ids),
                "callback_query": {
                    "id": str(next(_update_ids)),
                    "from": self._user(),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": self.message_id,
                        "date": int(time.time()),
                        "chat": self._chat(),
                        "text": "…",
                    },
                },
            }
        )
        calls = self.fake.calls[before:]
        answered = [c for c in calls if c.method == "answerCallbackQuery"]
        assert len(answered) == 1, "every button press is answered exactly once"
        return "\n".join(
            c.params.get("text", "")
            for c in calls
            if c.method in {"sendMessage", "editMessageText", "answerCallbackQuery"}
        )


@pytest.fixture
def chat_factory(application, fake_api):
    ids = itertools.count(7001)

    def make(language: str = "en") -> Chat:
        return Chat(application, fake_api, next(ids), language)

    return make


@pytest.fixture
def linked(chat_factory, world):
    """A chat linked to the world's buyer (English)."""
    from dealers import services as dealer_services
    from notifications.telegram import services

    def make(role: str = "buyer", language: str = "en") -> Chat:
        dealer_user = world[role]
        dealer_services.dealer_user_set_language(
            dealer_user=dealer_user, language=language
        )
        chat = chat_factory(language)
        token = services.link_token_create(user=dealer_user.user)
        chat.send(f"/start {token}")
        return chat

    return make
