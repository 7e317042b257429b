"""Dealer agreements (年度经销协议): versions, targets, rebate tiers, progress, settlements."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import ZERO, MoneyField


class Agreement(models.Model):
    """A dealer's agreement with its owning sales org; what applies is ``live_version``.

    ``status`` is the document state; ``active`` and ``closed`` are derived from the
    live version's dates (see ``contracts.selectors.agreement_status``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        TERMINATED = "terminated", _("Terminated")

    code = models.CharField(_("code"), max_length=40, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("dealer"),
    )
    sales_org = models.ForeignKey(
        "dealers.SalesOrg",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("sales organisation"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    live_version = models.ForeignKey(
        "AgreementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version that applies"),
    )
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dealer", "code"]
        verbose_name = _("dealer agreement")
        verbose_name_plural = _("dealer agreements")
        permissions = [("approve_agreement", _("Can approve dealer agreements"))]

    def __str__(self):
        return self.code


class AgreementVersion(models.Model):
    """One version of an agreement's terms; an amendment is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    class Enforcement(models.TextChoices):
        BLOCK = "block", _("Block the order")
        WARN = "warn", _("Warn only")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    categories = models.JSONField(
        _("categories"),
        null=True,
        blank=True,
        help_text=_(
            "Category codes the dealer may buy (with sub-categories); empty: all."
        ),
    )
    regions = models.JSONField(
        _("regions"),
        null=True,
        blank=True,
        help_text=_("Region codes the dealer may sell to; empty: all."),
    )
    enforcement = models.CharField(
        _("enforcement"),
        max_length=8,
        choices=Enforcement.choices,
        default=Enforcement.BLOCK,
    )
    price_tier = models.ForeignKey(
        "dealers.Tier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("price tier"),
        help_text=_("Unit prices below this tier's price list are below the floor."),
    )
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    document = models.FileField(
        _("signed agreement (PDF)"),
        upload_to="agreements/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    notes = models.JSONField(
        _("notes"),
        default=list,
        blank=True,
        help_text=_("What the system noticed when this version was saved."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")),
                name="agreement_version_ends_after_starts",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} v{self.number}"


class AgreementTarget(models.Model):
    """A target for a period (year, quarter, month), a category or the whole agreement."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="targets"
    )
    period = models.CharField(_("period"), max_length=7)
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    amount = MoneyField(_("amount"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)

    class Meta:
        ordering = ["period", "category"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(quantity__isnull=False),
                name="agreement_target_amount_or_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.category_id or '*'}"


class RebateTier(models.Model):
    """At ``achieved_percent`` of the period's whole target, ``rebate_percent`` back."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="rebate_tiers"
    )
    achieved_percent = models.DecimalField(
        _("achieved %"), max_digits=6, decimal_places=2
    )
    rebate_percent = models.DecimalField(_("rebate %"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["version", "achieved_percent"]
        verbose_name = _("rebate tier")
        verbose_name_plural = _("rebate tiers")

    def __str__(self):
        return f"≥{self.achieved_percent}% → {self.rebate_percent}%"


class AgreementProgress(models.Model):
    """Shipped net amount and quantity of one month and one category, net of
    cancellations and short-closes; rewritten whenever shipments or cancellations move."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="progress"
    )
    month = models.DateField(_("month"))
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("amount"), default=ZERO)
    quantity = models.IntegerField(_("quantity"), default=0)

    class Meta:
        ordering = ["agreement", "month", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "month", "category"],
                name="agreement_progress_unique",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.month:%Y-%m} {self.category_id}"


class RebateSettlement(models.Model):
    """A period's rebate credited to the dealer's expense credit, once."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="settlements"
    )
    period = models.CharField(_("period"), max_length=7)
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="+"
    )
    achieved = MoneyField(_("achieved"))
    target = MoneyField(_("target"))
    rebate_percent = models.DecimalField(_("rebate %"), max_digits=5, decimal_places=2)
    amount = MoneyField(_("rebate"))
    settled_at = models.DateTimeField(_("settled at"), auto_now_add=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["agreement", "period"]
        verbose_name = _("rebate settlement")
        verbose_name_plural = _("rebate settlements")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period"], name="rebate_settlement_once"
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.period} {self.amount}"


class ContractOverride(models.Model):
    """An order placed despite blocking contract issues, on someone's authority."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="overrides"
    )
    order_number = models.CharField(_("order"), max_length=32, db_index=True)
    issues = models.JSONField(_("issues"), default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the integration (ERP) overrode."),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("contract override")
        verbose_name_plural = _("contract overrides")

    def __str__(self):
        return f"{self.order_number} ({self.version})"
