"""Telegram tables: chat links, one-time link tokens, processed
updates and the shared send throttle. Imported by ``notifications.models`` so they
belong to the notifications app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TelegramLink(models.Model):
    """One Telegram chat linked to exactly one dealer user (and back)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="telegram_link",
        verbose_name=_("user"),
    )
    chat_id = models.BigIntegerField(_("chat id"), unique=True)
    telegram_username = models.CharField(max_length=64, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    blocked_at = models.DateTimeField(
        _("blocked at"),
        null=True,
        blank=True,
        help_text=_("The user blocked the bot (Telegram answered 403): not sent to."),
    )

    class Meta:
        verbose_name = _("Telegram link")
        verbose_name_plural = _("Telegram links")

    def __str__(self):
        return f"{self.user_id} ↔ {self.chat_id}"


class TelegramLinkToken(models.Model):
    """A one-time code the portal shows; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self):
        return f"token for {self.user_id}"


class TelegramUpdate(models.Model):
    """An update Telegram sent (webhook or polling): seen once, processed once.

    Remembered for a bounded window (``TELEGRAM["UPDATE_WINDOW_HOURS"]``), then
    purged by the tick. Telegram may restart its numbering (after a week without
    updates, or with a new token): an id far below the last one seen opens a new
    ``epoch``, so the ids of the new numbering never collide with the old rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    update_id = models.BigIntegerField()
    epoch = models.PositiveIntegerField(default=0)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default="pending")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "update_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["epoch", "update_id"], name="telegram_update_once_per_epoch"
            )
        ]

    def __str__(self):
        return str(self.update_id)


class TelegramThrottle(models.Model):
    """The database flavour of the shared rate limiter: the next free send time
    (epoch seconds) of the whole deployment (``key='global'``) or of one chat."""

    key = models.CharField(max_length=40, unique=True)
    next_at = models.FloatField(default=0)

    def __str__(self):
        return f"{self.key}: {self.next_at}"
