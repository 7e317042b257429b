"""Sales orders and their lines, gifts, promotion discounts, events and fund ledgers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import ZERO, MoneyField


class OrderNumber(models.Model):
    """A counter row per order: numbers without a hot lock (SO-000123)."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"SO-{self.pk:06d}"


class Order(models.Model):
    """A dealer's order. Its document state is set by services; fulfilment and
    payment progress are derived from quantities and money."""

    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        CREDIT_HOLD = "credit_hold", _("Credit hold")
        CONFIRMED = "confirmed", _("Confirmed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class ErpStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUSHED = "pushed", _("Pushed")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portal")
        API = "api", _("API")
        BOT = "bot", _("Telegram")

    number = models.CharField(_("number"), max_length=32, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("dealer"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLACED
    )
    source = models.CharField(
        _("channel"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    idempotency_key = models.CharField(max_length=100)
    request_fingerprint = models.CharField(max_length=64)
    note = models.TextField(_("delivery notes"), blank=True, max_length=1000)
    subtotal = MoneyField(_("subtotal"), default=ZERO)
    discount_total = MoneyField(_("discount"), default=ZERO)
    expense_credit_used = MoneyField(_("expense credit used"), default=ZERO)
    total = MoneyField(_("total"), default=ZERO)
    expense_credit_earned = MoneyField(_("expense credit earned"), default=ZERO)
    expense_credit_applied = MoneyField(
        _("expense credit applied"),
        default=ZERO,
        help_text=_(
            "The part of the expense credit used already taken off receivables."
        ),
    )
    unshipped_value = MoneyField(
        _("unshipped value"),
        default=ZERO,
        help_text=_("Value still to ship, less expense credit not yet applied."),
    )
    quote = models.JSONField(_("quote as placed"), default=dict)
    agreement_version = models.ForeignKey(
        "contracts.AgreementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("agreement version"),
        help_text=_("The agreement version the order was evaluated against."),
    )
    payment_plan = models.JSONField(
        _("payment plan"),
        default=list,
        blank=True,
        help_text=_(
            'Installments, e.g. [{"percent": "30", "due": "order", "days": 0}, '
            '{"percent": "70", "due": "delivery", "days": 30}]; empty: the dealer\'s terms.'
        ),
    )
    # Where the order is in the ERP (set by the ERP connector; empty without one).
    erp_system = models.CharField(_("ERP"), max_length=20, blank=True)
    erp_number = models.CharField(_("ERP number"), max_length=40, blank=True)
    erp_status = models.CharField(
        _("ERP status"), max_length=10, choices=ErpStatus.choices, blank=True
    )
    erp_error = models.CharField(_("ERP error"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "idempotency_key"], name="order_idempotency_unique"
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0), name="order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(unshipped_value__gte=0), name="order_unshipped_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["dealer", "status", "-placed_at"])]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """A line of goods, or a gift line (zero price, from a promotion)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=40)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = MoneyField(_("unit price"))
    amount = MoneyField(_("amount"))
    discount = MoneyField(_("discount"), default=ZERO)
    net_amount = MoneyField(_("net amount"))
    is_gift = models.BooleanField(_("gift"), default=False)
    gift_version = models.ForeignKey(
        "promos.PromotionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    gift_option = models.PositiveSmallIntegerField(null=True, blank=True)
    gift_defaulted = models.BooleanField(default=False)
    shipped_quantity = models.PositiveIntegerField(_("shipped"), default=0)
    cancelled_quantity = models.PositiveIntegerField(_("cancelled"), default=0)
    short_closed_quantity = models.PositiveIntegerField(_("short-closed"), default=0)
    invoiced_amount = MoneyField(
        _("invoiced"),
        default=ZERO,
        help_text=_("Net value already raised as receivables."),
    )
    # Gift lines only: the gift ledger of one promotion's gift on one order.
    owed_quantity = models.PositiveIntegerField(
        _("owed"), default=0, help_text=_("Due but not yet shipped for lack of stock.")
    )
    debt_quantity = models.PositiveIntegerField(
        _("gift debt"),
        default=0,
        help_text=_("Shipped beyond what the order still earns."),
    )
    settled_quantity = models.PositiveIntegerField(
        _("settled against debt"),
        default=0,
        help_text=_("Due, but offset against an earlier gift debt."),
    )
    # Goods lines: when the whole line arrives, as promised at submit and as now
    # estimated (None: no date could be given).
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    estimated_date = models.DateField(_("estimated date"), null=True, blank=True)

    class Meta:
        ordering = ["is_gift", "sku"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_gift=True)
                | Q(
                    quantity__gte=models.F("shipped_quantity")
                    + models.F("cancelled_quantity")
                    + models.F("short_closed_quantity")
                ),
                name="line_quantities_add_up",
            ),
            models.CheckConstraint(
                condition=Q(is_gift=False)
                | Q(quantity__gte=models.F("shipped_quantity")),
                name="gift_shipped_within_ordered",
            ),
            models.CheckConstraint(
                condition=Q(net_amount__gte=0), name="line_net_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(is_gift=False) | Q(unit_price=0, net_amount=0),
                name="gift_lines_are_free",
            ),
        ]

    def __str__(self):
        return f"{self.order_id} {self.sku} ×{self.quantity}"

    @property
    def effective_quantity(self) -> int:
        """Units the order stands for now: ordered less cancelled and short-closed."""
        return self.quantity - self.cancelled_quantity - self.short_closed_quantity

    @property
    def open_quantity(self) -> int:
        """Units neither shipped, cancelled nor short-closed."""
        return max(self.effective_quantity - self.shipped_quantity, 0)


class OrderLineDiscount(models.Model):
    """The part of a line's discount one promotion version gave: traceable per line."""

    line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="discounts"
    )
    version = models.ForeignKey(
        "promos.PromotionVersion", on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["line", "version"], name="line_discount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.line_id} {self.version_id} {self.amount}"


class OrderEvent(models.Model):
    """The order's history: placed, held, released, cancelled, shipped…"""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Placed")
        CREDIT_HOLD = "credit_hold", _("Put on credit hold")
        RELEASED = "released", _("Credit hold released")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        PARTLY_CANCELLED = "partly_cancelled", _("Partly cancelled")
        SHORT_CLOSED = "short_closed", _("Short-closed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
        CLOSED = "closed", _("Closed")
        DELAYED = "delayed", _("Delivery date moved")
        PLANNED = "planned", _("Delivery plan set")
        ERP_FAILED = "erp_failed", _("ERP: failed")
        PAYMENT_PLAN = "payment_plan", _("Payment plan set")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.order_id} {self.kind}"


class AccountMovement(models.Model):
    """A typed movement on a dealer's funds account (prepayment, expense credit).
    Balances are sums; rows are never edited, reversals are rows."""

    class Account(models.TextChoices):
        PREPAYMENT = "prepayment", _("Prepayment")
        EXPENSE_CREDIT = "expense_credit", _("Expense credit")

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        USED = "used", _("Used on an order")
        RETURNED = "returned", _("Returned")
        REVERSED = "reversed", _("Reversed")
        RECEIVED = "received", _("Received")
        APPLIED = "applied", _("Applied to receivables")
        ADJUSTED = "adjusted", _("Adjusted")

    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="+"
    )
    account = models.CharField(max_length=20, choices=Account.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = MoneyField(
        help_text=_("Positive adds to the balance, negative takes from it.")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["dealer", "account"])]

    def __str__(self):
        return f"{self.dealer_id} {self.account} {self.amount}"


