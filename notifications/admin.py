from django.contrib import admin

from notifications.models import (
    Campaign,
    CampaignRecipient,
    Delivery,
    Notification,
    Preference,
)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = [
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    fields = readonly_fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "dealer", "critical", "created_at", "read_at"]
    list_filter = ["kind", "critical"]
    search_fields = ["kind", "recipient__username", "dealer__code"]
    raw_id_fields = ["recipient", "dealer", "campaign"]
    list_select_related = ["recipient", "dealer"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]
    readonly_fields = ["claimed_by", "lease_until"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "rep",
        "promotion",
        "dealers_done",
        "dealers_total",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    raw_id_fields = ["rep", "created_by", "promotion"]
    list_select_related = ["rep__user", "promotion"]


@admin.register(CampaignRecipient)
class CampaignRecipientAdmin(admin.ModelAdmin):
    list_display = ["campaign", "dealer", "score", "created_at"]
    raw_id_fields = ["campaign", "dealer"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "portal", "telegram", "quiet_start", "quiet_end"]
    raw_id_fields = ["user"]
