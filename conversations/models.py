"""Threads between a dealer and the sales organisation that serves it: messages,
photos, who read what, and threads marked as market feedback.

A thread belongs to one dealer; any of the dealer's users writes on the dealer's
side, the reps who serve it (and their managers) on the other. What the thread is
about (a promotion, an order, a shipment, a statement, a pushed recommendation) is
kept as links, so "ask about this order" opens the same thread the next time.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Photos are the dealer's: never under the public /media/, served by a view
    that checks who asks (``STORAGES["conversations"]``)."""
    return storages["conversations"]


class Side(models.TextChoices):
    DEALER = "dealer", _("Dealer")
    REP = "rep", _("Sales organisation")


class Thread(models.Model):
    class About(models.TextChoices):
        GENERAL = "general", _("A question")
        PROMOTION = "promotion", _("A promotion")
        ORDER = "order", _("An order")
        SHIPMENT = "shipment", _("A shipment")
        STATEMENT = "statement", _("A statement")
        CAMPAIGN = "campaign", _("A recommendation")

    class Feedback(models.TextChoices):
        COMPETITOR_PRICE = "competitor_price", _("Competitor price")
        COMPETITOR_PROMOTION = "competitor_promotion", _("Competitor promotion")
        RETAIL_STOCKOUT = "retail_stockout", _("Out of stock at retail")
        QUALITY = "quality", _("Quality complaint")
        OTHER = "other", _("Other market news")

    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="threads",
        verbose_name=_("dealer"),
    )
    subject = models.CharField(_("subject"), max_length=120)
    about = models.CharField(
        _("about"), max_length=10, choices=About.choices, default=About.GENERAL
    )
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("The order, shipment or statement period the thread is about."),
    )
    promotion = models.ForeignKey(
        "promos.Promotion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("promotion"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    campaign = models.ForeignKey(
        "notifications.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("recommendation"),
    )
    feedback = models.CharField(
        _("market feedback"), max_length=24, choices=Feedback.choices, blank=True
    )
    region = models.ForeignKey(
        "dealers.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Where the feedback was seen (the dealer's region unless set)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True)
    waiting_since = models.DateTimeField(
        _("waiting since"),
        null=True,
        blank=True,
        help_text=_("The dealer wrote and nobody of the sales organisation answered."),
    )
    dealer_read_at = models.DateTimeField(null=True, blank=True)
    rep_read_at = models.DateTimeField(null=True, blank=True)
    last_rep_message_at = models.DateTimeField(null=True, blank=True)
    last_dealer_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["dealer", "-last_message_at"]),
            models.Index(
                fields=["waiting_since"],
                condition=Q(waiting_since__isnull=False),
                name="thread_waiting",
            ),
            models.Index(
                fields=["feedback", "created_at"],
                condition=~Q(feedback=""),
                name="thread_feedback",
            ),
        ]

    def __str__(self):
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=2000, blank=True)
    via = models.CharField(_("sent from"), max_length=10, default="portal")
    client_key = models.UUIDField(
        null=True,
        blank=True,
        help_text=_("The sender's key for this message: a form sent twice posts once."),
    )
    response_seconds = models.PositiveIntegerField(
        _("first response (seconds)"),
        null=True,
        blank=True,
        help_text=_("On the sales organisation's answer: how long the dealer waited."),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=Q(client_key__isnull=False),
                name="message_posted_once",
            ),
        ]
        indexes = [models.Index(fields=["side", "created_at"])]

    def __str__(self):
        return f"{self.thread_id}/{self.pk}"


class Attachment(models.Model):
    """A photo, resized and stripped of its metadata (location) before it is kept."""

    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    image = models.FileField(
        _("photo"), upload_to="conversations/%Y/%m/", storage=private_storage
    )
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class ReadMark(models.Model):
    """How far one person has read one thread (the unread badge)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_mark_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id}"


class TelegramMessage(models.Model):
    """A bot message that belongs to a thread: a reply to it continues the thread."""

    chat_id = models.BigIntegerField()
    message_id = models.BigIntegerField()
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chat_id", "message_id"], name="one_thread_per_telegram_message"
            )
        ]

    def __str__(self):
        return f"{self.chat_id}/{self.message_id} → {self.thread_id}"
