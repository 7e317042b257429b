"""API keys for the integration (the ERP), stored hashed."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A bearer key; only its SHA-256 is kept (keys are long random strings, so a
    plain hash is enough), and its first characters to tell keys apart."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    hashed_key = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return f"dp_{secrets.token_urlsafe(32)}"
