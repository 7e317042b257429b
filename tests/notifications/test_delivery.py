"""Delivery: retries with backoff, visible failure, and exactly once per channel even
when a worker is killed mid-batch and another starts."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import channels, services
from notifications.models import Campaign, Delivery, Notification
from tests.dealers.factories import DealerFactory, DealerUserFactory


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs, no handler sees it."""


def _notify(world, kind="order.placed", dealers=None, **data):
    with transaction.atomic():
        services.notifications_create(
            kind=kind,
            dealer_ids=[d.pk for d in (dealers or [world["dealer"]])],
            data=data,
        )
    return list(Delivery.objects.order_by("pk"))


@pytest.fixture
def no_jitter(settings):
    settings.NOTIFICATIONS = {"BACKOFF_JITTER": 0}


def test_backoff_doubles_and_is_capped(settings):
    """10 s, 20 s, 40 s … up to the cap; jitter only ever adds up to 10 %."""
    settings.NOTIFICATIONS = {"BACKOFF_JITTER": 0, "BACKOFF_MAX_SECONDS": 60}
    assert [services.backoff_seconds(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]
    settings.NOTIFICATIONS = {"BACKOFF_JITTER": 0.1}
    assert all(10 <= services.backoff_seconds(1) <= 11 for _ in range(50))


def test_a_failed_send_is_retried_with_backoff(world, recorder, no_jitter):
    """Two failures, then success: the delivery waits 10 s, then 20 s, then goes."""
    (delivery, *_rest) = _notify(world)
    Delivery.objects.exclude(pk=delivery.pk).delete()
    recorder.outcomes = [
        channels.Retry(reason="layer down"),
        channels.Retry(reason="layer down"),
    ]
    start = timezone.now()
    # first attempt fails
    services.deliveries_dispatch(now=start)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED
    assert delivery.attempts == 1
    assert delivery.last_error == "layer down"
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=10)
    # not due yet: nothing happens
    assert services.deliveries_dispatch(now=start).claimed == 0
    # second attempt fails, waits longer
    later = start + datetime.timedelta(seconds=10)
    services.deliveries_dispatch(now=later)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == later + datetime.timedelta(seconds=20)
    # third goes
    services.deliveries_dispatch(now=later + datetime.timedelta(seconds=20))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3
    assert delivery.last_error == ""
    assert recorder.sent_ids == [delivery.pk]


def test_a_channel_may_ask_for_a_longer_wait(world, recorder, no_jitter):
    """A rate limit (Telegram's retry_after) is honoured when longer than backoff."""
    (delivery, *_rest) = _notify(world)
    recorder.outcomes = [channels.Retry(reason="429", after_seconds=300)]
    start = timezone.now()
    services.deliveries_dispatch(now=start, limit=1)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=300)


def test_after_every_attempt_the_delivery_fails_visibly(world, recorder, settings):
    """Never silently lost: after MAX_ATTEMPTS it is failed, with the reason."""
    settings.NOTIFICATIONS = {"MAX_ATTEMPTS": 3, "BACKOFF_JITTER": 0}
    (delivery, *_rest) = _notify(world)
    Delivery.objects.exclude(pk=delivery.pk).delete()
    recorder.outcomes = [channels.Retry(reason="layer down")] * 5
    now = timezone.now()
    for _attempt in range(3):
        services.deliveries_dispatch(now=now)
        now += datetime.timedelta(hours=1)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.failed_at is not None
    assert delivery.last_error == "gave up after 3 attempts: layer down"
    assert (
        services.deliveries_dispatch(now=now + datetime.timedelta(days=1)).claimed == 0
    )


