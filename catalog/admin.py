from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from catalog.models import Category, Product, SalesHistory, Stock, TierPrice, Warehouse
from common import versions
from common.admin import BumpsCacheVersions


@admin.register(Category)
class CategoryAdmin(BumpsCacheVersions, TreeAdmin):
    cache_scopes = (versions.CATALOG,)
    form = movenodeform_factory(Category)
    list_display = ["code", "name", "name_en"]
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
