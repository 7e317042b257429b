"""Promotion definitions and versions, budgets, per-dealer usage and the application ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import ZERO, MoneyField
from common.i18n import BilingualNameMixin


class Promotion(models.Model):
    """A promotion owned by a sales organisation; what it does lives in its versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        APPROVED = "approved", _("Approved")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    code = models.CharField(_("code"), max_length=40, unique=True)
    sales_org = models.ForeignKey(
        "dealers.SalesOrg",
        on_delete=models.PROTECT,
        related_name="promotions",
        verbose_name=_("owning sales organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    live_version = models.ForeignKey(
        "PromotionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The approved version that applies."),
        verbose_name=_("live version"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.code


class PromotionVersion(BilingualNameMixin, models.Model):
    """One immutable definition of a promotion, as approved (or on its way)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    promotion = models.ForeignKey(
        Promotion, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    definition = models.JSONField(_("definition"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("reward type"), max_length=20)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    priority = models.IntegerField(_("priority"), default=0)
    exclusive = models.BooleanField(_("exclusive"), default=False)
    order_scope = models.BooleanField(default=False, help_text="Touches every cart.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["promotion", "-number"]
        verbose_name = _("promotion version")
        verbose_name_plural = _("promotion versions")
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "number"], name="promotion_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="version_window_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at", "ends_at"])]

    def __str__(self):
        return f"{self.promotion.code} v{self.number}"


class PromotionTarget(models.Model):
    """What a version touches: the index that finds candidates without a scan."""

    class Kind(models.TextChoices):
        SKU = "sku"
        CATEGORY = "category"
        ORDER = "order"

    version = models.ForeignKey(
        PromotionVersion, on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "code"], name="promotion_target_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self):
        return f"{self.kind}:{self.code}"


class PromotionBudget(models.Model):
    """The budget row that concurrent orders lock: limit and what is used of it."""

    promotion = models.OneToOneField(
        Promotion, on_delete=models.CASCADE, primary_key=True, related_name="budget"
    )
    limit = MoneyField(
        _("budget"), null=True, blank=True, help_text=_("Empty: no budget limit.")
    )
    used = MoneyField(_("used"), default=ZERO)
    applications = models.PositiveIntegerField(_("applications"), default=0)

    class Meta:
        verbose_name = _("promotion budget")
        verbose_name_plural = _("promotion budgets")
        constraints = [
            models.CheckConstraint(
                condition=Q(used__gte=0), name="budget_used_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(limit__isnull=True) | Q(used__lte=models.F("limit")),
                name="budget_not_exceeded",
            ),
        ]

    def __str__(self):
        return f"{self.promotion_id}: {self.used}/{self.limit}"

    @property
    def remaining(self):
        return None if self.limit is None else self.limit - self.used


class PromotionDealerUsage(models.Model):
    """How many times a dealer has earned a promotion (placed, not cancelled)."""

    promotion = models.ForeignKey(
        Promotion, on_delete=models.CASCADE, related_name="dealer_usage"
    )
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.CASCADE, related_name="+"
    )
    times = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "dealer"], name="dealer_usage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.promotion_id}/{self.dealer_id}: {self.times}"


class PromotionApplication(models.Model):
    """The ledger: what one order earned from one promotion version, and what it cost."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    version = models.ForeignKey(
        PromotionVersion, on_delete=models.PROTECT, related_name="applications"
    )
    promotion = models.ForeignKey(
        Promotion, on_delete=models.PROTECT, related_name="applications"
    )
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="+"
    )
    # A reference, not a foreign key: promos never depends on orders.
    order_number = models.CharField(max_length=32, db_index=True)
    times = models.PositiveIntegerField(default=0)
    discount = MoneyField(default=ZERO)
    gift_cost = MoneyField(default=ZERO)
    expense_credit = MoneyField(default=ZERO)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("promotion application")
        verbose_name_plural = _("promotion applications")
        constraints = [
            models.UniqueConstraint(
                fields=["order_number", "promotion"],
                name="one_application_per_order_and_promotion",
            ),
        ]

    def __str__(self):
        return f"{self.order_number} {self.promotion_id} ×{self.times}"

    @property
    def cost(self):
        return self.discount + self.gift_cost + self.expense_credit


class BacktestRun(models.Model):
    """One back-test of a draft version over the last ``days`` days of sales history.

    Runs as a task (``promos.tasks.backtest``); ``progress_done`` / ``progress_total``
    count carts replayed, ``result`` holds the figures of the draft and of every
    promotion it would compete with (see ``promos.backtest``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Ended with an error")

    version = models.ForeignKey(
        PromotionVersion,
        on_delete=models.CASCADE,
        related_name="backtests",
        verbose_name=_("version under test"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    days = models.PositiveSmallIntegerField(_("days"))
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with every chunk of progress; a running back-test whose heartbeat
    # stopped lost its worker (``promos.services.backtests_sweep``).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    WORKER_STOPPED = "worker_stopped"  # ``error`` of a run the sweep ended

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("back-test")
        verbose_name_plural = _("back-tests")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=365), name="backtest_days_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="backtest_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.version} {self.days}d #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def error_message(self) -> str:
        """Why it failed, as the user reads it."""
        if self.error == self.WORKER_STOPPED:
            return _("The worker running it stopped. Try again.")
        return self.error

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class OrgBudget(models.Model):
    """A sales org's promotion expense budget (费用预算) for a period (``2027``,
    ``2027-Q1``, ``2027-03``); approving a promotion commits part of it."""

    sales_org = models.ForeignKey(
        "dealers.SalesOrg",
        on_delete=models.PROTECT,
        related_name="expense_budgets",
        verbose_name=_("sales organisation"),
    )
    period = models.CharField(_("period"), max_length=7)
    amount = MoneyField(_("budget"))
    committed = MoneyField(_("committed"), default=ZERO)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sales_org", "period"]
        verbose_name = _("org expense budget")
        verbose_name_plural = _("org expense budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["sales_org", "period"], name="org_budget_unique"
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=models.F("amount")),
                name="org_budget_not_exceeded",
            ),
        ]

    def __str__(self):
        return f"{self.sales_org_id} {self.period}"


class OrgBudgetReservation(models.Model):
    """What one approved promotion holds of its org's budget (its own budget)."""

    budget = models.ForeignKey(
        OrgBudget, on_delete=models.PROTECT, related_name="reservations"
    )
    promotion = models.OneToOneField(
        Promotion, on_delete=models.CASCADE, related_name="org_reservation"
    )
    amount = MoneyField(_("reserved"))

    def __str__(self):
        return f"{self.promotion_id} {self.amount}"
