"""/start (with a deep-link code), /link CODE, /help, /language, /unlink."""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import translation

from notifications.telegram import keyboards, selectors, services, texts
from notifications.telegram.handlers.common import arg, handler, say


async def _link(update, code: str) -> None:
    chat = update.effective_chat
    user = update.effective_user
    link = await sync_to_async(services.link_consume)(
        token=code, chat_id=chat.id, username=(user.username or "") if user else ""
    )
    dealer_user = await sync_to_async(selectors.dealer_user_for_chat)(
        chat_id=link.chat_id
    )
    with translation.override(dealer_user.language):
        await say(
            update,
            texts.welcome(dealer_user.user.get_username(), dealer_user.dealer.name),
        )
        await say(update, texts.HELP)


@handler(linked=False)
async def start(update, context, dealer_user):
    """``/start`` or ``/start CODE`` from the portal's deep link."""
    if context.args:
        await _link(update, context.args[0])
        return
    if dealer_user is None:
        await say(update, texts.not_linked())
        return
    await say(update, texts.HELP)
    return


@handler(linked=False)
async def link(update, context, dealer_user):
    """``/link CODE``: the fallback when the deep link cannot be opened."""
    if not context.args:
        await say(update, texts.link_usage())
        return
    await _link(update, context.args[0])
    return


@handler(linked=False)
async def help_(update, context, dealer_user):
    await say(update, texts.HELP if dealer_user else texts.not_linked())


@handler()
async def language(update, context, dealer_user):
    await say(update, texts.language_prompt(), keyboards.languages())


@handler(callback=True)
async def language_chosen(update, context, dealer_user):
    code = arg(update.callback_query.data)
    await sync_to_async(services.language_set)(dealer_user=dealer_user, language=code)
    with translation.override(code):
        text = texts.language_set(dict(settings.LANGUAGES)[code])
        await say(update, text, edit=True)
        return text


@handler()
async def unlink(update, context, dealer_user):
    await sync_to_async(services.link_remove)(chat_id=update.effective_chat.id)
    await say(update, texts.unlinked())
