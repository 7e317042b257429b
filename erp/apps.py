from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "erp"
    verbose_name = _("ERP connector")

    def ready(self):
        from common import outbox
        from erp.events import on_event

        outbox.listen(on_event)