class Cart(models.Model):
    """A dealer user's cart: kept in the database, so it follows them across devices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.CASCADE, related_name="+"
    )
    gift_choices = models.JSONField(
        default=dict, blank=True, help_text="promotion code → option index or null"
    )
    use_expense_credit = MoneyField(default=ZERO)
    note = models.TextField(blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return f"cart of {self.user_id}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"], name="cart_item_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="cart_item_positive"
            ),
        ]

    def __str__(self):
        return f"{self.product_id} ×{self.quantity}"


class Shipment(models.Model):
    """Goods (and gifts) that left one warehouse for one order, as the ERP reports."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("order"),
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_no = models.CharField(_("tracking number"), max_length=60, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(
        _("receipt confirmed at"), null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    auto_confirmed = models.BooleanField(default=False)
    dispute_note = models.TextField(_("dispute note"), blank=True, max_length=1000)

    class Meta:
        ordering = ["shipped_at", "pk"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self):
        return self.number


class ShipmentLine(models.Model):
    """A line of a shipment: goods of an order line, or a gift (possibly one owed by
    an earlier order of the same dealer that this shipment settles)."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="shipment_lines"
    )
    sku = models.CharField(max_length=40)
    quantity = models.PositiveIntegerField()
    is_gift = models.BooleanField(default=False)
    value = MoneyField(default=ZERO, help_text=_("Net value shipped (goods)."))

    class Meta:
        ordering = ["is_gift", "sku"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="shipment_line_positive"
            )
        ]

    def __str__(self):
        return f"{self.shipment_id} {self.sku} ×{self.quantity}"


class Receivable(models.Model):
    """Money the dealer owes for shipped goods, or for what shipped goods no longer
    earn after a cancellation or short-close (an adjustment); open until written off."""

    class Kind(models.TextChoices):
        SHIPMENT = "shipment", _("Shipment")
        ADJUSTMENT = "adjustment", _("Adjustment")

    number = models.CharField(_("number"), max_length=40, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dealer"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        related_name="receivables",
        verbose_name=_("order"),
    )
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivables",
        verbose_name=_("shipment"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.SHIPMENT
    )
    amount = MoneyField(_("amount"))
    open_amount = MoneyField(_("open amount"))
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Empty until delivery when the plan says so."),
    )
    installment = models.PositiveSmallIntegerField(_("instalment"), default=1)
    erp_number = models.CharField(
        _("ERP number"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("The ERP's receivable bill (K/3 AR_receivable) this one matched."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["dealer", "open_amount"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_amount__gte=0), name="receivable_open_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(open_amount__lte=models.F("amount")),
                name="receivable_open_within_amount",
            ),
        ]

    def __str__(self):
        return self.number


class Receipt(models.Model):
    """Money received from a dealer."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dealer"),
    )
    amount = MoneyField(_("amount"))
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_positive")
        ]

    def __str__(self):
        return self.external_id


