"""Marketing drafts, a marketing lead or sales manager approves; nobody in marketing
publishes alone or reaches the promotion's rules."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from cms.models import PromotionPage
from tests.cms import factories
from tests.cms.admin_forms import add_url, approve_url, edit_url, page_form
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def _create_as(client, promotion, *, action: str, **fields) -> PromotionPage:
    data = page_form(
        promotion=promotion,
        title=fields.pop("title", "新品茶A 上市"),
        summary=fields.pop("summary", "买十赠一"),
        slug="p-gift",
        **fields,
    )
    data[f"action-{action}"] = action
    response = client.post(add_url(factories.promotion_index()), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return PromotionPage.objects.get(slug="p-gift")


def test_marketing_cannot_publish_a_page(gift, marketing):
    """Asking to publish without the permission only saves a draft; there is no
    Publish button for them."""
    client = client_for(marketing)
    page = _create_as(client, gift, action="publish")
    assert not page.live
    assert page.has_unpublished_changes
    editor = client.get(edit_url(page)).content.decode()
    assert 'name="action-publish"' not in editor
    assert 'name="action-submit"' in editor


def test_review_then_publish(gift, marketing, manager, insider_client):
    """Marketing submits; the page is locked for them while in review; a sales
    manager approves, which publishes it; the dealer then reads it."""
    writer = client_for(marketing)
    page = _create_as(
        client_for(marketing), gift, action="submit", summary="Cup for ten"
    )
    assert not page.live
    assert page.workflow_in_progress
    assert page.get_lock().for_user(marketing)
    assert not page.get_lock().for_user(manager)

    # a locked page refuses the writer's changes
    data = page_form(promotion=gift, title="x", summary="Changed", slug="p-gift")
    data["action-submit"] = "submit"
    writer.post(edit_url(page), data)
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().summary == "Cup for ten"

    assert insider_client.get("/cms/promotions/p-gift/").status_code == 404
    response = client_for(manager).post(approve_url(page))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert not page.workflow_in_progress
    html = insider_client.get(page.url).content.decode()
    assert "Cup for ten" in html


def test_marketing_lead_approves_too(gift, marketing, lead):
    page = _create_as(client_for(marketing), gift, action="submit")
    client_for(lead).post(approve_url(page))
    page.refresh_from_db()
    assert page.live


def test_marketing_cannot_approve_their_own_page(gift, marketing):
    page = _create_as(client_for(marketing), gift, action="submit")
    response = client_for(marketing).post(approve_url(page))
    assert response.status_code in (302, 403)  # Wagtail answers "permission denied"
    page.refresh_from_db()
    assert not page.live


def test_changes_to_a_live_page_wait_for_approval(
    gift, marketing, manager, insider_client
):
    page = factories.promotion_page(gift, summary="Old words")
    data = page_form(
        promotion=gift, title=page.title, summary="New words", slug=page.slug
    )
    data["action-submit"] = "submit"
    client_for(marketing).post(edit_url(page), data)
    assert "Old words" in insider_client.get(page.url).content.decode()
    client_for(manager).post(approve_url(Page.objects.get(pk=page.pk).specific))
    assert "New words" in insider_client.get(page.url).content.decode()


def test_revisions_can_be_compared(gift, marketing):
    page = factories.promotion_page(gift, summary="First")
    page.summary = "Second"
    page.save_revision()
    first, second = page.revisions.order_by("pk")
    url = reverse(
        "wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk]
    )
    response = client_for(marketing).get(url)
    assert response.status_code == 200
    assert "Second" in response.content.decode()


@pytest.mark.parametrize("url_name", ["change", "definition"])
def test_marketing_cannot_reach_promotion_rules(gift, marketing, url_name):
    """The back office's promotion pages (rules, budgets) are closed to marketing."""
    url = reverse(f"admin:promos_promotion_{url_name}", args=[gift.pk])
    assert client_for(marketing).get(url).status_code == 403
    assert not marketing.has_perm("promos.change_promotion")
    assert not marketing.has_perm("promos.change_promotionbudget")


def test_marketing_edits_banners_but_publishes_them_only_through_review(
    gift, marketing, manager, insider
):
    from cms.models import Banner

    assert marketing.has_perm("cms.add_banner")
    assert not marketing.has_perm("cms.publish_banner")
    assert manager.has_perm("cms.publish_banner")
    assert Banner().get_workflow().name == "营销内容审核"
    for language in ("zh-hans", "en"):
        index = factories.promotion_index(language)
        assert index.get_workflow().name == "营销内容审核"


def test_one_page_per_promotion_and_language(gift, marketing):
    """A second Chinese page about P-GIFT is refused; its translation is not."""
    factories.promotion_page(gift, title="第一页", slug="first")
    data = page_form(promotion=gift, title="第二页", summary="重复", slug="second")
    data["action-submit"] = "submit"
    response = client_for(marketing).post(add_url(factories.promotion_index()), data)
    assert response.status_code == 200
    assert "already describes this promotion" in response.content.decode()
    assert not PromotionPage.objects.filter(slug="second").exists()


def test_banner_links_to_one_promotion_or_one_page(gift):
    from django.core.exceptions import ValidationError

    from cms.models import Banner

    page = factories.promotion_page(gift)
    for promotion, target in [(None, None), (gift, page)]:
        with pytest.raises(ValidationError):
            Banner(title="x", promotion=promotion, page=target).clean()
    Banner(title="x", promotion=gift).clean()
    Banner(title="x", page=page).clean()
