"""The dealer's conversations and the rep console's inbox of them."""

from django.urls import path

from conversations import views
from conversations.models import Side

app_name = "conversations"

DEALER = {"side": Side.DEALER}
REP = {"side": Side.REP}

urlpatterns = [
    path("conversations/", views.thread_list, DEALER, name="list"),
    path("conversations/new/", views.thread_new, DEALER, name="new"),
    path("conversations/badge/", views.badge, DEALER, name="badge"),
    path("conversations/<int:pk>/", views.thread, DEALER, name="thread"),
    path(
        "conversations/<int:pk>/messages/",
        views.thread_messages,
        DEALER,
        name="messages",
    ),
    path("conversations/photos/<int:pk>/", views.photo, DEALER, name="photo"),
    path("office/conversations/", views.thread_list, REP, name="rep-inbox"),
    path("office/conversations/<int:pk>/", views.thread, REP, name="rep-thread"),
    path(
        "office/conversations/<int:pk>/messages/",
        views.thread_messages,
        REP,
        name="rep-messages",
    ),
    path(
        "office/conversations/<int:pk>/feedback/",
        views.thread_feedback,
        REP,
        name="rep-feedback",
    ),
    path("office/conversations/photos/<int:pk>/", views.photo, REP, name="rep-photo"),
]
