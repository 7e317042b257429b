"""The only place handlers are added to the Application.

Apps above notifications (conversations) add theirs through ``extend``: they are
added after the commands and before the catch-all text handler, so a reply or a
photo reaches them first.
"""

from collections.abc import Callable

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from notifications.telegram.handlers import (
    account,
    agreement,
    draft,
    money,
    orders,
    promos,
)

_extensions: list[Callable[[Application], None]] = []


def extend(add_handlers: Callable[[Application], None]) -> None:
    """Have ``add_handlers(application)`` called when the bot is built (AppConfig)."""
    if add_handlers not in _extensions:
        _extensions.append(add_handlers)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    commands = {
        "start": account.start,
        "link": account.link,
        "help": account.help_,
        "language": account.language,
        "unlink": account.unlink,
        "promos": promos.promos,
        "order": draft.order,
        "orders": orders.orders,
        "track": orders.track,
        "balance": money.balance,
        "statement": money.statement,
        "agreement": agreement.agreement,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=private))
    buttons = {
        r"^l:": account.language_chosen,
        r"^pl$": promos.promos_pressed,
        r"^p:": promos.promotion_pressed,
        r"^po:": promos.order_this_pressed,
        r"^t:": orders.track_pressed,
        r"^d$": draft.draft_pressed,
        r"^da:": draft.add_pressed,
        r"^dq:": draft.quantity_pressed,
        r"^dg:": draft.gift_pressed,
        r"^dc:": draft.confirm_pressed,
        r"^dx$": draft.discard_pressed,
        r"^dr$": draft.reorder_pressed,
    }
    for pattern, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    for add_handlers in _extensions:
        add_handlers(application)
    application.add_handler(CallbackQueryHandler(unknown_button))
    application.add_handler(
        MessageHandler(
            filters.Regex(orders.ORDER_NUMBER) & ~filters.COMMAND & private,
            orders.arrival_asked,
        )
    )
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private, draft.text)
    )
    application.add_error_handler(on_error)


async def unknown_button(update, context):
    """Any other callback data (forged, or from an older bot): answered, refused."""
    from notifications.telegram.handlers.common import handler
    from notifications.telegram.texts import stale_button

    @handler(linked=False, callback=True)
    async def refuse(update, context, dealer_user):
        return stale_button()

    await refuse(update, context)


async def on_error(update, context):
    import logging

    logging.getLogger(__name__).error("unhandled bot error", exc_info=context.error)
