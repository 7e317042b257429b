"""The editors' side: choosers, phone-sized preview, banners, the translation report,
and Wagtail's own background tasks."""

import pytest
from django.urls import reverse

from cms.models import Banner, NewsPage, PromotionPage
from tests.cms import factories
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def test_preview_is_phone_sized_first():
    for model in (PromotionPage, NewsPage, Banner):
        item = model()
        assert item.default_preview_size == "mobile"
        assert item.preview_sizes[0]["device_width"] == 375


def test_promotion_chooser_lists_promotions_for_marketing(gift, marketing):
    client = client_for(marketing)
    response = client.get(reverse("promotion_chooser:choose"))
    assert response.status_code == 200
    assert "P-GIFT" in response.json()["html"]
    response = client.get(reverse("promotion_chooser:choose_results"), {"q": "nothing"})
    assert "P-GIFT" not in response.content.decode()


def test_product_chooser_searches_products(world, marketing):
    response = client_for(marketing).get(
        reverse("product_chooser:choose_results"), {"q": "TEA-A"}
    )
    assert "TEA-A-01" in response.content.decode()
    assert "TEA-C-01" not in response.content.decode()


def test_editor_preview_renders_the_draft_at_phone_size(gift, marketing, world):
    """The editor offers a 375-px preview; the draft renders in the portal's layout,
    product cards at list price since no dealer is looking."""
    from tests.cms.admin_forms import page_form

    page = factories.promotion_page(gift)
    client = client_for(marketing)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert 'data-device-width="375"' in response.content.decode()
    tea = world["products"]["TEA-A-01"]
    data = page_form(
        promotion=gift,
        title=page.title,
        summary="Draft words",
        slug=page.slug,
        blocks=[("product", {"product": tea.pk, "note": ""})],
    )
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "Draft words" in html
    assert 'class="topbar' in html
    assert '<span class="price" data-testid="price">¥120.00</span>' in html


def test_missing_translations_report(gift, marketing):
    page = factories.promotion_page(gift, title="新品茶A 上市")
    factories.banner(title="横幅", promotion=gift)
    client = client_for(marketing)
    html = client.get(reverse("cms_missing_translations")).content.decode()
    assert "新品茶A 上市" in html
    assert "横幅" in html
    assert reverse("simple_translation:submit_page_translation", args=[page.pk]) in html
    factories.translate(page, title="Tea A", summary="Buy ten")
    html = client.get(reverse("cms_missing_translations")).content.decode()
    assert "新品茶A 上市" not in html
    assert "横幅" in html


def test_translate_action_creates_the_english_draft(gift, marketing):
    page = factories.promotion_page(gift)
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    response = client_for(marketing).post(url, {"locales": [factories.locale("en").pk]})
    assert response.status_code == 302
    english = PromotionPage.objects.get(locale__language_code="en")
    assert english.translation_key == page.translation_key
    assert english.promotion_id == gift.pk
    assert not english.live


def test_marketing_manages_banners_in_the_admin(gift, marketing):
    client = client_for(marketing)
    assert client.get(reverse("wagtailsnippets_cms_banner:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_cms_banner:add")).status_code == 200


def test_wagtail_tasks_run_on_the_configured_backend(gift, settings):
    """Wagtail enqueues through the django_tasks backport, which reads TASKS: in
    tests the immediate backend runs them at once (the reference index fills)."""
    from wagtail.models import ReferenceIndex
    from wagtail.tasks import update_reference_index_task

    assert (
        type(update_reference_index_task.get_backend()).__name__ == "ImmediateBackend"
    )
    page = factories.promotion_page(gift)
    assert ReferenceIndex.get_references_for_object(page).exists()
