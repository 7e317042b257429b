"""The bot side of conversations: a reply (Telegram's reply-to) to a pushed
recommendation, a rep's answer or the bot's own confirmation posts into the right
thread; ``/ask`` starts one; a photo attaches to the thread it replies to (or the
one the dealer wrote in last, else a new one). Added to the Application through
``notifications.telegram.register.extend``."""

import datetime
import logging
import uuid

from asgiref.sync import sync_to_async
from django.utils import timezone
from django.utils.translation import get_language
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from conversations import conf, selectors, services
from notifications.telegram import texts
from notifications.telegram.handlers import draft, orders
from notifications.telegram.handlers.common import handler, say

logger = logging.getLogger(__name__)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("ask", ask, filters=private))
    application.add_handler(
        MessageHandler(
            private & filters.REPLY & (filters.TEXT | filters.PHOTO) & ~filters.COMMAND,
            replied,
        )
    )
    application.add_handler(MessageHandler(private & filters.PHOTO, photo_sent))


async def _photos(update, context) -> list[bytes]:
    """The largest size of the photo the message carries (Telegram sends several)."""
    message = update.effective_message
    if not message.photo:
        return []
    file = await context.bot.get_file(message.photo[-1].file_id)
    return [bytes(await file.download_as_bytearray())]


def _text_of(update) -> str:
    message = update.effective_message
    return (message.text or message.caption or "").strip()


async def _confirm(update, thread) -> None:
    """Say it is sent, and remember the confirmation: a reply to it continues."""
    sent = await say(update, texts.message_posted(thread.subject))
    if sent is not None:
        await sync_to_async(services.telegram_message_remember)(
            thread=thread, chat_id=update.effective_chat.id, message_id=sent.message_id
        )


def _key(update):
    """The same Telegram message posts once, even if its update came twice."""
    message = update.effective_message
    return uuid.uuid5(
        uuid.NAMESPACE_URL, f"telegram:{update.effective_chat.id}:{message.message_id}"
    )


async def _write(
    update,
    participant,
    *,
    text: str | None = None,
    thread=None,
    about=None,
    subject: str = "",
    photos=(),
) -> None:
    """Post the message into ``thread``, else start one (about ``about``), and
    confirm; the Telegram message's own id makes a repeated update post once."""
    fields = {
        "participant": participant,
        "text": _text_of(update) if text is None else text,
        "photos": list(photos),
        "client_key": _key(update),
        "via": "telegram",
    }
    if thread is not None:
        message = await sync_to_async(services.message_post)(
            thread_id=thread.pk, **fields
        )
    else:
        message = await sync_to_async(services.thread_start)(
            about=about, subject=subject, **fields
        )
    await _confirm(update, await sync_to_async(lambda: message.thread)())


@handler()
async def ask(update, context, dealer_user):
    """/ask QUESTION: a new thread with the sales organisation."""
    question = " ".join(context.args or []).strip()
    if not question:
        await say(update, texts.ask_how())
        return
    await _write(update, selectors.dealer_side(dealer_user), text=question)


@handler()
async def replied(update, context, dealer_user):
    """A reply: into the thread the replied-to message belongs to. A reply to a
    message no thread knows (a product list) is read as plain text."""
    participant = selectors.dealer_side(dealer_user)
    reply_to = update.effective_message.reply_to_message
    target = await sync_to_async(selectors.telegram_reply_target)(
        participant=participant,
        chat_id=update.effective_chat.id,
        message_id=reply_to.message_id,
        language=get_language(),
    )
    if target is None or (target.thread is None and target.about is None):
        if update.effective_message.photo:
            await photo_sent(update, context)
            return
        if orders.ORDER_NUMBER.search(_text_of(update)):
            await orders.arrival_asked(update, context)
            return
        await draft.text(update, context)
        return
    await _write(
        update,
        participant,
        thread=target.thread,
        about=target.about,
        photos=await _photos(update, context),
    )


@handler()
async def photo_sent(update, context, dealer_user):
    """A photo on its own: to the thread the dealer wrote in within the last day,
    else a new thread named by its caption."""
    participant = selectors.dealer_side(dealer_user)
    since = timezone.now() - datetime.timedelta(
        hours=conf.get("TELEGRAM_PHOTO_JOINS_HOURS")
    )
    thread = await sync_to_async(selectors.latest_thread_of)(
        participant=participant, since=since
    )
    try:
        photos = await _photos(update, context)
    except Exception:  # noqa: BLE001 - Telegram could not give the file
        logger.warning("could not fetch a photo from Telegram", exc_info=True)
        await say(update, texts.photo_unreadable())
        return
    await _write(
        update,
        participant,
        thread=thread,
        subject=_text_of(update)[:60] or "📷",
        photos=photos,
    )
