"""Reads of marketing content, scoped to one dealer and shown in their language.

Visibility follows the promotion: a dealer sees a promotion page, a banner linked to
it, or news about it only while the promotion is live and for them
(``promos.selectors.dealer_promotions``), and only inside the content's own display
window (empty: the promotion's window). Language: the dealer's language first, then
the other content language, so an untranslated page still shows.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from cms import links
from cms.models import Banner, NewsPage, PromotionPage
from promos import selectors as promo_selectors

# --- Languages ----------------------------------------------------------------------------


def language_order(language: str | None) -> list[str]:
    """Content languages to try, ``language`` first, then the others in settings order."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    try:
        first = get_supported_content_language_variant(
            language or settings.LANGUAGE_CODE
        )
    except LookupError:
        first = codes[0]
    return [first] + [code for code in codes if code != first]


def language_of(request) -> str:
    """The language the portal speaks to this request (LocaleMiddleware's choice)."""
    return getattr(request, "LANGUAGE_CODE", None) or get_language()


def _pick_language[T](
    items: Iterable[T], language: str | None, key: Callable
) -> list[T]:
    """One item per ``key``, in the first language of ``language_order`` that has
    it; keys keep the order in which they first appear."""
    rank = {code: index for index, code in enumerate(language_order(language))}
    chosen: dict = {}
    for item in items:
        group = key(item)
        current = chosen.get(group)
        if current is None or rank.get(item.locale.language_code, 99) < rank.get(
            current.locale.language_code, 99
        ):
            chosen[group] = item
    return list(chosen.values())


# --- Audience -----------------------------------------------------------------------------


def eligible_promotion_codes(*, dealer, at: datetime | None = None) -> frozenset[str]:
    """Codes of the live promotions this dealer can get now."""
    return frozenset(
        offer.code
        for offer in promo_selectors.dealer_promotions(dealer=dealer, at=at)
        if offer.eligible
    )


class _Codes:
    """Eligible codes, read once and only if a check needs them."""

    def __init__(self, dealer, at: datetime, known: Collection[str] | None):
        self.dealer, self.at, self._codes = dealer, at, known

    def __contains__(self, code) -> bool:
        if self._codes is None:
            self._codes = eligible_promotion_codes(dealer=self.dealer, at=self.at)
        return code in self._codes


def _in_window(start: datetime | None, end: datetime | None, at: datetime) -> bool:
    return (start is None or start <= at) and (end is None or at < end)


def _window_q(at: datetime) -> Q:
    return (Q(display_from__isnull=True) | Q(display_from__lte=at)) & (
        Q(display_until__isnull=True) | Q(display_until__gt=at)
    )


def can_preview(*, user) -> bool:
    """Staff and editors read every live page, whatever its audience."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    )


def page_visible(
    *,
    page: Page,
    dealer,
    at: datetime | None = None,
    eligible_codes: Collection[str] | None = None,
) -> bool:
    """Whether ``dealer`` may read ``page`` (live pages only; staff: ``can_preview``)."""
    at = at or timezone.now()
    page = page.specific
    if not page.live:
        return False
    codes = _Codes(dealer, at, eligible_codes)
    if isinstance(page, PromotionPage):
        return (
            page.promotion_id is not None
            and _in_window(page.display_from, page.display_until, at)
            and page.promotion.code in codes
        )
    if isinstance(page, NewsPage) and page.promotion_id is not None:
        return page.promotion.code in codes
    return True


def preferred_translation(*, page: Page, language: str | None) -> Page | None:
    """The live translation of ``page`` in ``language``, if it is not ``page``."""
    wanted = language_order(language)[0]
    if page.locale.language_code == wanted:
        return None
    return (
        page.get_translations()
        .live()
        .filter(locale__language_code=wanted)
        .specific()
        .first()
    )


# --- Promotion pages ----------------------------------------------------------------------


def _promotion_pages(at: datetime):
    return (
        PromotionPage.objects.live()
        .filter(_window_q(at), promotion__isnull=False)
        .select_related("locale", "hero_image", "promotion")
    )


def promotion_content(
    *,
    dealer,
    promotion_code: str,
    language: str | None,
    eligible_codes: Collection[str] | None = None,
    at: datetime | None = None,
) -> PromotionPage | None:
    """The live content page of a promotion for this dealer, in ``language`` or else
    the other language; None when there is none or the promotion is not for them.

    Pass ``eligible_codes`` when the caller has already read the dealer's offers.
    """
    at = at or timezone.now()
    if promotion_code not in _Codes(dealer, at, eligible_codes):
        return None
    pages = _pick_language(
        _promotion_pages(at).filter(promotion__code=promotion_code),
        language,
        key=lambda page: page.promotion_id,
    )
    return pages[0] if pages else None


def promotion_page_list(
    *, dealer, language: str | None, at: datetime | None = None
) -> list[PromotionPage]:
    """Promotion pages the dealer may read (all live ones for staff, ``dealer=None``),
    one per promotion, in their language when it exists."""
    at = at or timezone.now()
    pages = _promotion_pages(at).order_by("-first_published_at", "-pk")
    if dealer is not None:
        codes = eligible_promotion_codes(dealer=dealer, at=at)
        pages = pages.filter(promotion__code__in=codes)
    return _pick_language(pages, language, key=lambda page: page.promotion_id)


def promotion_page_url(
    *, promotion_code: str, language: str | None = None, absolute: bool = False
) -> str | None:
    """The address of a promotion's content page, for a push or the bot.

    Not scoped to a dealer: the page checks its reader when opened (login, audience).
    """
    pages = _pick_language(
        _promotion_pages(timezone.now()).filter(promotion__code=promotion_code),
        language,
        key=lambda page: page.promotion_id,
    )
    if not pages:
        return None
    url = pages[0].get_url()
    return _absolute(url) if absolute and url else url


@dataclass(frozen=True)
class PromotionFacts:
    """What a content page shows next to its text: the promotion's name and window."""

    code: str
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    detail_url: str

    @property
    def last_day(self) -> date | None:
        """The last day it runs (the window's end is exclusive), in local time."""
        if self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()


