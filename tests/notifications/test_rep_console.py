"""The rep console: who may use it, whom a rep reaches (UI and forged POSTs),
audiences, preview, rate limit, de-duplication, scheduling."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import Forbidden
from notifications import selectors, services
from notifications.models import Campaign, CampaignRecipient, Notification
from orders import services as order_services
from tests.notifications.factories import approve_gift

COMPOSE = reverse("notifications:rep-compose")


def _push(client, **fields):
    data = {
        "title_zh": "本周促销",
        "body_zh": "龙井买十赠一",
        "title_en": "This week",
        "body_en": "Buy ten Longjing, get a cup",
        "order_now": "on",
        "action": "send",
        **fields,
    }
    return client.post(COMPOSE, data)


def test_the_console_is_for_reps(client, world, rep):
    """Anonymous users log in first; a dealer user is refused; a rep gets in."""
    url = reverse("notifications:rep-dealers")
    assert client.get(url).status_code == 302
    client.force_login(world["owner"].user)
    assert client.get(url).status_code == 403
    assert client.post(COMPOSE, {"audience": "picked"}).status_code == 403
    client.force_login(rep.user)
    assert client.get(url).status_code == 200


def test_my_dealers_lists_only_the_dealers_i_serve(rep_client, world):
    page = rep_client.get(reverse("notifications:rep-dealers")).content.decode()
    assert world["dealer"].name in page
    assert world["other"].name not in page


def test_a_manager_sees_the_org_subtree(client, world, manager):
    client.force_login(manager.user)
    page = client.get(reverse("notifications:rep-dealers")).content.decode()
    assert world["dealer"].name in page
    assert world["other"].name in page


def test_my_dealers_shows_what_a_cart_is_close_to_earning(rep_client, world):
    """D1's buyer has 7 of Tea A in the cart: 3 short of the gift."""
    approve_gift()
    order_services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=7)
    page = rep_client.get(reverse("notifications:rep-dealers")).content.decode()
    assert "P-GIFT" in page


def test_a_rep_pushes_to_a_picked_dealer(
    rep_client, world, rep, django_capture_on_commit_callbacks
):
    """Send now: the campaign fans out after commit and every user of D1 gets it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _push(rep_client, audience="picked", dealers=[world["dealer"].pk])
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "notifications:rep-campaign", args=[campaign.pk]
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert (campaign.dealers_done, campaign.dealers_total) == (1, 1)
    assert campaign.rep == rep
    assert Notification.objects.filter(campaign=campaign).count() == 3
    page = rep_client.get(response["Location"]).content.decode()
    assert 'data-testid="funnel-recipients"' in page


@pytest.mark.parametrize("picked", [["other"], ["dealer", "other"]])
def test_a_forged_post_for_another_reps_dealer_is_refused(
    rep_client, world, picked, django_capture_on_commit_callbacks
):
    """The form never offers D2, but a hand-made POST naming it is refused whole."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _push(
            rep_client, audience="picked", dealers=[world[key].pk for key in picked]
        )
    assert response.status_code == 403
    assert "only reach the dealers you serve" in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_out_of_scope_dealers_too(world, rep):
    """Authority lives in the service, whatever interface calls it."""
    with pytest.raises(Forbidden):
        services.campaign_create(
            user=rep.user,
            audience={"type": "picked", "dealers": [world["other"].pk]},
            title_zh="x",
        )


def test_a_dealer_user_cannot_create_a_campaign(world):
    with pytest.raises(Forbidden):
        services.campaign_create(
            user=world["owner"].user,
            audience={"type": "picked", "dealers": [world["dealer"].pk]},
            title_zh="x",
        )


def test_the_eligible_audience_stays_inside_my_scope(world, rep, manager):
    """Both D1 and D2 may get P-GIFT; the rep reaches D1 only, the manager both."""
    approve_gift()
    version = selectors.promotion_for_rep(
        context=selectors.rep_context(user=rep.user), code="P-GIFT"
    )
    mine = selectors.audience_resolve(
        context=selectors.rep_context(user=rep.user),
        spec={"type": "eligible"},
        version=version,
    )
    theirs = selectors.audience_resolve(
        context=selectors.rep_context(user=manager.user),
        spec={"type": "eligible"},
        version=version,
    )
    assert [d.code for d in mine.dealers] == ["D1"]
    assert [d.code for d in theirs.dealers] == ["D1", "D2"]


