"""The connector's own rows: watermarks, runs and their bad rows, links to K/3 ids,
unit conversions, the customer mapping, and each order's push."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import MoneyField


class SyncState(models.Model):
    """How far one form has been read: rows modified up to ``watermark`` are in."""

    form = models.CharField(_("form"), max_length=40, unique=True)
    watermark = models.DateTimeField(_("watermark"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sync state")
        verbose_name_plural = _("sync states")

    def __str__(self):
        return f"{self.form} ≤ {self.watermark}"


class SyncRun(models.Model):
    """One run of the pull: when, how it ended, and progress per form."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    full = models.BooleanField(_("full"), default=False)
    trigger = models.CharField(_("trigger"), max_length=20, default="command")
    # {form: {"rows": n, "pages": n, "errors": n, "skipped": n, "done": bool}}
    progress = models.JSONField(_("progress"), default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def error_count(self) -> int:
        return sum(p.get("errors", 0) for p in self.progress.values())


class SyncError(models.Model):
    """A row the run could not take, with the ERP's id and the reason."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="errors")
    form = models.CharField(_("form"), max_length=40)
    erp_id = models.CharField(_("ERP id"), max_length=64)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sync error")
        verbose_name_plural = _("sync errors")

    def __str__(self):
        return f"{self.form} {self.erp_id}: {self.reason}"


class Link(models.Model):
    """A K/3 internal id (FMATERIALID, FCUSTID, FID…) and the portal code it became."""

    form = models.CharField(max_length=40)
    erp_id = models.CharField(max_length=64)
    code = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ERP link")
        verbose_name_plural = _("ERP links")
        constraints = [
            models.UniqueConstraint(fields=["form", "erp_id"], name="erp_link_unique")
        ]

    def __str__(self):
        return f"{self.form}:{self.erp_id} → {self.code}"


class UnitConversion(models.Model):
    """1 ``from_unit`` of a material = numerator / denominator ``to_unit``."""

    sku = models.CharField(_("SKU"), max_length=40)
    from_unit = models.CharField(max_length=32)
    to_unit = models.CharField(max_length=32)
    numerator = models.DecimalField(max_digits=18, decimal_places=6)
    denominator = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        verbose_name = _("unit conversion")
        verbose_name_plural = _("unit conversions")
        constraints = [
            models.UniqueConstraint(
                fields=["sku", "from_unit", "to_unit"], name="erp_conversion_unique"
            )
        ]

    def __str__(self):
        return f"{self.sku}: 1 {self.from_unit} = {self.numerator}/{self.denominator} {self.to_unit}"


class CustomerMapping(models.Model):
    """What K/3 customers do not carry: the dealer's org, tier, region and credit."""

    customer = models.CharField(_("K/3 customer number"), max_length=40, unique=True)
    sales_org = models.CharField(_("sales organisation"), max_length=32, blank=True)
    tier = models.CharField(_("tier"), max_length=32, blank=True)
    region = models.CharField(_("region"), max_length=32, blank=True)
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer mapping")
        verbose_name_plural = _("customer mappings")

    def __str__(self):
        return self.customer


class SyncLock(models.Model):
    """One row: the pull that holds it runs; another waits for the next turn."""

    held_by = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sync lock")
        verbose_name_plural = _("sync locks")

    def __str__(self):
        return self.held_by or "free"


class OrderPush(models.Model):
    """Pushing one portal order to the ERP as a sales order, with its retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUSHED = "pushed", _("Pushed")
        FAILED = "failed", _("Failed")

    order_number = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    cancel_pending = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order push")
        verbose_name_plural = _("order pushes")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.order_number} {self.status}"


class InvoiceRequestPush(models.Model):
    """Pushing one dealer's invoice request to the ERP: its receivables, pushed down
    (下推) to a draft sales invoice that finance completes and audits there."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the ERP's receivables")
        PUSHED = "pushed", _("Pushed")
        FAILED = "failed", _("Failed")

    request_number = models.CharField(max_length=40, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    erp_numbers = models.JSONField(
        _("ERP invoices"),
        default=list,
        blank=True,
        help_text=_("The draft invoices the ERP made from the request."),
    )
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("invoice request push")
        verbose_name_plural = _("invoice request pushes")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.request_number} {self.status}"
