"""What the portal embeds: the promotion's content and the home banners."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from cms import selectors
from cms.demo import demo_image
from tests.cms import factories

pytestmark = pytest.mark.django_db


def _request(dealer_user):
    request = RequestFactory().get("/promotions/P-GIFT/")
    request.user = dealer_user.user
    request.dealer_user = dealer_user
    request.dealer = dealer_user.dealer
    return request


def test_promotion_content_include_renders_summary_hero_and_body(gift, insider):
    """Phone renditions: WebP, a srcset of 375/750/1125 px, lazy."""
    image = demo_image(title="Cup", label="P-GIFT")
    factories.promotion_page(
        gift,
        summary="Buy ten, get a cup",
        image=image,
        body=[("text", "<p>Our best tea of the year.</p>")],
    )
    content = selectors.promotion_content(
        dealer=insider.dealer, promotion_code="P-GIFT", language="en"
    )
    html = render_to_string(
        "cms/includes/promotion_content.html",
        {"content": content},
        request=_request(insider),
    )
    assert "Buy ten, get a cup" in html
    assert "Our best tea of the year." in html
    img = re.search(r"<img[^>]*cms-hero__img[^>]*>", html).group(0)
    assert 'loading="lazy"' in img
    assert re.search(
        r'srcset="[^"]*\.webp 375w, [^"]*\.webp 750w, [^"]*\.webp 1125w"', img
    )
    assert 'sizes="(min-width: 960px) 936px, 100vw"' in img
    assert 'alt="Cup"' in img


def test_include_renders_nothing_without_content(insider):
    html = render_to_string(
        "cms/includes/promotion_content.html",
        {"content": None},
        request=_request(insider),
    )
    assert html.strip() == ""


def test_banners_include(gift, insider):
    factories.banner(title="Cup for ten", promotion=gift)
    html = render_to_string(
        "cms/includes/banners.html",
        {"banners": selectors.banner_list(dealer=insider.dealer, language="en")},
        request=_request(insider),
    )
    assert 'href="/promotions/P-GIFT/"' in html
    assert "Cup for ten" in html
    assert re.search(r'srcset="[^"]*\.webp 375w', html)


def test_teaser_for_the_bot(gift, insider, outsider):
    factories.promotion_page(
        gift, summary="Buy ten", image=demo_image(title="Cup", label="P-GIFT")
    )
    teaser = selectors.promotion_teaser(
        dealer=insider.dealer, promotion_code="P-GIFT", language="en"
    )
    assert teaser.summary == "Buy ten"
    assert teaser.url.endswith("/cms/promotions/p-gift/")
    assert teaser.url.startswith("http")
    assert teaser.image_url.endswith(".jpg")
    assert (
        selectors.promotion_teaser(
            dealer=outsider.dealer, promotion_code="P-GIFT", language="en"
        )
        is None
    )


def test_selectors_read_in_bounded_queries(
    gift, insider, django_assert_max_num_queries
):
    """With the dealer's codes known, content and banners take a handful of queries."""
    factories.promotion_page(gift)
    for n in range(5):
        factories.banner(title=f"Banner {n}", promotion=gift)
    codes = selectors.eligible_promotion_codes(dealer=insider.dealer)
    with django_assert_max_num_queries(2):
        selectors.promotion_content(
            dealer=insider.dealer,
            promotion_code="P-GIFT",
            language="en",
            eligible_codes=codes,
        )
    with django_assert_max_num_queries(2):
        banners = selectors.banner_list(
            dealer=insider.dealer, language="en", eligible_codes=codes
        )
    assert len(banners) == 5


def test_news_include(insider):
    factories.news_page(title="Holiday hours", summary="Closed on Monday")
    html = render_to_string(
        "cms/includes/news.html",
        {"news_pages": selectors.news_list(dealer=insider.dealer, language="en")},
        request=_request(insider),
    )
    assert "Holiday hours" in html
    assert 'href="/cms/news/holiday-hours/"' in html
