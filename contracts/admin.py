"""Back office for agreements: read the versions, upload the signed PDF, and move an
agreement through its lifecycle. Every move goes through contracts.services with the
user, so the authority rules hold here as in the API and the office."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from contracts import services
from contracts.models import (
    Agreement,
    AgreementTarget,
    AgreementVersion,
    ContractOverride,
    RebateSettlement,
    RebateTier,
)


class VersionInline(admin.TabularInline):
    model = AgreementVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "status",
        "starts",
        "ends",
        "enforcement",
        "document",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = [f for f in fields if f != "document"]
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


def _move(verb, label):
    @admin.action(description=label)
    def action(modeladmin, request, queryset):
        for agreement in queryset:
            try:
                verb(code=agreement.code, by=request.user)
            except DomainError as error:
                modeladmin.message_user(
                    request, f"{agreement.code}: {error.message}", messages.ERROR
                )
            else:
                modeladmin.message_user(request, f"{agreement.code}: {label}")

    action.__name__ = f"agreement_{verb.__name__}"
    return action


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["code", "dealer", "sales_org", "status", "live_version"]
    list_filter = ["status", "sales_org"]
    search_fields = ["code", "dealer__code", "dealer__name"]
    readonly_fields = ["code", "dealer", "sales_org", "status", "live_version"]
    inlines = [VersionInline]
    actions = [
        _move(services.agreement_submit, _("Submit for approval")),
        _move(services.agreement_approve, _("Approve")),
        _move(services.agreement_terminate, _("Terminate")),
    ]

    def has_add_permission(self, request):
        # Definitions come from the ERP (PUT /api/v1/agreements/{code}).
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TargetInline(_ReadOnlyInline):
    model = AgreementTarget


class TierInline(_ReadOnlyInline):
    model = RebateTier


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "status", "starts", "ends", "enforcement"]
    list_filter = ["status"]
    # Terms change only through a new version (the API's PUT) and its approval; here
    # only the signed PDF is attached.
    inlines = [TargetInline, TierInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "document"]

    def has_add_permission(self, request):
        return False


@admin.register(RebateSettlement)
class RebateSettlementAdmin(admin.ModelAdmin):
    list_display = ["agreement", "period", "amount", "settled_at"]
    readonly_fields = [f.name for f in RebateSettlement._meta.fields]


@admin.register(ContractOverride)
class ContractOverrideAdmin(admin.ModelAdmin):
    list_display = ["order_number", "version", "by", "at"]
    readonly_fields = ["version", "order_number", "issues", "by", "at"]
