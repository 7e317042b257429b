"""The Telegram bot and the Telegram delivery channel.

Off when no bot token is configured: nothing here is built or registered then.
"""

from django.conf import settings


def enabled() -> bool:
    """A bot token is configured: the bot and the Telegram channel are on."""
    return bool(settings.TELEGRAM.get("TOKEN"))
