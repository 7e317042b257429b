"""Content follows the promotion's audience, inside the portal's login."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from cms import selectors
from tests.cms import factories
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def test_dealer_in_the_audience_reads_the_page_inside_the_portal(gift, insider_client):
    """The page is served at /cms/… in the portal's layout (its tab bar), for P-GIFT's dealer."""
    page = factories.promotion_page(gift, summary="Buy ten, get a cup")
    response = insider_client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy ten, get a cup" in html
    assert 'class="tabbar"' in html
    assert 'href="/promotions/P-GIFT/"' in html


def test_dealer_outside_the_audience_gets_404(gift, outsider_client):
    page = factories.promotion_page(gift)
    assert outsider_client.get(page.url).status_code == 404


def test_anonymous_readers_go_to_the_portal_login(gift, client):
    page = factories.promotion_page(gift)
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/cms/promotions/p-gift/")


def test_staff_preview_any_live_page(gift, marketing):
    page = factories.promotion_page(gift)
    assert client_for(marketing).get(page.url).status_code == 200


def test_a_login_that_is_neither_dealer_nor_staff_gets_404(gift, client):
    from tests.dealers.factories import UserFactory

    page = factories.promotion_page(gift)
    client.force_login(UserFactory(username="nobody"))
    assert client.get(page.url).status_code == 404


def test_paused_promotion_hides_its_page(gift, insider, insider_client):
    from promos import services as promo_services

    page = factories.promotion_page(gift)
    promo_services.promotion_pause(code="P-GIFT", by=None)
    assert insider_client.get(page.url).status_code == 404
    assert (
        selectors.promotion_content(
            dealer=insider.dealer, promotion_code="P-GIFT", language="en"
        )
        is None
    )


def test_display_window_limits_the_page(gift, insider, insider_client):
    """Empty window: the promotion's; a window of its own narrows it."""
    later = timezone.now() + timedelta(days=3)
    page = factories.promotion_page(gift, display_from=later)
    assert insider_client.get(page.url).status_code == 404
    assert selectors.promotion_page_list(dealer=insider.dealer, language="en") == []
    page.display_from = None
    page.display_until = timezone.now() - timedelta(minutes=1)
    factories.publish(page)
    assert insider_client.get(page.url).status_code == 404
    page.display_until = None
    factories.publish(page)
    assert insider_client.get(page.url).status_code == 200


def test_banner_shows_only_to_the_promotions_dealers(gift, insider, outsider):
    """A banner linked to P-GIFT: its dealers see it; others never do, page or include."""
    factories.banner(title="Cup for ten", promotion=gift)
    seen = selectors.banner_list(dealer=insider.dealer, language="en")
    assert [b.title for b in seen] == ["Cup for ten"]
    assert seen[0].link_url == "/promotions/P-GIFT/"
    assert selectors.banner_list(dealer=outsider.dealer, language="en") == []
    request = RequestFactory().get("/")
    html = render_to_string(
        "cms/includes/banners.html",
        {"banners": selectors.banner_list(dealer=outsider.dealer, language="en")},
        request=request,
    )
    assert "Cup for ten" not in html


def test_banner_linked_to_a_page_follows_the_pages_promotion(gift, insider, outsider):
    page = factories.promotion_page(gift)
    factories.banner(title="Read about it", page=page)
    seen = selectors.banner_list(dealer=insider.dealer, language="zh-hans")
    assert [(b.title, b.link_url) for b in seen] == [("Read about it", page.url)]
    assert selectors.banner_list(dealer=outsider.dealer, language="zh-hans") == []


def test_banner_window_and_drafts(gift, insider):
    factories.banner(
        title="Soon", promotion=gift, display_from=timezone.now() + timedelta(days=1)
    )
    draft = factories.banner(title="Draft", promotion=gift)
    draft.unpublish()
    assert selectors.banner_list(dealer=insider.dealer, language="en") == []


def test_general_news_is_for_every_dealer_news_about_a_promotion_for_its_dealers(
    gift, insider, outsider, insider_client, outsider_client
):
    everyone = factories.news_page(title="Holiday hours", summary="Closed on Monday")
    about = factories.news_page(title="Cup news", summary="More cups", promotion=gift)
    assert [
        p.title for p in selectors.news_list(dealer=insider.dealer, language="en")
    ] == [
        "Cup news",
        "Holiday hours",
    ]
    assert [
        p.title for p in selectors.news_list(dealer=outsider.dealer, language="en")
    ] == ["Holiday hours"]
    assert outsider_client.get(everyone.url).status_code == 200
    assert outsider_client.get(about.url).status_code == 404
    assert insider_client.get(about.url).status_code == 200


def test_index_lists_only_the_readers_pages(
    gift, world, insider_client, outsider_client
):
    factories.promotion_page(gift, title="Cup for ten")
    other = factories.approved_promotion(
        code="P-ALL", audience={"sales_orgs": ["EAST-SH"]}
    )
    factories.promotion_page(other, title="For everyone")
    index = factories.promotion_index()
    insider_html = insider_client.get(index.url).content.decode()
    outsider_html = outsider_client.get(index.url).content.decode()
    assert "Cup for ten" in insider_html
    assert "For everyone" in insider_html
    assert "Cup for ten" not in outsider_html
    assert "For everyone" in outsider_html
