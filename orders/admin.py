"""Back office for orders and money: finance posts receipts and undoes/redoes write-offs,
reps release credit holds. Every action goes through orders.services."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from orders import services
from orders.models import (
    Invoice,
    InvoiceAllocation,
    InvoiceRequest,
    Order,
    OrderEvent,
    OrderLine,
    Receipt,
    Receivable,
    Shipment,
    ShipmentLine,
    StatementConfirmation,
    WriteOff,
)


def _run(modeladmin, request, items, action):
    for item in items:
        try:
            action(item)
        except DomainError as error:
            modeladmin.message_user(request, f"{item}: {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{item}: OK", messages.SUCCESS)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = [
        "sku",
        "is_gift",
        "quantity",
        "unit_price",
        "net_amount",
        "shipped_quantity",
        "cancelled_quantity",
        "short_closed_quantity",
        "owed_quantity",
        "debt_quantity",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "by", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "dealer",
        "status",
        "total",
        "unshipped_value",
        "placed_at",
        "source",
    ]
    list_filter = ["status", "source"]
    search_fields = ["number", "dealer__code", "dealer__name"]
    list_select_related = ["dealer"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, OrderEventInline]
    actions = ["release_credit_hold", "cancel_unshipped"]
    readonly_fields = [f.name for f in Order._meta.fields] + ["payment_plan_form"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("payment plan form"))
    def payment_plan_form(self, obj):
        """Instalments are set on the office form (a rep for a dealer they serve)."""
        url = reverse("office:payment-plan", args=[obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Edit the payment plan"))

    @admin.action(description=_("Release from credit hold"))
    def release_credit_hold(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: services.order_release(number=o.number, by=request.user),
        )

    @admin.action(description=_("Cancel everything still unshipped"))
    def cancel_unshipped(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: services.order_cancel(number=o.number, by=request.user),
        )


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    can_delete = False
    fields = ["sku", "quantity", "is_gift", "value", "order_line"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "order",
        "warehouse",
        "carrier",
        "tracking_no",
        "shipped_at",
        "delivered_at",
        "confirmed_at",
    ]
    search_fields = ["number", "external_id", "order__number", "tracking_no"]
    list_select_related = ["order", "warehouse"]
    inlines = [ShipmentLineInline]
    readonly_fields = [f.name for f in Shipment._meta.fields]

    def has_add_permission(self, request):
        return False


class WriteOffInline(admin.TabularInline):
    model = WriteOff
    fk_name = "receivable"
    extra = 0
    can_delete = False
    fields = ["created_at", "source", "receipt", "amount", "reversal_of", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Receivable)
class ReceivableAdmin(admin.ModelAdmin):
    list_display = ["number", "dealer", "order", "amount", "open_amount", "due_date"]
    list_filter = ["due_date"]
    search_fields = ["number", "dealer__code", "order__number"]
    list_select_related = ["dealer", "order"]
    inlines = [WriteOffInline]
    actions = ["write_off_from_prepayment"]
    readonly_fields = [f.name for f in Receivable._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Write off from the dealer's prepayment"))
    def write_off_from_prepayment(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.writeoff_from_prepayment(
                receivable_number=r.number, by=request.user
            ),
        )


@admin.register(WriteOff)
class WriteOffAdmin(admin.ModelAdmin):
    list_display = [
        "receivable",
        "source",
        "receipt",
        "amount",
        "reversal_of",
        "created_at",
        "by",
    ]
    list_select_related = ["receivable", "receipt"]
    actions = ["reverse"]
    readonly_fields = [f.name for f in WriteOff._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Undo (writes a reversal; the money goes back to prepayment)")
    )
    def reverse(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda w: services.writeoff_reverse(writeoff_id=w.pk, by=request.user),
        )


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    """Finance records money received; it is written off at once, oldest due first."""

    list_display = ["external_id", "dealer", "amount", "date", "method"]
    search_fields = ["external_id", "dealer__code"]
    list_select_related = ["dealer"]
    fields = ["external_id", "dealer", "amount", "date", "method"]
    raw_id_fields = ["dealer"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            receipt, _created = services.receipt_post(
                external_id=obj.external_id,
                dealer=obj.dealer,
                amount=obj.amount,
                date=obj.date,
                method=obj.method,
                by=request.user,
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = receipt.pk


@admin.register(StatementConfirmation)
class StatementConfirmationAdmin(admin.ModelAdmin):
    list_display = [
        "dealer",
        "period_from",
        "period_to",
        "status",
        "closing_balance",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["dealer"]
    readonly_fields = [f.name for f in StatementConfirmation._meta.fields]


class InvoiceAllocationInline(admin.TabularInline):
    model = InvoiceAllocation
    extra = 0
    raw_id_fields = ["receivable"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Tax invoices the ERP issued (read here; the ERP writes them over the API)."""

    list_display = ["number", "dealer", "kind", "date", "amount", "tax_amount"]
    list_filter = ["kind"]
    search_fields = ["number", "external_id", "dealer__code", "dealer__name"]
    inlines = [InvoiceAllocationInline]


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "dealer", "kind", "amount", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "dealer__code"]
    readonly_fields = [f.name for f in InvoiceRequest._meta.fields] + ["receivables"]

    def has_add_permission(self, request):
        return False
