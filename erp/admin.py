from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.models import (
    CustomerMapping,
    InvoiceRequestPush,
    OrderPush,
    SyncError,
    SyncRun,
    UnitConversion,
)


@admin.register(CustomerMapping)
class CustomerMappingAdmin(admin.ModelAdmin):
    list_display = ["customer", "sales_org", "tier", "region", "credit_limit"]
    search_fields = ["customer"]


class SyncErrorInline(admin.TabularInline):
    model = SyncError
    extra = 0
    can_delete = False
    readonly_fields = ["form", "erp_id", "reason"]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "status", "full", "trigger"]
    list_filter = ["status", "trigger"]
    readonly_fields = ["progress", "error"]
    inlines = [SyncErrorInline]


@admin.register(OrderPush)
class OrderPushAdmin(admin.ModelAdmin):
    list_display = ["order_number", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    search_fields = ["order_number"]


@admin.register(UnitConversion)
class UnitConversionAdmin(admin.ModelAdmin):
    list_display = ["sku", "from_unit", "to_unit", "numerator", "denominator"]
    search_fields = ["sku"]


@admin.register(InvoiceRequestPush)
class InvoiceRequestPushAdmin(admin.ModelAdmin):
    list_display = ["request_number", "status", "attempts", "next_attempt_at", "error"]
    list_filter = ["status"]
    search_fields = ["request_number"]
    readonly_fields = ["erp_numbers", "error"]
    actions = ["try_again"]

    @admin.action(description=_("Push again on the next run"))
    def try_again(self, request, queryset):
        queryset.exclude(status=InvoiceRequestPush.Status.PUSHED).update(
            attempts=0, next_attempt_at=timezone.now()
        )
