from django.contrib import admin

from erp.models import CustomerMapping, OrderPush, SyncError, SyncRun, UnitConversion


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
