"""The outbox: written in the announcer's transaction, shaped by preferences."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from common import outbox
from notifications import channels, services, texts
from notifications.models import Delivery, Notification, Preference
from orders.models import Order
from tests.notifications.factories import RecordingChannel
from tests.orders.factories import place

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Boom(Exception):
    pass


def _announce(kind, dealer, critical=False, **data):
    with transaction.atomic():
        outbox.announce(
            outbox.Event(
                kind=kind, dealer_ids=(dealer.pk,), data=data, critical=critical
            )
        )


def test_a_committed_order_notifies_every_user_of_the_dealer(
    world, recorder, django_capture_on_commit_callbacks
):
    """Placing an order writes one notification per dealer user, one portal delivery
    each, and delivers them once the transaction commits."""
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order = place(world["buyer"], [("TEA-C-01", 2)])
    # then
    notes = Notification.objects.filter(kind="order.placed")
    assert {n.recipient_id for n in notes} == {
        world[role].user_id for role in ("owner", "buyer", "viewer")
    }
    assert all(n.data["order"] == order.number for n in notes)
    assert callbacks, "delivery is scheduled after commit"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(recorder.messages) == 3
    assert order.number in recorder.messages[0].title


def test_a_rolled_back_order_announces_nothing(
    world, recorder, django_capture_on_commit_callbacks
):
    """An order whose transaction rolls back leaves no notification, no delivery and
    nothing scheduled."""

    def place_then_fail():
        with transaction.atomic():
            place(world["buyer"], [("TEA-C-01", 2)])
            assert Notification.objects.exists()  # written inside the transaction
            raise Boom

    with django_capture_on_commit_callbacks() as callbacks:
        pytest.raises(Boom, place_then_fail)
    assert not Order.objects.exists()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert callbacks == []
    assert recorder.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_really_committed_order_is_delivered(world, recorder):
    """With real commits (no test transaction around), the on-commit task runs."""
    order = place(world["owner"], [("TEA-C-01", 1)])
    sent = Delivery.objects.filter(
        notification__data__order=order.number, status=Delivery.Status.SENT
    )
    assert sent.count() == 3
    assert len(recorder.messages) == 3


def test_credit_hold_is_critical(world, recorder, django_capture_on_commit_callbacks):
    """An order over the credit limit announces a critical credit hold."""
    dealer = world["dealer"]
    dealer.credit_limit = 1
    dealer.save()
    with django_capture_on_commit_callbacks(execute=True):
        place(world["owner"], [("TEA-C-01", 2)])
    hold = Notification.objects.filter(kind="order.credit_hold")
    assert hold.count() == 3
    assert all(n.critical for n in hold)
    assert any(m.kind == "order.credit_hold" and m.critical for m in recorder.messages)


def test_kinds_that_arrive_later_read_sensibly(world, recorder):
    """The lifecycle's kinds read well today; a kind nobody knows gets a generic
    title from the kind and the data."""
    dealer = world["dealer"]
    _announce("order.shipped", dealer, order="SO-000009", carrier="SF", tracking_no="1")
    _announce(
        "payment.overdue", dealer, order="SO-000009", amount="1200", due_date="1 Nov"
    )
    _announce("shipment.returned", dealer, order="SO-000009", reason="damaged box")
    notes = {
        n.kind: texts.render(n, "en")
        for n in Notification.objects.filter(recipient=world["owner"].user)
    }
    assert notes["order.shipped"].title == "Order SO-000009 shipped"
    assert "SF" in notes["order.shipped"].body
    assert notes["payment.overdue"].body.startswith("¥1,200.00 was due on 1 Nov")
    assert notes["shipment.returned"].title == "Order SO-000009: returned"
    assert "damaged box" in notes["shipment.returned"].body
    assert notes["shipment.returned"].url.endswith("/orders/SO-000009/")
    assert Notification.objects.get(
        kind="payment.overdue", recipient=world["owner"].user
    ).critical, "overdue is always critical"


def test_an_event_without_dealers_notifies_nobody(world):
    """Only promotion approvals work out their own audience; others need dealers."""
    with transaction.atomic():
        outbox.announce(outbox.Event(kind="order.placed", data={"order": "X"}))
    assert not Notification.objects.exists()


# --- Preferences ------------------------------------------------------------------------


def test_a_muted_topic_is_not_notified_but_critical_kinds_are(world, recorder):
    """Muting "orders" silences order.placed, never a credit hold."""
    owner = world["owner"]
    Preference.objects.create(user=owner.user, muted_topics=["orders"])
    _announce("order.placed", world["dealer"], order="SO-1")
    _announce("order.credit_hold", world["dealer"], critical=True, order="SO-1")
    mine = Notification.objects.filter(recipient=owner.user)
    assert list(mine.values_list("kind", flat=True)) == ["order.credit_hold"]
    others = Notification.objects.filter(kind="order.placed")
    assert others.count() == 2, "the buyer and the viewer still get it"


def test_a_channel_turned_off_gets_no_delivery(world):
    """The inbox still lists it; no portal push is queued."""
    owner = world["owner"]
    Preference.objects.create(user=owner.user, portal=False)
    _announce("order.placed", world["dealer"], order="SO-1")
    note = Notification.objects.get(recipient=owner.user)
    assert not note.deliveries.exists()
    assert Delivery.objects.filter(notification__recipient=world["buyer"].user).exists()


def test_quiet_hours_defer_the_push_until_they_end(world, recorder):
    """At 23:30 in Shanghai with quiet hours 22:00–07:00, the push waits until 07:00
    the next morning: deferred, not dropped. A critical one goes at once."""
    owner = world["owner"]
    Preference.objects.create(
        user=owner.user,
        quiet_start=datetime.time(22, 0),
        quiet_end=datetime.time(7, 0),
        time_zone="Asia/Shanghai",
    )
    night = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=SHANGHAI)
    with transaction.atomic():
        services.notifications_create(
            kind="order.placed", dealer_ids=[world["dealer"].pk], now=night
        )
        services.notifications_create(
            kind="order.credit_hold",
            dealer_ids=[world["dealer"].pk],
            critical=True,
            now=night,
        )
    deferred = Delivery.objects.get(
        notification__recipient=owner.user, notification__kind="order.placed"
    )
    morning = datetime.datetime(2026, 11, 27, 7, 0, tzinfo=SHANGHAI)
    assert deferred.next_attempt_at == morning
    recorder.messages.clear()
    # when the worker runs at night
    services.deliveries_dispatch(now=night)
    # then the critical one and the other users' pushes went; the owner's waits
    sent_to_owner = [m.kind for m in recorder.messages if m.user_id == owner.user_id]
    assert sent_to_owner == ["order.credit_hold"]
    deferred.refresh_from_db()
    assert deferred.status == Delivery.Status.QUEUED
    # and in the morning it goes
    services.deliveries_dispatch(now=morning)
    deferred.refresh_from_db()
    assert deferred.status == Delivery.Status.SENT


@pytest.mark.parametrize(
    ("start", "end", "local", "expected"),
    [
        ((22, 0), (7, 0), (23, 30), (27, 7, 0)),
        ((22, 0), (7, 0), (3, 0), (26, 7, 0)),
        ((22, 0), (7, 0), (7, 0), None),
        ((12, 0), (14, 0), (13, 0), (26, 14, 0)),
        ((12, 0), (14, 0), (11, 59), None),
    ],
)
def test_quiet_hours_window(start, end, local, expected):
    """Windows that wrap midnight and windows that do not, in the user's zone."""
    preference = Preference(
        quiet_start=datetime.time(*start),
        quiet_end=datetime.time(*end),
        time_zone="Asia/Shanghai",
    )
    now = datetime.datetime(2026, 11, 26, *local, tzinfo=SHANGHAI)
    until = services.quiet_until(preference, now.astimezone(datetime.UTC))
    if expected is None:
        assert until is None
    else:
        day, hour, minute = expected
        assert until == datetime.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_messages_use_the_recipients_language(world, recorder):
    """Each user reads the push in their own language."""
    owner = world["owner"]
    owner.language = "en"
    owner.save()
    _announce("order.placed", world["dealer"], order="SO-7", total="10")
    services.deliveries_dispatch()
    languages = {m.user_id: m.language for m in recorder.messages}
    assert languages[owner.user_id] == "en"
    assert languages[world["buyer"].user_id] == "zh-hans"


def test_a_channel_reaches_only_users_it_has_an_address_for(world, recorder, settings):
    """The Telegram channel (issue 7) plugs in here: it answers the addresses of
    linked chats, so without a linked chat no Telegram delivery is created; a user
    who turned Telegram off gets none either."""
    settings.PORTAL_BASE_URL = "https://portal.example"
    owner, buyer = world["owner"], world["buyer"]
    telegram = RecordingChannel("telegram")
    linked = {owner.user_id: "chat-1", buyer.user_id: "chat-2"}
    telegram.addresses = lambda user_ids: {
        u: linked[u] for u in user_ids if u in linked
    }
    Preference.objects.create(user=buyer.user, telegram=False)
    channels.register(telegram)
    try:
        _announce("order.placed", world["dealer"], order="SO-000005")
        services.deliveries_dispatch()
    finally:
        channels.unregister("telegram")
    rows = Delivery.objects.filter(channel="telegram")
    assert list(rows.values_list("address", flat=True)) == ["chat-1"]
    (message,) = telegram.messages
    assert message.address == "chat-1"
    assert channels.tracked_url(message, via="telegram") == (
        f"https://portal.example/inbox/{message.notification_id}/open/?via=telegram"
    )