def promotion_facts(*, promotion) -> PromotionFacts | None:
    if promotion is None:
        return None
    version = promotion.live_version
    return PromotionFacts(
        code=promotion.code,
        name=version.display_name if version else promotion.code,
        starts_at=version.starts_at if version else None,
        ends_at=version.ends_at if version else None,
        detail_url=links.promotion_detail_url(promotion.code),
    )


@dataclass(frozen=True)
class Teaser:
    """A promotion page in a few words and one picture (pushes, the Telegram bot)."""

    title: str
    summary: str
    url: str
    image_url: str | None


def _absolute(url: str) -> str:
    return urljoin(settings.PORTAL_BASE_URL.rstrip("/") + "/", url.lstrip("/"))


def promotion_teaser(
    *, dealer, promotion_code: str, language: str | None
) -> Teaser | None:
    """Title, summary, absolute page address and a JPEG picture (800×450) of the
    promotion's content page for this dealer, or None."""
    page = promotion_content(
        dealer=dealer, promotion_code=promotion_code, language=language
    )
    if page is None:
        return None
    image_url = None
    if page.hero_image is not None:
        image_url = _absolute(
            page.hero_image.get_rendition("fill-800x450|format-jpeg").url
        )
    return Teaser(
        title=page.title,
        summary=page.summary,
        url=_absolute(page.get_url()),
        image_url=image_url,
    )


# --- News ---------------------------------------------------------------------------------


def news_list(
    *, dealer, language: str | None, limit: int | None = None, at=None
) -> list[NewsPage]:
    """News for this dealer (general news, and news about their promotions), newest
    first, in their language when it exists; all live news for staff (``dealer=None``)."""
    at = at or timezone.now()
    pages = (
        NewsPage.objects.live()
        .select_related("locale", "hero_image", "promotion")
        .order_by("-date", "-pk")
    )
    if dealer is not None:
        codes = eligible_promotion_codes(dealer=dealer, at=at)
        pages = pages.filter(Q(promotion__isnull=True) | Q(promotion__code__in=codes))
    pages = _pick_language(pages, language, key=lambda page: page.translation_key)
    return pages[:limit] if limit else pages


# --- Banners ------------------------------------------------------------------------------


def _live_translation(page: Page, language: str | None) -> Page | None:
    """The linked page in the reader's language (else another), live, specific."""
    pages = _pick_language(
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale"),
        language,
        key=lambda p: p.translation_key,
    )
    return pages[0].specific if pages else None


def banner_link_url(*, banner: Banner, language: str | None) -> str | None:
    """Where a banner leads: the promotion in the portal, or the linked page."""
    if banner.promotion_id is not None:
        return links.promotion_detail_url(banner.promotion.code)
    if banner.page_id is not None:
        target = _live_translation(banner.page, language)
        return target.get_url() if target is not None else None
    return None


def banner_list(
    *,
    dealer,
    language: str | None,
    at: datetime | None = None,
    eligible_codes: Collection[str] | None = None,
    limit: int = 5,
) -> list[Banner]:
    """Live banners this dealer may see now, one per translation (their language
    first), highest priority first; each carries ``link_url``."""
    at = at or timezone.now()
    banners = (
        Banner.objects.filter(live=True)
        .filter(_window_q(at))
        .exclude(image__isnull=True)
        .select_related("image", "promotion", "page", "locale")
        .order_by("-priority", "-pk")
    )
    codes = _Codes(dealer, at, eligible_codes)
    visible = []
    for banner in _pick_language(banners, language, key=lambda b: b.translation_key):
        if banner.promotion_id is not None:
            if banner.promotion.code not in codes:
                continue
            banner.link_url = links.promotion_detail_url(banner.promotion.code)
        elif banner.page_id is not None:
            target = _live_translation(banner.page, language)
            if target is None or not page_visible(
                page=target, dealer=dealer, at=at, eligible_codes=codes
            ):
                continue
            banner.link_url = target.get_url()
        else:
            continue
        visible.append(banner)
        if len(visible) >= limit:
            break
    return visible
