"""Rows every app shares: the version counters that cached reads are keyed on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheVersion(models.Model):
    """A counter per kind of data the pages cache (promotions, catalogue, stock,
    purchase history). A write bumps it in its own transaction, so once the write
    commits every entry keyed on the old number is unreachable (``common.versions``)."""

    scope = models.CharField(_("scope"), max_length=64, primary_key=True)
    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("cache version")
        verbose_name_plural = _("cache versions")

    def __str__(self):
        return f"{self.scope} v{self.number}"