def test_a_linked_promotion_leaves_out_dealers_it_refuses(world, manager):
    """A segment push linked to a promotion reaches only those it accepts."""
    world["other"].customer_since = datetime.date(2025, 6, 1)  # under 3 years
    world["other"].save()
    approve_gift()
    context = selectors.rep_context(user=manager.user)
    audience = selectors.audience_resolve(
        context=context,
        spec={"type": "segment", "tiers": ["gold"]},
        version=selectors.promotion_for_rep(context=context, code="P-GIFT"),
    )
    assert [d.code for d in audience.dealers] == ["D1"]
    assert audience.not_eligible == 1


def test_segment_by_tenure_and_org(world, manager):
    context = selectors.rep_context(user=manager.user)
    world["other"].customer_since = datetime.date(2025, 6, 1)
    world["other"].save()
    old = selectors.audience_resolve(
        context=context,
        spec={"type": "segment", "min_tenure_years": 3, "org": "EAST-SH"},
        version=None,
    )
    assert [d.code for d in old.dealers] == ["D1"]


def test_near_reward_finds_carts_a_few_units_short(world, rep):
    """D1's cart is 3 units of Tea A short of the gift: within 5, not within 2."""
    approve_gift()
    order_services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=7)
    context = selectors.rep_context(user=rep.user)
    version = selectors.promotion_for_rep(context=context, code="P-GIFT")
    near = selectors.audience_resolve(
        context=context, spec={"type": "near_reward", "units": 5}, version=version
    )
    far = selectors.audience_resolve(
        context=context, spec={"type": "near_reward", "units": 2}, version=version
    )
    assert [d.code for d in near.dealers] == ["D1"]
    assert far.dealers == []


def test_preview_shows_the_count_and_a_sample(rep_client, world):
    approve_gift()
    response = rep_client.post(
        COMPOSE,
        {"action": "preview", "audience": "eligible", "promotion": "P-GIFT"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audience-preview",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="audience-preview"')
    assert "D1" in body
    assert "D2" not in body
    assert not Campaign.objects.filter(kind=Campaign.Kind.MANUAL).exists()


def test_an_audience_that_needs_a_promotion_says_so(rep_client, world):
    response = _push(rep_client, audience="eligible")
    assert response.status_code == 422
    assert not Campaign.objects.exists()


def test_sending_is_rate_limited_per_rep(rep_client, world, settings):
    settings.NOTIFICATIONS = {"REP_CAMPAIGNS_PER_HOUR": 1}
    assert (
        _push(rep_client, audience="picked", dealers=[world["dealer"].pk]).status_code
        == 302
    )
    response = _push(rep_client, audience="picked", dealers=[world["dealer"].pk])
    assert response.status_code == 409
    assert "Wait a little" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_a_campaign_reaches_a_dealer_once_even_if_run_twice(
    world, rep, django_capture_on_commit_callbacks
):
    """Running the fan-out again (a retried task) pushes nobody twice."""
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_create(
            user=rep.user,
            audience={"type": "picked", "dealers": [world["dealer"].pk]},
            title_en="Hello",
        )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_run(campaign_id=campaign.pk)
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 1
    assert Notification.objects.filter(campaign=campaign).count() == 3


def test_a_scheduled_campaign_waits_for_its_time(
    world, rep, django_capture_on_commit_callbacks
):
    send_at = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_create(
            user=rep.user,
            audience={"type": "picked", "dealers": [world["dealer"].pk]},
            title_en="Later",
            send_at=send_at,
        )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert not Notification.objects.exists()
    # a run before its time (a task that came early) does nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_run(campaign_id=campaign.pk)
    assert not Notification.objects.exists()
    Campaign.objects.filter(pk=campaign.pk).update(
        scheduled_for=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaigns_due() == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert Notification.objects.filter(campaign=campaign).count() == 3


def test_a_rep_cannot_see_another_reps_campaign(client, world, rep, other_rep):
    campaign = Campaign.objects.create(rep=other_rep, title_en="theirs")
    client.force_login(rep.user)
    assert (
        client.get(
            reverse("notifications:rep-campaign", args=[campaign.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("notifications:rep-campaign-cancel", args=[campaign.pk])
        ).status_code
        == 404
    )
