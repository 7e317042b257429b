from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from conversations import telegram
        from notifications.telegram import register

        register.extend(telegram.register)  # replies, /ask and photos in the bot
