"""Campaign tracking (sent, read, clicked, converted), automatic recommendations on
approval, and a fan-out whose cost grows linearly with the dealers it reaches."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import DealerPurchase
from notifications import selectors, services, texts
from notifications.models import Campaign, CampaignRecipient, Delivery, Notification
from promos import services as promo_services
from tests.dealers.factories import DealerFactory, DealerUserFactory, TierFactory
from tests.notifications.factories import approve_gift
from tests.orders import factories as order_factories
from tests.orders.factories import place


def _campaign(user, dealers, capture, promotion="P-GIFT"):
    with capture(execute=True):
        return services.campaign_create(
            user=user,
            audience={"type": "picked", "dealers": [d.pk for d in dealers]},
            promotion_code=promotion,
            title_en="Buy ten",
        )


def test_conversion_is_an_order_using_the_promotion_within_7_days(
    world, manager, django_capture_on_commit_callbacks
):
    """D1 orders with P-GIFT after the push: converted. D2 does not order."""
    approve_gift()
    campaign = _campaign(
        manager.user,
        [world["dealer"], world["other"]],
        django_capture_on_commit_callbacks,
    )
    place(world["buyer"], [("TEA-A-01", 10)])
    funnel = selectors.campaign_funnel(campaign=campaign)
    assert (funnel.recipients, funnel.sent, funnel.converted) == (2, 2, 1)


@pytest.mark.parametrize(
    "pushed", [datetime.timedelta(days=-8), datetime.timedelta(minutes=5)]
)
def test_an_order_outside_the_window_does_not_convert(
    world, manager, pushed, django_capture_on_commit_callbacks
):
    """Eight days after the push is too late; an order before the push is not one."""
    approve_gift()
    campaign = _campaign(
        manager.user, [world["dealer"]], django_capture_on_commit_callbacks
    )
    CampaignRecipient.objects.update(created_at=timezone.now() + pushed)
    place(world["buyer"], [("TEA-A-01", 10)])
    assert selectors.campaign_funnel(campaign=campaign).converted == 0


def test_an_order_with_another_promotion_does_not_convert(
    world, manager, django_capture_on_commit_callbacks
):
    approve_gift()
    order_factories.approve(order_factories.percent_definition())
    campaign = _campaign(
        manager.user, [world["dealer"]], django_capture_on_commit_callbacks
    )
    place(world["buyer"], [("TEA-C-01", 5)])
    assert selectors.campaign_funnel(campaign=campaign).converted == 0


def test_read_and_clicked_are_counted_per_dealer(
    world, manager, django_capture_on_commit_callbacks
):
    approve_gift()
    campaign = _campaign(
        manager.user,
        [world["dealer"], world["other"]],
        django_capture_on_commit_callbacks,
    )
    owner_note = Notification.objects.get(
        campaign=campaign, recipient=world["owner"].user
    )
    buyer_note = Notification.objects.get(
        campaign=campaign, recipient=world["buyer"].user
    )
    services.notification_mark_read(
        user=world["owner"].user, notification_id=owner_note.pk
    )
    target = services.notification_open(
        user=world["buyer"].user, notification_id=buyer_note.pk, action=True
    )
    assert target.endswith("/promotions/P-GIFT/?add=1")
    funnel = selectors.campaign_funnel(campaign=campaign)
    assert (funnel.read, funnel.clicked) == (1, 1)
    assert (
        Delivery.objects.get(notification=buyer_note).status == Delivery.Status.CLICKED
    )


# --- Automatic recommendations -----------------------------------------------------------


def _bought(dealer, amount, key="category:TEA-A"):
    DealerPurchase.objects.create(
        dealer=dealer,
        key=key,
        month=timezone.localdate().replace(day=1),
        quantity=10,
        amount=Decimal(amount),
    )


@pytest.fixture
def buyers(world):
    """D1 and D2 bought Tea A (D1 more); a silver dealer bought more still but the
    promotion is for gold; a gold dealer bought nothing."""
    silver = DealerFactory(
        code="D3", sales_org=world["orgs"]["EAST-SH"], tier=TierFactory(code="silver")
    )
    idle = DealerFactory(
        code="D4", sales_org=world["orgs"]["EAST-SH"], tier=world["dealer"].tier
    )
    for dealer in (silver, idle):
        DealerUserFactory(dealer=dealer)
    _bought(world["dealer"], "5000.00")
    _bought(world["other"], "800.00")
    _bought(silver, "9000.00")
    return world


def test_approval_recommends_the_promotion_to_the_best_fits(
    buyers, django_capture_on_commit_callbacks
):
    """Eligible dealers who bought its category in 90 days get it, best fit first."""
    with django_capture_on_commit_callbacks(execute=True):
        approve_gift(name_en="Tea A: buy 10, get a cup")
    campaign = Campaign.objects.get(kind=Campaign.Kind.AUTOMATIC)
    assert campaign.status == Campaign.Status.SENT
    ranked = list(
        CampaignRecipient.objects.filter(campaign=campaign).values_list(
            "dealer__code", "score"
        )
    )
    assert ranked == [("D1", 5000.0), ("D2", 800.0)]
    note = Notification.objects.filter(
        campaign=campaign, recipient=buyers["owner"].user
    ).get()
    assert note.kind == texts.RECOMMENDATION
    rendered = texts.render(note, "en")
    assert rendered.title == "A promotion for you: Tea A: buy 10, get a cup"
    assert texts.render(note, "zh-hans").title.endswith("新品茶A 买十赠一")
    assert rendered.action_url.endswith("/promotions/P-GIFT/?add=1")


def test_each_dealer_gets_at_most_n_automatic_pushes_a_week(
    buyers, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS = {"AUTO_PUSHES_PER_WEEK": 1}
    _bought(buyers["dealer"], "100.00", key="category:TEA-C")
    with django_capture_on_commit_callbacks(execute=True):
        approve_gift()
        order_factories.approve(order_factories.percent_definition())
    second = Campaign.objects.get(kind=Campaign.Kind.AUTOMATIC, promotion__code="P-PCT")
    assert not second.recipients.exists()
    assert second.dealers_skipped == 1


def test_a_reapproval_pushes_nobody_twice(buyers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approve_gift()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        promo_services.promotion_save(
            data=order_factories.definition(name="新品茶A 买十赠一 (新)"), by=None
        )
        promo_services.promotion_submit(code="P-GIFT", by=None)
        promo_services.promotion_approve(code="P-GIFT", by=None)
    assert Campaign.objects.filter(kind=Campaign.Kind.AUTOMATIC).count() == 1
    assert Notification.objects.count() == before


def test_a_promotion_that_starts_later_is_recommended_when_it_starts(
    buyers, django_capture_on_commit_callbacks
):
    starts = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        approve_gift(starts_at=starts.isoformat())
    campaign = Campaign.objects.get(kind=Campaign.Kind.AUTOMATIC)
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.scheduled_for == starts
    assert not Notification.objects.exists()


# --- Fan-out cost --------------------------------------------------------------------------


def _queries_for(manager, world, count, settings):
    settings.NOTIFICATIONS = {"FANOUT_BATCH": 2}
    dealers = []
    for _n in range(count):
        dealer = DealerFactory(sales_org=world["orgs"]["EAST-SH"])
        DealerUserFactory(dealer=dealer)
        dealers.append(dealer)
    campaign = Campaign.objects.create(
        rep=manager,
        title_en="Hello",
        audience={"type": "picked", "dealers": [d.pk for d in dealers]},
    )
    with CaptureQueriesContext(connection) as queries:
        services.campaign_run(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.dealers_done == count
    assert campaign.progress_percent == 100
    assert Notification.objects.filter(campaign=campaign).count() == count
    return len(queries)


def test_the_fan_out_costs_the_same_queries_per_batch(world, manager, settings):
    """Queries grow with batches, not with dealers inside a batch: linear."""
    two = _queries_for(manager, world, 2, settings)
    four = _queries_for(manager, world, 4, settings)
    eight = _queries_for(manager, world, 8, settings)
    per_batch = four - two
    assert per_batch <= 12
    assert eight - four == 2 * per_batch


def _six_dealer_campaign(world, manager, settings):
    """A campaign to six dealers fanned out two at a time, with a 60 s lease."""
    settings.NOTIFICATIONS = {"FANOUT_BATCH": 2, "LEASE_SECONDS": 60}
    dealers = []
    for _n in range(6):
        dealer = DealerFactory(sales_org=world["orgs"]["EAST-SH"])
        DealerUserFactory(dealer=dealer)
        dealers.append(dealer)
    campaign = Campaign.objects.create(
        rep=manager,
        title_en="Hello",
        audience={"type": "picked", "dealers": [d.pk for d in dealers]},
    )
    return campaign, dealers


def test_a_worker_killed_mid_campaign_is_finished_by_another_sending_once(
    world, manager, settings
):
    """The fan-out's worker dies during its second batch (the process exits inside
    the transaction): the batch is rolled back, the campaign waits in "sending";
    once its heartbeat is older than the lease the tick starts another run, which
    reaches the rest, and nobody gets the campaign twice."""
    campaign, dealers = _six_dealer_campaign(world, manager, settings)
    batches = []

    def die_in_the_second_batch(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "campaignrecipient" in sql:
            batches.append(1)
            if len(batches) == 2:
                raise SystemExit("worker killed")
        return execute(sql, params, many, context)

    # given a worker killed in its second batch
    with (
        connection.execute_wrapper(die_in_the_second_batch),
        pytest.raises(SystemExit),
    ):
        services.campaign_run(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    reached_before = CampaignRecipient.objects.filter(campaign=campaign).count()
    assert campaign.status == Campaign.Status.SENDING

    # when its lease runs out and the tick runs (the task runs inline here)
    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    services.tick()

    # then another run finished it, each dealer reached once
    campaign.refresh_from_db()
    per_dealer = list(
        Notification.objects.filter(campaign=campaign)
        .values_list("dealer_id", flat=True)
        .order_by("dealer_id")
    )
    deliveries = list(
        Delivery.objects.filter(notification__campaign=campaign).values_list(
            "notification_id", "channel"
        )
    )
    print(  # noqa: T201
        f"\ninjected: SystemExit in batch 2 of 3; saw: {reached_before} reached "
        f"before, status {campaign.status}, notifications per dealer "
        f"{len(per_dealer)}/{len(set(per_dealer))}, deliveries {len(deliveries)}"
    )
    assert reached_before == 2
    assert campaign.status == Campaign.Status.SENT
    assert sorted(per_dealer) == sorted(d.pk for d in dealers)
    assert len(deliveries) == len(set(deliveries))
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 6


def test_the_database_dropping_under_the_campaign_task_loses_and_doubles_nothing(
    world, manager, settings
):
    """The connection drops during the task's second batch: the task fails with the
    database's error (recorded on the task result, not swallowed), the batch is rolled
    back and nothing half-written stays; the next run (the tick's, once the lease is
    over) reaches everyone else, each dealer once."""
    from django.db import OperationalError
    from django.tasks import TaskResultStatus

    from notifications import tasks

    campaign, dealers = _six_dealer_campaign(world, manager, settings)
    batches = []

    def drop_in_the_second_batch(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "_delivery" in sql:
            batches.append(1)
            if len(batches) == 2:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_in_the_second_batch):
        result = tasks.campaign_send.enqueue(campaign.pk)
    campaign.refresh_from_db()
    notified = set(
        Notification.objects.filter(campaign=campaign).values_list(
            "dealer_id", flat=True
        )
    )
    undelivered = Notification.objects.filter(
        campaign=campaign, deliveries__isnull=True
    ).count()
    assert result.status == TaskResultStatus.FAILED
    assert "OperationalError" in result.errors[0].exception_class_path
    assert campaign.status == Campaign.Status.SENDING
    assert len(notified) == 2  # the first batch, whole
    assert undelivered == 0  # no notification without its deliveries

    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    services.tick()
    campaign.refresh_from_db()
    per_dealer = list(
        Notification.objects.filter(campaign=campaign).values_list(
            "dealer_id", flat=True
        )
    )
    print(  # noqa: T201
        f"\ninjected: OperationalError in batch 2; saw: task {result.status}, "
        f"{len(notified)} reached before, then {campaign.status} with "
        f"{len(per_dealer)} notifications for {len(set(per_dealer))} dealers"
    )
    assert campaign.status == Campaign.Status.SENT
    assert sorted(per_dealer) == sorted(d.pk for d in dealers)
