from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.tasks.signals import task_enqueued, task_finished, task_started

        from portal.ops import logs, wake

        task_enqueued.connect(wake.on_task_enqueued, dispatch_uid="portal.wake")
        task_started.connect(logs.on_task_started, dispatch_uid="portal.logs.start")
        task_finished.connect(logs.on_task_finished, dispatch_uid="portal.logs.end")
