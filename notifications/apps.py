from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.core import checks

        from common import outbox
        from notifications import (
            channels,
            tasks,  # noqa: F401 - registers them with the queue
        )
        from notifications.checks import redis_layer_timeout
        from notifications.services import on_event
        from notifications.telegram.channel import register_if_enabled

        channels.register(channels.PortalChannel())
        register_if_enabled()  # the Telegram channel, only with a bot token
        outbox.listen(on_event)
        checks.register(redis_layer_timeout)
