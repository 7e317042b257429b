"""Builds the bot's Application (the ``runbot`` process only; web workers never do).

No Updater: ``runbot`` feeds updates itself, from ``getUpdates`` (polling) or from
the updates the webhook view stored, so each update is processed once.
"""

from django.conf import settings
from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler
from telegram.request import BaseRequest

from common import logcontext
from notifications.telegram.request import AiohttpRequest


def api_base_url() -> str:
    return settings.TELEGRAM["API_BASE_URL"].rstrip("/")


def request_for(**kwargs) -> AiohttpRequest:
    """The sender's HTTP client (aiohttp: see ``request``), with the timeouts from
    settings. The bot process keeps PTB's own client: its traffic is one chat at a
    time."""
    timeout = settings.TELEGRAM.get("TIMEOUT", 10.0)
    kwargs.setdefault("read_timeout", timeout)
    kwargs.setdefault("write_timeout", timeout)
    kwargs.setdefault("connect_timeout", timeout)
    return AiohttpRequest(**kwargs)


def plain_bot(*, token: str | None = None, request: BaseRequest | None = None) -> Bot:
    """A Bot for sending only (the task worker's Telegram channel)."""
    base = api_base_url()
    return Bot(
        token=token or settings.TELEGRAM["TOKEN"],
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=request or request_for(),
    )


def build_application(
    *, token: str | None = None, request: BaseRequest | None = None
) -> Application:
    """The Application with every handler registered, without an Updater."""
    from notifications.telegram import register

    base = api_base_url()
    builder = (
        ApplicationBuilder()
        .token(token or settings.TELEGRAM["TOKEN"])
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .updater(None)
    )
    if request is not None:
        builder = builder.request(request)
    application = builder.build()
    # First of all: every line logged while this update is handled carries its ids.
    application.add_handler(TypeHandler(Update, _bind_log_ids), group=-100)
    register.register(application)
    return application


async def _bind_log_ids(update: Update, context) -> None:
    chat = update.effective_chat
    logcontext.bind(update_id=update.update_id, chat_id=chat.id if chat else None)
