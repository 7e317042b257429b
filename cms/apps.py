from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Content")

    def ready(self):
        from cms import contexts  # noqa: F401 - registers what each page reads
