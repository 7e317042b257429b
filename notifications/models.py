"""The outbox (notifications and their per-channel deliveries), preferences, and the
campaigns sales reps push.

A notification is written in the transaction of the change it announces, with one
delivery row per channel that should carry it; the database is the truth, a channel
(the WebSocket, Telegram) only a way to say "look".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    TELEGRAM = "telegram", _("Telegram")


class Campaign(models.Model):
    """A push to many dealers: composed by a rep, or an automatic recommendation."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Sent by a sales rep")
        AUTOMATIC = "automatic", _("Automatic recommendation")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rep = models.ForeignKey(
        "dealers.SalesRep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("sales rep"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    promotion = models.ForeignKey(
        "promos.Promotion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked promotion"),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=120, blank=True)
    body_zh = models.TextField(_("message (Chinese)"), max_length=1000, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    body_en = models.TextField(_("message (English)"), max_length=1000, blank=True)
    order_now = models.BooleanField(_("with an “order now” link"), default=True)
    audience = models.JSONField(_("audience"), default=dict)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dealers_total = models.PositiveIntegerField(_("dealers"), default=0)
    dealers_done = models.PositiveIntegerField(_("dealers done"), default=0)
    dealers_skipped = models.PositiveIntegerField(
        _("dealers skipped"),
        default=0,
        help_text=_("Already reached by this campaign, or over their weekly limit."),
    )
    notifications_created = models.PositiveIntegerField(_("notifications"), default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["promotion"],
                condition=Q(kind="automatic"),
                name="one_automatic_campaign_per_promotion",
            ),
        ]
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self):
        return self.title_zh or self.title_en or f"#{self.pk}"

    @property
    def progress_percent(self) -> int:
        if not self.dealers_total:
            return 100 if self.status == self.Status.SENT else 0
        return min(100, round(100 * self.dealers_done / self.dealers_total))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.SENDING}


class CampaignRecipient(models.Model):
    """One dealer a campaign reached: at most once (the de-duplication)."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("campaign"),
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer"),
    )
    score = models.FloatField(_("fit"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "-score", "dealer"]
        verbose_name = _("campaign recipient")
        verbose_name_plural = _("campaign recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "dealer"], name="one_push_per_dealer_per_campaign"
            ),
        ]
        indexes = [models.Index(fields=["dealer", "created_at"])]

    def __str__(self):
        return f"{self.campaign_id} → {self.dealer_id}"


class Notification(models.Model):
    """One message to one dealer user; what the inbox lists.

    Texts are rendered when read, in the reader's language, from ``kind`` and
    ``data`` (or from the campaign's texts), so an event announced today reads well
    in either language tomorrow.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    critical = models.BooleanField(_("critical"), default=False)
    data = models.JSONField(default=dict, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["campaign", "dealer"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    """Carrying one notification over one channel, with its own status and retries.

    ``priority`` keeps a credit hold from waiting behind a campaign to 100,000
    dealers: workers claim critical deliveries first, campaigns last.

    ``sending`` is a claim: a worker owns the row until ``lease_until``; a worker
    that dies leaves the claim to expire and another takes the row back.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        READ = "read", _("Read")
        CLICKED = "clicked", _("Clicked")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(
        _("address"),
        max_length=64,
        blank=True,
        help_text=_("Where the channel sends it (a chat id); empty for the portal."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=5,
        help_text=_("Higher goes first: critical events, then events, then campaigns."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    external_id = models.CharField(
        _("id in the channel"),
        max_length=32,
        blank=True,
        help_text=_("What the channel calls the sent message (a Telegram message id)."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-priority", "next_attempt_at"]),
            models.Index(fields=["status", "lease_until"]),
            models.Index(
                fields=["address", "external_id"],
                condition=~Q(external_id=""),
                name="delivery_by_external_id",
            ),
        ]

    def __str__(self):
        return f"{self.notification_id}/{self.channel}: {self.status}"


class Preference(models.Model):
    """What a dealer user wants pushed, where, and when not."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    muted_topics = models.JSONField(
        _("muted topics"),
        default=list,
        blank=True,
        help_text=_("Topics not to notify (critical ones always come)."),
    )
    portal = models.BooleanField(_("live in the portal"), default=True)
    telegram = models.BooleanField(_("in Telegram"), default=True)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user_id)

    def wants_channel(self, channel: str) -> bool:
        return bool(getattr(self, channel, False))


# The Telegram tables live next to the bot; importing them here makes them models of
# this app.
from notifications.telegram.models import (  # noqa: E402, F401
    TelegramLink,
    TelegramLinkToken,
    TelegramThrottle,
    TelegramUpdate,
)
