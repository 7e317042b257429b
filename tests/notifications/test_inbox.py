"""The inbox page: list, mark read, open the linked order, preferences, the bell."""

import pytest
from django.db import transaction
from django.urls import reverse

from notifications import services
from notifications.models import Delivery, Notification, Preference

HX = {"HTTP_HX_REQUEST": "true"}


def _notify(dealer, kind="order.placed", **data):
    with transaction.atomic():
        services.notifications_create(kind=kind, dealer_ids=[dealer.pk], data=data)
    return Notification.objects.filter(dealer=dealer).order_by("-pk")


@pytest.fixture
def owner_client(client, world):
    client.force_login(world["owner"].user)
    client.cookies["django_language"] = "en"
    return client


def test_the_inbox_lists_only_my_notifications(world, owner_client):
    """A dealer user sees their own notifications, never another dealer's."""
    _notify(world["dealer"], order="SO-000001", total="10")
    _notify(world["other"], order="SO-000002", total="10")
    response = owner_client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Order SO-000001 placed" in page
    assert "SO-000002" not in page


def test_an_empty_inbox_says_what_it_is_for(world, owner_client):
    response = owner_client.get(reverse("notifications:inbox"))
    assert "No notifications yet" in response.content.decode()


def test_mark_read_with_htmx_swaps_the_item_and_refreshes_the_badge(
    world, owner_client
):
    """Marking read sets read_at, closes the portal delivery, tells the badge."""
    note = _notify(world["dealer"], order="SO-000001").get(
        recipient=world["owner"].user
    )
    Delivery.objects.filter(notification=note).update(status=Delivery.Status.SENT)
    response = owner_client.post(reverse("notifications:read", args=[note.pk]), **HX)
    assert response.status_code == 200
    assert "notifications-changed" in response["HX-Trigger"]
    assert f'id="notification-{note.pk}"' in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None
    assert note.deliveries.get().status == Delivery.Status.READ


def test_mark_all_read(world, owner_client):
    _notify(world["dealer"], order="SO-1")
    _notify(world["dealer"], order="SO-2")
    response = owner_client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(
        recipient=world["owner"].user, read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(
        recipient=world["buyer"].user, read_at__isnull=True
    ).exists()


def test_opening_a_notification_goes_to_its_order_and_counts_the_click(
    world, owner_client
):
    note = _notify(world["dealer"], order="SO-000001").get(
        recipient=world["owner"].user
    )
    Delivery.objects.filter(notification=note).update(status=Delivery.Status.SENT)
    response = owner_client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/orders/SO-000001/"
    note.refresh_from_db()
    assert note.read_at
    assert note.clicked_at
    assert note.deliveries.get().status == Delivery.Status.CLICKED


def test_another_users_notification_cannot_be_read_or_opened(world, owner_client):
    """Scoping: someone else's notification id answers 404 and changes nothing."""
    theirs = _notify(world["other"], order="SO-9").get()
    assert (
        owner_client.get(reverse("notifications:open", args=[theirs.pk])).status_code
        == 404
    )
    assert (
        owner_client.post(reverse("notifications:read", args=[theirs.pk])).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs.clicked_at is None


def test_staff_are_sent_to_the_rep_console(client, rep):
    client.force_login(rep.user)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:rep-dealers")


def test_the_badge_counts_unread(world, owner_client):
    _notify(world["dealer"], order="SO-1")
    response = owner_client.get(reverse("notifications:badge"))
    assert response.status_code == 200
    assert ">1</span>" in response.content.decode()


def test_every_portal_page_carries_the_live_bell(world, owner_client):
    """The include in _base.html: the bell with its unread count and the script."""
    _notify(world["dealer"], order="SO-1")
    response = owner_client.get(reverse("notifications:inbox"))
    page = response.content.decode()
    assert 'id="live-bell"' in page
    assert "notifications/live.js" in page
    assert 'data-ws="/ws/notifications/"' in page


def test_preferences_are_saved(world, owner_client):
    response = owner_client.post(
        reverse("notifications:preferences"),
        {
            "topics": ["payments", "promotions"],
            "portal": "on",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=world["owner"].user)
    assert preference.muted_topics == ["conversations", "orders", "shipments"]
    assert preference.portal
    assert not preference.telegram
    assert str(preference.quiet_start) == "22:00:00"


@pytest.mark.parametrize(
    ("quiet_start", "quiet_end", "time_zone"),
    [("22:00", "", "Asia/Shanghai"), ("", "", "Mars/Olympus")],
)
def test_bad_preferences_are_refused_with_a_reason(
    world, owner_client, quiet_start, quiet_end, time_zone
):
    response = owner_client.post(
        reverse("notifications:preferences"),
        {"quiet_start": quiet_start, "quiet_end": quiet_end, "time_zone": time_zone},
    )
    assert response.status_code == 422
    assert not Preference.objects.exists()
