from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from catalog.models import (
    Category,
    LeadTime,
    NonWorkingDay,
    PlannedReceipt,
    Product,
    SalesHistory,
    Stock,
    TierPrice,
    Unit,
    Warehouse,
)
from common import versions
from common.admin import BumpsCacheVersions


@admin.register(Category)
class CategoryAdmin(BumpsCacheVersions, TreeAdmin):
    cache_scopes = (versions.CATALOG,)
    form = movenodeform_factory(Category)
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "decimals"]
    search_fields = ["code", "name", "name_en"]


class TierPriceInline(admin.TabularInline):
    model = TierPrice
    extra = 0


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0


@admin.register(Product)
class ProductAdmin(BumpsCacheVersions, admin.ModelAdmin):
    cache_scopes = (versions.CATALOG, versions.STOCK)
    list_display = [
        "sku",
        "name",
        "category",
        "unit",
        "list_price",
        "cost",
        "gift_only",
        "active",
    ]
    list_filter = ["active", "gift_only", "unit"]
    search_fields = ["sku", "name", "name_en"]
    list_select_related = ["category"]
    raw_id_fields = ["category"]
    inlines = [TierPriceInline, StockInline]


@admin.register(Warehouse)
class WarehouseAdmin(BumpsCacheVersions, admin.ModelAdmin):
    cache_scopes = (versions.STOCK,)
    list_display = ["code", "name", "name_en", "active"]


@admin.register(SalesHistory)
class SalesHistoryAdmin(BumpsCacheVersions, admin.ModelAdmin):
    cache_scopes = (versions.HISTORY,)
    list_display = [
        "external_id",
        "dealer",
        "product",
        "quantity",
        "amount",
        "date",
        "source",
    ]
    list_filter = ["source"]
    search_fields = ["external_id"]
    raw_id_fields = ["dealer", "product"]
    date_hierarchy = "date"


@admin.register(LeadTime)
class LeadTimeAdmin(admin.ModelAdmin):
    """The table the sales organisation keeps: warehouse × region → working days."""

    list_display = ["warehouse", "region", "days", "cutoff"]
    list_filter = ["warehouse", "region"]
    list_editable = ["days", "cutoff"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(PlannedReceipt)
class PlannedReceiptAdmin(admin.ModelAdmin):
    """Production runs and transfers the ERP announced (read here, written by the ERP)."""

    list_display = [
        "external_id",
        "product",
        "warehouse",
        "quantity",
        "expected_date",
        "status",
    ]
    list_filter = ["status", "warehouse"]
    search_fields = ["external_id", "product__sku", "product__name"]
    autocomplete_fields = ["product"]
