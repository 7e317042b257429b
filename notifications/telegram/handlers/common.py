"""What every handler shares: the linked dealer user, the language, replies, and
turning errors into a sentence."""

import functools
import logging

from asgiref.sync import sync_to_async
from django.utils import translation
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from common.errors import DomainError
from notifications.telegram import selectors, services, texts

logger = logging.getLogger(__name__)


async def dealer_user_of(update: Update):
    chat = update.effective_chat
    if chat is None:
        return None
    return await sync_to_async(selectors.dealer_user_for_chat)(chat_id=chat.id)


async def say(update: Update, text: str, reply_markup=None, *, edit: bool = False):
    """Answer in the chat: edit the pressed message when asked, else a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            return await query.edit_message_text(str(text), reply_markup=reply_markup)
        except BadRequest as error:  # "message is not modified" and old messages
            logger.info("edit failed, sending instead: %s", error)
    chat = update.effective_chat
    return await chat.send_message(str(text), reply_markup=reply_markup)


def _language_of(dealer_user, update: Update) -> str:
    if dealer_user is not None:
        return dealer_user.language
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "zh-hans" if code.startswith("zh") else "en"


def handler(*, linked: bool = True, callback: bool = False):
    """Wrap a handler: find the dealer user of the chat (refuse unlinked chats when
    ``linked``), read and write in their language, answer every button press, and
    turn any error into a sentence."""

    def decorate(func):
        @functools.wraps(func)
        async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE):
            dealer_user = await dealer_user_of(update)
            query = update.callback_query
            toast, alert = None, False
            with translation.override(_language_of(dealer_user, update)):
                try:
                    if linked and dealer_user is None:
                        toast = texts.not_linked()
                        alert = True
                        if not callback:
                            await say(update, texts.not_linked())
                    else:
                        toast = await func(update, context, dealer_user)
                        if dealer_user is not None and update.effective_chat:
                            await sync_to_async(services.link_unblock)(
                                chat_id=update.effective_chat.id
                            )
                except DomainError as error:
                    toast, alert = error.message, True
                    if not callback:
                        await say(update, error.message)
                except Exception:
                    logger.exception("bot handler %s failed", func.__name__)
                    toast, alert = texts.something_wrong(), True
                    if not callback:
                        await say(update, texts.something_wrong())
                if query is not None:
                    try:
                        await query.answer(
                            str(toast)[:190] if toast else None, show_alert=alert
                        )
                    except Exception:  # noqa: BLE001 - an expired query is fine
                        logger.info("could not answer callback query")

        return wrapper

    return decorate


def arg(data: str, index: int = 1) -> str:
    """The ``index``-th ``:``-separated part of callback data ("" when missing)."""
    parts = (data or "").split(":")
    return parts[index] if len(parts) > index else ""
