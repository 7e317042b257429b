"""Scheduled go-live and expiry: approved content waits for its time."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.models import PromotionPage
from tests.cms import factories
from tests.cms.admin_forms import add_url, approve_url, page_form
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_approved_page_goes_live_at_its_scheduled_time(
    gift, marketing, manager, insider_client
):
    """go_live_at in the future: approval schedules the page instead of publishing
    it; the scheduler publishes it once the time has come."""
    go_live = timezone.now() + timedelta(days=2)
    data = page_form(
        promotion=gift,
        title="新品茶A 上市",
        summary="Coming soon",
        slug="p-gift",
        go_live_at=_local(go_live),
    )
    data["action-submit"] = "submit"
    response = client_for(marketing).post(add_url(factories.promotion_index()), data)
    assert response.status_code == 302
    page = PromotionPage.objects.get(slug="p-gift")
    client_for(manager).post(approve_url(page))

    page.refresh_from_db()
    revision = page.latest_revision
    assert not page.live
    assert revision.approved_go_live_at is not None
    assert insider_client.get("/cms/promotions/p-gift/").status_code == 404

    call_command("publish_scheduled")  # not yet due
    page.refresh_from_db()
    assert not page.live

    # two days later (moved back instead of waiting): the time has come
    due = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert "Coming soon" in insider_client.get(page.url).content.decode()


def test_expired_page_disappears(gift, insider_client):
    page = factories.promotion_page(gift, summary="Last days")
    assert insider_client.get(page.url).status_code == 200
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save(update_fields=["expire_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live
    assert page.expired
    assert insider_client.get(page.url).status_code == 404
