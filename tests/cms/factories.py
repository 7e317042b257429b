"""Content for tests: promotions through promos.services, pages and banners through
Wagtail's own API (publishing directly unless a test drives the workflow)."""

from django.contrib.auth.models import Group
from wagtail.models import Locale

from cms.demo import demo_image
from cms.models import (
    Banner,
    NewsIndexPage,
    NewsPage,
    PromotionIndexPage,
    PromotionPage,
)
from promos import services as promo_services
from promos.models import Promotion
from tests.dealers.factories import UserFactory
from tests.world import gift_promotion

PASSWORD = "pass-word-1"


def approved_promotion(**overrides) -> Promotion:
    """A promotion saved, submitted and approved by the integration (``by=None``)."""
    data = gift_promotion(**overrides)
    promo_services.promotion_save(data=data, by=None)
    promo_services.promotion_submit(code=data["code"], by=None)
    promo_services.promotion_approve(code=data["code"], by=None)
    return Promotion.objects.select_related("live_version").get(code=data["code"])


def staff_user(username: str, *group_names: str):
    """A staff login in the given groups (password ``PASSWORD``)."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def locale(language: str) -> Locale:
    return Locale.objects.get(language_code=language)


def promotion_index(language: str = "zh-hans") -> PromotionIndexPage:
    return PromotionIndexPage.objects.get(locale__language_code=language)


def news_index(language: str = "zh-hans") -> NewsIndexPage:
    return NewsIndexPage.objects.get(locale__language_code=language)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def promotion_page(
    promotion: Promotion,
    *,
    title: str = "新品茶A 上市",
    summary: str = "买十赠一，限时。",
    body=(),
    slug: str | None = None,
    live: bool = True,
    image=None,
    **fields,
) -> PromotionPage:
    """A zh-hans promotion page under the promotion index, published unless not ``live``."""
    page = PromotionPage(
        title=title,
        slug=slug or promotion.code.lower(),
        promotion=promotion,
        summary=summary,
        body=list(body),
        hero_image=image,
        live=False,
        **fields,
    )
    promotion_index("zh-hans").add_child(instance=page)
    if live:
        publish(page)
    else:
        page.save_revision()
    return page


def translate(page, *, title: str, summary: str, slug: str | None = None, live=True):
    """The page's en translation (Wagtail's copy for translation), edited."""
    english = page.copy_for_translation(locale("en"))
    english.title = title
    english.summary = summary
    if slug:
        english.slug = slug
    english.save()
    if live:
        publish(english)
    return english


def news_page(*, title="公告", summary="通知", promotion=None, language="zh-hans"):
    page = NewsPage(
        title=title,
        slug=title.lower().replace(" ", "-") or "news",
        summary=summary,
        promotion=promotion,
        live=False,
    )
    news_index(language).add_child(instance=page)
    return publish(page)


def banner(
    *, title="新品上市", promotion=None, page=None, language="zh-hans", **fields
):
    """A published banner with a drawn picture."""
    item = Banner(
        title=title,
        image=demo_image(title=title, label=title),
        promotion=promotion,
        page=page,
        locale=locale(language),
        live=False,
        **fields,
    )
    item.save()
    item.save_revision().publish()
    item.refresh_from_db()
    return item
