"""Categories, products, tier prices, warehouses, stock, sales history and dealer facts."""

import datetime
import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.fields import ZERO, MoneyField
from common.i18n import BilingualNameMixin, pick_name


class Category(BilingualNameMixin, MP_Node):
    """A product category; a category includes its descendants everywhere."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return f"{self.code} {self.display_name}"


class Unit(BilingualNameMixin, models.Model):
    """A unit of measure from the ERP's unit master (箱, Pcs, kg…), shown by its name.

    Products name their unit by code; the code is whatever the ERP uses.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return f"{self.code} {self.display_name}"

    # Units change rarely (the ERP's master): each process keeps their names for a
    # short while instead of querying them for every product on a page.
    NAMES_TTL = 30.0
    _names: dict[str, tuple[str, str]] = {}
    _names_read_at = float("-inf")

    @classmethod
    def names(cls) -> dict[str, tuple[str, str]]:
        """Every known unit code with its (zh-hans, en) names."""
        now = time.monotonic()
        if now - cls._names_read_at > cls.NAMES_TTL:
            cls._names = {
                code: (name or name_en, name_en or name)
                for code, name, name_en in cls.objects.values_list(
                    "code", "name", "name_en"
                )
            }
            cls._names_read_at = now
        return cls._names

    @classmethod
    def names_forget(cls) -> None:
        """Drop this process's copy of the unit names (after a unit changes)."""
        cls._names_read_at = float("-inf")

    @classmethod
    def name_of(cls, code: str) -> str:
        """A unit's name in the active language, else its code."""
        names = cls.names().get(code)
        return pick_name(*names) if names else code


class Product(BilingualNameMixin, models.Model):
    """Something a dealer can buy, or a gift-only item a promotion can give."""

    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    # The code of a ``Unit`` (kept as a plain code: the ERP names units by code).
    unit = models.CharField(_("unit"), max_length=32, default="case")
    list_price = MoneyField(_("list price"))
    cost = MoneyField(_("cost"), null=True, blank=True)
    gift_only = models.BooleanField(_("gift only"), default=False)
    active = models.BooleanField(_("active"), default=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["category", "active", "gift_only"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_price__gte=0), name="product_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="product_cost_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.sku} {self.display_name}"

    def get_unit_display(self) -> str:
        """The unit's name in the active language (its code when the unit is unknown)."""
        return Unit.name_of(self.unit)

    @property
    def gift_value(self):
        """What a gift of this product costs the promotion: its cost, else its list price."""
        return self.cost if self.cost is not None else self.list_price


class TierPrice(models.Model):
    """The price of a product for dealers of one tier (the tier's code)."""

    tier = models.CharField(_("tier"), max_length=32)
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="tier_prices",
        verbose_name=_("product"),
    )
    price = MoneyField(_("price"))

    class Meta:
        verbose_name = _("tier price")
        verbose_name_plural = _("tier prices")
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "product"], name="tier_price_unique"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="tier_price_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.tier} {self.product_id} {self.price}"


class Warehouse(BilingualNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")

    def __str__(self):
        return f"{self.code} {self.display_name}"


class Stock(models.Model):
    """Units of a product on hand in a warehouse, as the ERP last reported."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="stock"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock")
    quantity = models.IntegerField(_("quantity"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "product"], name="stock_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="stock_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.warehouse_id}/{self.product_id}: {self.quantity}"


class SalesHistory(models.Model):
    """A past sale: imported from the ERP, or a portal shipment recorded as it ships."""

    class Source(models.TextChoices):
        ERP = "erp", _("ERP import")
        PORTAL = "portal", _("Portal shipment")

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    # A string reference: the facts are keyed by dealer, but catalog never imports dealers.
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.IntegerField(_("quantity"))
    amount = MoneyField(_("amount"))
    date = models.DateField(_("date"))
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ERP
    )

    class Meta:
        verbose_name = _("sales history")
        verbose_name_plural = _("sales history")
        indexes = [models.Index(fields=["dealer", "date"])]

    def __str__(self):
        return f"{self.external_id}"


class DealerPurchase(models.Model):
    """Per-dealer facts: what a dealer bought of a SKU or a category (with its
    sub-categories) in one calendar month. Maintained as history and shipments
    arrive, so audiences never aggregate raw history per promotion."""

    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=48, help_text="sku:<SKU> or category:<CODE>")
    month = models.DateField(help_text="First day of the month")
    quantity = models.IntegerField(default=0)
    amount = MoneyField(default=ZERO)

    class Meta:
        verbose_name = _("dealer purchase fact")
        verbose_name_plural = _("dealer purchase facts")
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "key", "month"], name="dealer_purchase_unique"
            ),
        ]

    def __str__(self):
        return f"{self.dealer_id} {self.key} {self.month:%Y-%m}"


class LeadTime(models.Model):
    """Working days from a warehouse to the dealers of a region, with its cut-off."""

    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.CASCADE,
        related_name="lead_times",
        verbose_name=_("warehouse"),
    )
    # A string reference: catalog never imports dealers.
    region = models.ForeignKey(
        "dealers.Region",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("region"),
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    cutoff = models.TimeField(
        _("cut-off"),
        default=datetime.time(16, 0),
        help_text=_("Orders after this time leave the next working day."),
    )

    class Meta:
        verbose_name = _("lead time")
        verbose_name_plural = _("lead times")
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "region"], name="lead_time_unique"
            ),
        ]

    def __str__(self):
        return f"{self.warehouse_id}→{self.region_id}: {self.days}"


class NonWorkingDay(models.Model):
    """A weekday on which goods do not move (public holidays)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")

    def __str__(self):
        return f"{self.date} {self.name}"


class PlannedReceipt(models.Model):
    """Production or a transfer the ERP expects to land in a warehouse."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in production")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="planned_receipts",
        verbose_name=_("warehouse"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="planned_receipts",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    expected_date = models.DateField(_("expected date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expected_date", "external_id"]
        verbose_name = _("planned receipt")
        verbose_name_plural = _("planned receipts")
        indexes = [models.Index(fields=["product", "status"])]

    def __str__(self):
        return f"{self.external_id}"
