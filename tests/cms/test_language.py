"""Each page in zh-hans and en; dealers read theirs, else the other one."""

import pytest

from cms import selectors
from tests.cms import factories
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def test_content_falls_back_to_the_other_language(gift, insider):
    """Only Chinese exists: an English reader gets it; once translated, English."""
    page = factories.promotion_page(gift, title="新品茶A 上市", summary="买十赠一")
    content = selectors.promotion_content(
        dealer=insider.dealer, promotion_code="P-GIFT", language="en"
    )
    assert content.pk == page.pk
    english = factories.translate(page, title="Tea A is here", summary="Buy ten")
    assert (
        selectors.promotion_content(
            dealer=insider.dealer, promotion_code="P-GIFT", language="en"
        ).pk
        == english.pk
    )
    assert (
        selectors.promotion_content(
            dealer=insider.dealer, promotion_code="P-GIFT", language="zh-hans"
        ).pk
        == page.pk
    )


def test_a_draft_translation_is_not_shown(gift, insider):
    page = factories.promotion_page(gift)
    factories.translate(page, title="Draft", summary="Not yet", live=False)
    content = selectors.promotion_content(
        dealer=insider.dealer, promotion_code="P-GIFT", language="en"
    )
    assert content.pk == page.pk


def test_page_url_serves_the_readers_language_and_falls_back(gift, insider):
    page = factories.promotion_page(gift, summary="买十赠一")
    english_reader = client_for(insider.user, "en")
    chinese_reader = client_for(insider.user, "zh-hans")
    # no English yet: the Chinese page answers the English reader at the same address
    html = english_reader.get(page.url).content.decode()
    assert "买十赠一" in html
    assert 'lang="zh-hans"' in html
    factories.translate(page, title="Tea A is here", summary="Buy ten, get a cup")
    assert "Buy ten, get a cup" in english_reader.get(page.url).content.decode()
    chinese = chinese_reader.get(page.url).content.decode()
    assert "买十赠一" in chinese
    assert "查看优惠" in chinese  # "See the offer", from cms/locale


def test_a_translation_with_its_own_slug_is_where_the_reader_goes(gift, insider):
    page = factories.promotion_page(gift, slug="xin-pin")
    english = factories.translate(page, title="New", summary="Buy ten", slug="tea-a")
    response = client_for(insider.user, "en").get(page.url)
    assert response.status_code == 302
    assert response["Location"] == english.url == "/cms/promotions/tea-a/"


def test_banners_in_the_readers_language_else_the_other(gift, insider):
    zh = factories.banner(title="新品上市", promotion=gift)
    assert [
        b.title for b in selectors.banner_list(dealer=insider.dealer, language="en")
    ] == ["新品上市"]
    english = zh.copy_for_translation(factories.locale("en"))
    english.title = "New tea"
    english.live = False
    english.save()
    english.save_revision().publish()
    assert [
        b.title for b in selectors.banner_list(dealer=insider.dealer, language="en")
    ] == ["New tea"]
    assert [
        b.title
        for b in selectors.banner_list(dealer=insider.dealer, language="zh-hans")
    ] == ["新品上市"]


def test_push_link_for_a_promotion(gift):
    assert selectors.promotion_page_url(promotion_code="P-GIFT") is None
    page = factories.promotion_page(gift)
    assert selectors.promotion_page_url(promotion_code="P-GIFT") == page.url
    assert page.portal_url == "/cms/promotions/p-gift/"
    assert selectors.promotion_page_url(
        promotion_code="P-GIFT", absolute=True
    ).endswith("/cms/promotions/p-gift/")


def test_wagtail_admin_speaks_chinese_to_chinese_editors(marketing, client):
    """No preference set and a Chinese browser: the admin is in zh-hans."""
    client.force_login(marketing)
    html = client.get("/cms/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content
    assert b'<html lang="zh-hans"' in html
    html = client.get("/cms/admin/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert (
        b'<html lang="zh-hans"' in html
    )  # unsupported browser language: LANGUAGE_CODE