def test_a_permanent_failure_is_not_retried(world, recorder):
    """Failed (e.g. the chat blocked the bot) ends at once, with the reason."""
    (delivery, *_rest) = _notify(world)
    recorder.outcomes = [channels.Failed(reason="blocked by the user")]
    services.deliveries_dispatch(limit=1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert delivery.last_error == "blocked by the user"


def test_a_channel_that_raises_is_retried(world, recorder):
    """A bug in a channel is a retry, not a lost message or a dead worker."""
    (delivery, *_rest) = _notify(world)

    def explode(message):
        raise RuntimeError("kaput")

    recorder.before_send = explode
    report = services.deliveries_dispatch(limit=1)
    assert report.retried == 1
    delivery.refresh_from_db()
    assert "kaput" in delivery.last_error


def test_an_unknown_channel_fails_visibly(world):
    """A delivery for a channel that is not registered (Telegram turned off) fails."""
    (delivery, *_rest) = _notify(world)
    Delivery.objects.filter(pk=delivery.pk).update(channel="telegram")
    services.deliveries_dispatch()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "not available" in delivery.last_error


def test_read_in_the_inbox_before_the_push_means_no_push(world, recorder):
    """A notification already read is not pushed any more."""
    (delivery, *_rest) = _notify(world)
    Notification.objects.filter(pk=delivery.notification_id).update(
        read_at=timezone.now()
    )
    report = services.deliveries_dispatch()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.READ
    assert report.skipped == 1
    assert delivery.pk not in recorder.sent_ids


def test_a_worker_killed_mid_batch_then_restarted_sends_each_once(
    world, recorder, settings
):
    """Kill the worker while it sends the 4th of 6 messages; a restarted worker
    sends nothing while the dead one's claim holds, then takes the rest back when it
    expires: every delivery sent exactly once."""
    settings.NOTIFICATIONS = {"LEASE_SECONDS": 60}
    dealers = [world["dealer"]]
    for n in range(3):
        dealer = DealerFactory(sales_org=world["orgs"]["EAST-SH"])
        DealerUserFactory(dealer=dealer, user__username=f"extra{n}")
        dealers.append(dealer)
    deliveries = _notify(world, dealers=dealers)
    assert len(deliveries) == 6
    sends = []

    def kill_on_fourth(message):
        sends.append(message.delivery_id)
        if len(sends) == 4:
            raise WorkerKilled

    recorder.before_send = kill_on_fourth
    start = timezone.now()
    # when the first worker dies mid-batch
    with pytest.raises(WorkerKilled):
        services.deliveries_dispatch(now=start, worker_id="first")
    assert len(recorder.sent_ids) == 3
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 3
    # a new worker while the claim holds: nothing to take
    recorder.before_send = None
    assert services.deliveries_dispatch(now=start, worker_id="second").claimed == 0
    # once the claim expired, it takes the rest back and sends them
    after = start + datetime.timedelta(seconds=61)
    report = services.deliveries_dispatch(now=after, worker_id="second")
    assert report.sent == 3
    # then
    assert sorted(recorder.sent_ids) == sorted(d.pk for d in deliveries)
    assert len(set(recorder.sent_ids)) == len(recorder.sent_ids) == 6
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    in_flight = Delivery.objects.get(pk=sends[3])
    assert in_flight.attempts == 2
    assert services.deliveries_dispatch(now=after).claimed == 0


def test_a_message_that_keeps_killing_workers_ends_failed(world, settings):
    """Claims taken back after MAX_ATTEMPTS deaths fail instead of looping."""
    settings.NOTIFICATIONS = {"MAX_ATTEMPTS": 2}
    (delivery, *_rest) = _notify(world)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING,
        attempts=2,
        claimed_by="dead",
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    services.deliveries_recover()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "worker stopped" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_delivery_once(world, recorder):
    """Four workers racing over the same queue (SKIP LOCKED) send each row once."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent claims need PostgreSQL row locks (run with DATABASE_URL)"
        )
    dealers = [world["dealer"]]
    for n in range(30):
        dealer = DealerFactory(sales_org=world["orgs"]["EAST-SH"])
        DealerUserFactory(dealer=dealer, user__username=f"many{n}")
        dealers.append(dealer)
    Delivery.objects.all().delete()
    recorder.messages.clear()
    with transaction.atomic():
        # Schedule nothing on commit: the racing workers below do the sending.
        services.notifications_create(
            kind="order.placed",
            dealer_ids=[d.pk for d in dealers],
            now=timezone.now() + datetime.timedelta(seconds=2),
        )
    total = Delivery.objects.count()
    barrier = threading.Barrier(4)
    due = timezone.now() + datetime.timedelta(seconds=3)

    def work(n):
        barrier.wait()
        try:
            sent = 0
            while True:
                report = services.deliveries_dispatch(
                    now=due, limit=5, worker_id=f"w{n}"
                )
                sent += report.sent
                if not report.claimed:
                    return sent
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        per_worker = list(pool.map(work, range(4)))
    assert sum(per_worker) == total
    assert len(recorder.sent_ids) == len(set(recorder.sent_ids)) == total
    assert sum(1 for n in per_worker if n) > 1, "the work was shared"


def test_critical_deliveries_go_before_a_campaigns(world, recorder):
    """A credit hold does not wait behind a campaign's thousands of pushes."""
    campaign = Campaign.objects.create(title_en="blast")
    with transaction.atomic():
        services.notifications_create(
            kind="campaign.message", dealer_ids=[world["dealer"].pk], campaign=campaign
        )
        services.notifications_create(
            kind="order.credit_hold", dealer_ids=[world["dealer"].pk], critical=True
        )
    services.deliveries_dispatch(limit=3)
    assert {m.kind for m in recorder.messages} == {"order.credit_hold"}


def test_redis_down_is_a_retry_not_a_loss(world, settings, no_jitter):
    """The real portal channel with an unreachable Redis layer: the delivery waits
    for its next attempt; the notification stays in the inbox meanwhile."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    (delivery, *_rest) = _notify(world)
    started = timezone.now()
    report = services.deliveries_dispatch(now=started, limit=1)
    delivery.refresh_from_db()
    assert report.retried == 1
    assert delivery.status == Delivery.Status.QUEUED
    assert delivery.last_error.startswith("channel layer:")
    assert delivery.next_attempt_at == started + datetime.timedelta(seconds=10)


def test_a_live_push_is_retried_every_ten_seconds_while_the_layer_is_away(
    world, no_jitter, monkeypatch
):
    """The portal's toast (the channel layer down, as when Redis restarts) is tried
    again within ~10 s however many tries failed, not after minutes of backoff, so
    it shows soon after Redis is back; Telegram keeps the outbox's long backoff."""

    def layer_down(group, message):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(channels, "group_send", layer_down)
    deliveries = _notify(world)
    delivery = next(d for d in deliveries if d.channel == "portal")
    Delivery.objects.exclude(pk=delivery.pk).delete()
    now = timezone.now()
    waits = []
    for _ in range(5):
        services.deliveries_dispatch(now=now)
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.QUEUED
        waits.append((delivery.next_attempt_at - now).total_seconds())
        now = delivery.next_attempt_at
    assert waits == [10, 10, 10, 10, 10]
    monkeypatch.undo()
    sent = []
    monkeypatch.setattr(channels, "group_send", lambda group, msg: sent.append(group))
    services.deliveries_dispatch(now=now)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert sent == [channels.user_group(delivery.notification.recipient_id)]
