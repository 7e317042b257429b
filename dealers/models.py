"""Sales organisation tree, dealers, their users and the sales reps who serve them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.fields import ZERO, MoneyField
from common.i18n import BilingualNameMixin


class SalesOrg(BilingualNameMixin, MP_Node):
    """A node of the sales organisation: company → region → branch."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("sales organisation")
        verbose_name_plural = _("sales organisations")

    def __str__(self):
        return f"{self.code} {self.display_name}"

    @property
    def code_path(self) -> tuple[str, ...]:
        """Codes from the root down to this org (inclusive)."""
        return tuple(a.code for a in self.get_ancestors()) + (self.code,)


class Tier(BilingualNameMixin, models.Model):
    """A dealer tier (gold, silver…): drives price lists and promotion audiences."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)

    class Meta:
        ordering = ["-rank", "code"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self):
        return self.display_name


class Region(BilingualNameMixin, models.Model):
    """A geographic region, used for promotion audiences."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.display_name


class Dealer(models.Model):
    """A distributor that buys from the manufacturer."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sales_org = models.ForeignKey(
        SalesOrg,
        on_delete=models.PROTECT,
        related_name="dealers",
        verbose_name=_("sales organisation"),
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="dealers", verbose_name=_("tier")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="dealers",
        verbose_name=_("region"),
    )
    customer_since = models.DateField(_("customer since"))
    credit_limit = MoneyField(_("credit limit"), default=ZERO)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", editable=False
    )
    active = models.BooleanField(_("active"), default=True)

    class WriteOffRule(models.TextChoices):
        OLDEST_FIRST = "oldest_first", _("Oldest due first")
        PER_ORDER = "per_order", _("The order the receipt names")
        MANUAL = "manual", _("Held for the sales rep to allocate")

    writeoff_rule = models.CharField(
        _("write-off rule"),
        max_length=16,
        choices=WriteOffRule.choices,
        default=WriteOffRule.OLDEST_FIRST,
        help_text=_(
            "How money is matched to receivables when the ERP does not say which it pays."
        ),
    )
    reps = models.ManyToManyField(
        "SalesRep", related_name="dealers", blank=True, verbose_name=_("sales reps")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("dealer")
        verbose_name_plural = _("dealers")
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0),
                name="dealer_credit_limit_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class DealerUser(models.Model):
    """A portal login that belongs to exactly one dealer."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        BUYER = "buyer", _("Buyer")
        VIEWER = "viewer", _("Viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dealer_user"
    )
    dealer = models.ForeignKey(
        Dealer, on_delete=models.CASCADE, related_name="users", verbose_name=_("dealer")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.BUYER
    )
    phone = models.CharField(
        _("phone"), max_length=20, unique=True, null=True, blank=True
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    class Meta:
        ordering = ["dealer", "user__username"]
        verbose_name = _("dealer user")
        verbose_name_plural = _("dealer users")

    def __str__(self):
        return f"{self.user.get_username()} ({self.dealer.code})"

    @property
    def can_order(self) -> bool:
        return self.role in {self.Role.OWNER, self.Role.BUYER}

    @property
    def can_manage_users(self) -> bool:
        return self.role == self.Role.OWNER


class SalesRep(models.Model):
    """A staff member of a sales organisation; serves dealers (a manager too)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sales_rep",
        verbose_name=_("user"),
    )
    sales_org = models.ForeignKey(
        SalesOrg,
        on_delete=models.PROTECT,
        related_name="reps",
        verbose_name=_("sales organisation"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("sales rep")
        verbose_name_plural = _("sales reps")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


def validate_uscc(value: str) -> None:
    """An 18-character unified social credit code (统一社会信用代码, GB 32100-2015)
    with its check character."""
    from django.core.exceptions import ValidationError
    from stdnum.cn import uscc

    if not uscc.is_valid(value or ""):
        raise ValidationError(
            _(
                "Enter the 18-character unified social credit code as printed on the "
                "business licence (digits and capital letters; the last one is a "
                "check character)."
            ),
            code="invalid_uscc",
        )


class InvoicingDetails(models.Model):
    """What the dealer's VAT invoices are made out to (开票信息), kept by the dealer."""

    dealer = models.OneToOneField(
        Dealer,
        on_delete=models.CASCADE,
        related_name="invoicing",
        verbose_name=_("dealer"),
    )
    company_name = models.CharField(_("company name"), max_length=200)
    taxpayer_number = models.CharField(
        _("taxpayer number"),
        max_length=18,
        validators=[validate_uscc],
        help_text=_("The 18-character unified social credit code."),
    )
    bank = models.CharField(_("bank"), max_length=120, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("invoicing details")
        verbose_name_plural = _("invoicing details")

    def __str__(self):
        return f"{self.company_name} {self.taxpayer_number}"


class DealerUserChange(models.Model):
    """Who changed a login's role or switched it off or on, and when (the owner's
    user management, kept for the dealer and the back office)."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")

    dealer_user = models.ForeignKey(
        DealerUser,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("login"),
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    before = models.CharField(_("before"), max_length=20, blank=True)
    after = models.CharField(_("after"), max_length=20, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("login change")
        verbose_name_plural = _("login changes")

    def __str__(self):
        return f"{self.dealer_user_id} {self.kind} {self.before}→{self.after}"
