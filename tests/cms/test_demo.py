"""The seed's demo content: both languages, drawn pictures, idempotent."""

import pytest

from cms import selectors
from cms.demo import demo_picture_bytes, flush_content, seed_content
from cms.models import Banner, NewsPage, PromotionPage
from tests.cms import factories

pytestmark = pytest.mark.django_db


def test_seed_content_in_both_languages(gift, insider):
    created = seed_content(promotion_codes=["P-GIFT", "NOPE"])
    assert [page.promotion.code for page in created] == ["P-GIFT"]
    pages = PromotionPage.objects.live().order_by("locale__language_code")
    assert sorted(p.locale.language_code for p in pages) == ["en", "zh-hans"]
    assert all(p.hero_image is not None for p in pages)
    assert Banner.objects.filter(live=True).count() == 2
    assert NewsPage.objects.live().count() == 2

    english = selectors.promotion_content(
        dealer=insider.dealer, promotion_code="P-GIFT", language="en"
    )
    assert english.locale.language_code == "en"
    assert english.title.startswith("P-GIFT: ")
    assert [
        b.locale.language_code
        for b in selectors.banner_list(dealer=insider.dealer, language="en")
    ] == ["en"]
    assert seed_content(promotion_codes=["P-GIFT"]) == []  # already there

    flush_content()
    assert not PromotionPage.objects.exists()
    assert not Banner.objects.exists()
    assert factories.promotion_index().numchild == 0


def test_demo_pictures_are_drawn_locally():
    data = demo_picture_bytes(label="P-GIFT", size=(320, 180))
    assert data.startswith(b"\x89PNG")
    assert demo_picture_bytes(label="P-GIFT", size=(320, 180)) == data