class WriteOff(models.Model):
    """A match of money (a receipt, or prepayment) against a receivable. Never edited:
    undoing one writes a reversal row with the opposite amount."""

    class Source(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        PREPAYMENT = "prepayment", _("Prepayment")

    receivable = models.ForeignKey(
        Receivable,
        on_delete=models.PROTECT,
        related_name="writeoffs",
        verbose_name=_("receivable"),
    )
    receipt = models.ForeignKey(
        Receipt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="writeoffs",
        verbose_name=_("receipt"),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    amount = MoneyField(
        _("amount"),
    )
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reversal of"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.receivable_id} {self.amount}"


class StatementConfirmation(models.Model):
    """A dealer's word on a statement of account: confirmed, or disputed with a note."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer"),
    )
    period_from = models.DateField(
        _("period from"),
    )
    period_to = models.DateField(
        _("period to"),
    )
    closing_balance = MoneyField(
        _("closing balance"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    disputed_references = models.JSONField(
        _("disputed references"), default=list, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement confirmation")
        verbose_name_plural = _("statement confirmations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.dealer_id} {self.period_from}–{self.period_to} {self.status}"


class DeliveryPlanPart(models.Model):
    """One scheduled part of a goods line (收货计划): "40 on 15 Jan". Shipments fill a
    line's parts in date order, so what each part has received is derived, never stored."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="plan_parts"
    )
    line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="plan_parts"
    )
    date = models.DateField(_("wanted on"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["line_id", "date"]
        verbose_name = _("delivery plan part")
        verbose_name_plural = _("delivery plan")
        constraints = [
            models.UniqueConstraint(fields=["line", "date"], name="plan_part_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="plan_part_positive"
            ),
        ]

    def __str__(self):
        return f"{self.line_id} {self.date}: {self.quantity}"


class Invoice(models.Model):
    """A tax invoice (发票) the ERP issued against receivables, or a credit note (红字
    发票) that reverses part of one (``reverses`` set) when a receivable came down."""

    class Kind(models.TextChoices):
        VAT_SPECIAL = "vat_special", _("VAT special invoice (专票)")
        VAT_NORMAL = "vat_normal", _("VAT normal invoice (普票)")

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dealer"),
    )
    number = models.CharField(_("invoice number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount incl. tax"))
    tax_amount = MoneyField(_("tax"))
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credit note of"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(tax_amount__gte=0),
                name="invoice_amounts",
            ),
        ]

    def __str__(self):
        return self.number


class InvoiceAllocation(models.Model):
    """How much of one receivable an invoice covers: positive for an invoice, negative
    for a credit note, so that a receivable's invoiced amount is the plain sum."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="allocations"
    )
    receivable = models.ForeignKey(
        Receivable, on_delete=models.PROTECT, related_name="invoice_allocations"
    )
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("invoiced amount")
        verbose_name_plural = _("invoiced amounts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="invoice_allocation_not_zero"
            ),
            models.UniqueConstraint(
                fields=["invoice", "receivable"], name="invoice_allocation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.invoice_id} → {self.receivable_id}: {self.amount}"


class InvoiceRequest(models.Model):
    """A dealer asking for a VAT invoice for shipped, not yet invoiced receivables;
    the ERP issues it (``POST /api/v1/invoices``), which closes the request."""

    class Status(models.TextChoices):
        OPEN = "open", _("Requested")
        ISSUED = "issued", _("Invoiced")

    number = models.CharField(_("number"), max_length=40, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dealer"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Invoice.Kind.choices)
    receivables = models.ManyToManyField(
        Receivable, related_name="invoice_requests", verbose_name=_("receivables")
    )
    amount = MoneyField(_("amount"))
    details = models.JSONField(
        _("invoicing details"),
        default=dict,
        help_text=_("The company name, taxpayer number, bank … as requested."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("invoiced at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.number


class ReconciliationIssue(models.Model):
    """A difference the nightly reconciliation found (listed, never corrected)."""

    class Check(models.TextChoices):
        BILLED = "billed", _("Order total ≠ billed + still to ship")
        PAID = "paid", _("Receivable ≠ paid + open")
        INVOICED = "invoiced", _("Invoiced more than the receivable")

    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer"),
    )
    kind = models.CharField(_("check"), max_length=10, choices=Check.choices)
    reference = models.CharField(_("reference"), max_length=40)
    expected = MoneyField(_("expected"))
    actual = MoneyField(_("actual"))

    class Meta:
        ordering = ["-checked_at", "dealer_id", "reference"]
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")

    def __str__(self):
        return f"{self.reference} {self.kind}: {self.expected} ≠ {self.actual}"
