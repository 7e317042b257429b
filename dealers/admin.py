from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from common import versions
from common.admin import BumpsCacheVersions
from dealers.models import Dealer, DealerUser, Region, SalesOrg, SalesRep, Tier


@admin.register(SalesOrg)
class SalesOrgAdmin(BumpsCacheVersions, TreeAdmin):
    cache_scopes = (versions.ORGS,)
    form = movenodeform_factory(SalesOrg)
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "rank"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


class DealerUserInline(admin.TabularInline):
    model = DealerUser
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Dealer)
class DealerAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "sales_org",
        "tier",
        "region",
        "credit_limit",
        "active",
    ]
    list_filter = ["active", "tier", "region"]
    search_fields = ["code", "name"]
    list_select_related = ["sales_org", "tier", "region"]
    raw_id_fields = ["sales_org"]
    filter_horizontal = ["reps"]
    inlines = [DealerUserInline]


@admin.register(SalesRep)
class SalesRepAdmin(admin.ModelAdmin):
    list_display = ["user", "sales_org", "phone"]
    list_select_related = ["user", "sales_org"]
    raw_id_fields = ["user", "sales_org"]
