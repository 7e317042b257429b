"""The inbox (dealer users) and the rep console (sales reps)."""

from django.urls import path

from notifications.views import inbox, rep

app_name = "notifications"

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.mark_all_read, name="read-all"),
    path("inbox/badge/", inbox.badge, name="badge"),
    path("inbox/preferences/", inbox.preferences, name="preferences"),
    path("inbox/<int:pk>/read/", inbox.mark_read, name="read"),
    path("inbox/<int:pk>/open/", inbox.open_notification, name="open"),
    path("rep/", rep.dealers, name="rep-dealers"),
    path("rep/compose/", rep.compose, name="rep-compose"),
    path("rep/campaigns/", rep.campaigns, name="rep-campaigns"),
    path("rep/campaigns/<int:pk>/", rep.campaign, name="rep-campaign"),
    path(
        "rep/campaigns/<int:pk>/cancel/",
        rep.campaign_cancel,
        name="rep-campaign-cancel",
    ),
]
