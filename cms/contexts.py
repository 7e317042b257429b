"""What each CMS page reads to show itself, in the reader's language and for the
reading dealer: the home's promotions, news and banners, the lists of the index
pages, a promotion page's facts, and a banner's link in its preview. Registered on
the models (``cms.models.reads``) when the app is ready."""

from cms import selectors
from cms.models import (
    Banner,
    ContentHomePage,
    NewsIndexPage,
    PromotionIndexPage,
    PromotionPage,
    reads,
)


@reads(ContentHomePage)
def home(page, request) -> dict:
    language = selectors.language_of(request)
    dealer = getattr(request, "dealer", None)
    return {
        "promotion_pages": selectors.promotion_page_list(
            dealer=dealer, language=language
        )[:6],
        "news_pages": selectors.news_list(dealer=dealer, language=language, limit=5),
        "banners": (
            selectors.banner_list(dealer=dealer, language=language)
            if dealer is not None
            else []
        ),
    }


@reads(PromotionIndexPage)
def promotion_index(page, request) -> dict:
    return {
        "pages": selectors.promotion_page_list(
            dealer=getattr(request, "dealer", None),
            language=selectors.language_of(request),
        )
    }


@reads(PromotionPage)
def promotion_page(page, request) -> dict:
    return {"facts": selectors.promotion_facts(promotion=page.promotion)}


@reads(NewsIndexPage)
def news_index(page, request) -> dict:
    return {
        "pages": selectors.news_list(
            dealer=getattr(request, "dealer", None),
            language=selectors.language_of(request),
        )
    }


@reads(Banner)
def banner_preview(banner, request) -> dict:
    banner.link_url = selectors.banner_link_url(banner=banner, language=None) or "#"
    return {"banners": [banner]}
