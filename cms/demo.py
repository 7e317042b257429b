"""Demo content for ``seed_demo``: a content page per promotion in both languages,
a banner for each, and a welcome news item. Pictures are drawn with Pillow.

Seeding publishes directly (no review): it stands in for content already approved.
"""

import hashlib
import io
from collections.abc import Iterable

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale

from catalog.models import Product
from cms.models import (
    Banner,
    NewsIndexPage,
    NewsPage,
    PromotionIndexPage,
    PromotionPage,
)
from promos import selectors as promo_selectors
from promos.models import Promotion

DEMO_COLLECTION = "Demo content"
PICTURE_SIZE = (1200, 675)


def demo_picture_bytes(*, label: str, size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    """A PNG drawn from ``label``: a two-colour gradient, circles and the label."""
    digest = hashlib.md5(label.encode(), usedforsecurity=False).digest()
    start = (digest[0], digest[1] // 2, digest[2] // 2 + 60)
    end = (255 - digest[3] // 3, digest[4] // 2 + 100, digest[5] // 3)
    width, height = size
    picture = PillowImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        share = x / max(width - 1, 1)
        colour = tuple(
            round(a + (b - a) * share) for a, b in zip(start, end, strict=True)
        )
        draw.line([(x, 0), (x, height)], fill=colour)
    for index in range(4):
        radius = height // (3 + index)
        cx = digest[6 + index] * width // 255
        cy = digest[10 + index] * height // 255
        draw.ellipse(
            [cx - radius, cy - radius, cx + radius, cy + radius],
            outline=(255, 255, 255),
            width=6,
        )
    font = ImageFont.load_default(size=height // 8)
    draw.text((width // 12, height * 2 // 3), label, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_image(*, title: str, label: str, collection: Collection | None = None):
    """A Wagtail image of ``demo_picture_bytes(label=…)``."""
    image_model = get_image_model()
    image = image_model(
        title=title,
        file=ImageFile(
            io.BytesIO(demo_picture_bytes(label=label)),
            name=f"{slugify(label) or 'demo'}.png",
        ),
    )
    if collection is not None:
        image.collection = collection
    image.save()
    return image


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=DEMO_COLLECTION).first()
    return existing or root.add_child(name=DEMO_COLLECTION)


def _index(model, language: str):
    index = model.objects.filter(locale__language_code=language).first()
    if index is None:
        raise RuntimeError(
            f"No {model.__name__} in {language}: run `manage.py migrate` first."
        )
    return index


def _products_of(rule, limit: int = 2) -> list[Product]:
    """A few sellable products the promotion is about, for product cards."""
    products = list(
        Product.objects.filter(
            sku__in=rule.touched_skus, active=True, gift_only=False
        ).order_by("sku")[:limit]
    )
    if len(products) < limit and rule.touched_categories:
        from catalog.models import Category

        paths = Category.objects.filter(code__in=rule.touched_categories).values_list(
            "path", flat=True
        )
        for path in paths:
            products += list(
                Product.objects.filter(
                    category__path__startswith=path, active=True, gift_only=False
                )
                .exclude(pk__in=[p.pk for p in products])
                .order_by("sku")[: limit - len(products)]
            )
            if len(products) >= limit:
                break
    return products


def _body(*, text: str, products: list[Product], cta: str) -> list[tuple]:
    body = [("text", f"<p>{text}</p>")]
    body += [("product", {"product": product, "note": ""}) for product in products]
    body.append(
        (
            "call_to_action",
            {
                "label": cta,
                "product": products[0] if products else None,
                "quantity": 1,
            },
        )
    )
    return body


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _promotion_page(promotion: Promotion, image, en: Locale) -> PromotionPage:
    version = promotion.live_version
    zh_summary, en_summary = promo_selectors.promotion_summary(
        version=version, with_limits=False
    )
    rule = promo_selectors.rule_of(version)
    products = _products_of(rule)
    page = PromotionPage(
        title=version.name,
        slug=slugify(promotion.code) or f"promotion-{promotion.pk}",
        promotion=promotion,
        summary=zh_summary[:300],
        hero_image=image,
        body=_body(
            text=f"{zh_summary} 活动期间下单即可享受，名额有限，先到先得。",
            products=products,
            cta="立即下单",
        ),
        live=False,
    )
    _index(PromotionIndexPage, "zh-hans").add_child(instance=page)
    _publish(page)
    english = page.copy_for_translation(en)
    english.title = (version.name_en or f"{promotion.code}: {en_summary}")[:255]
    english.summary = en_summary[:300]
    english.body = _body(
        text=f"{en_summary} Order while it runs: stocks are limited.",
        products=products,
        cta="Order now",
    )
    english.save()
    _publish(english)
    return page


def _banner(promotion: Promotion, page: PromotionPage, image, en: Locale) -> Banner:
    banner = Banner(title=page.title[:80], image=image, promotion=promotion, live=False)
    banner.save()
    banner.save_revision().publish()
    english = banner.copy_for_translation(en)
    english.title = page.get_translation(en).title[:80]
    english.live = False
    english.save()
    english.save_revision().publish()
    return banner


def _news(image, en: Locale) -> NewsPage:
    page = NewsPage(
        title="经销商门户上线了",
        slug="welcome",
        summary="在手机上查看促销、下单、跟踪发货和付款。",
        hero_image=image,
        body=[("text", "<p>欢迎使用经销商门户。本月促销请查看“促销”页面。</p>")],
        live=False,
    )
    _index(NewsIndexPage, "zh-hans").add_child(instance=page)
    _publish(page)
    english = page.copy_for_translation(en)
    english.title = "The dealer portal is live"
    english.summary = (
        "See promotions, order, follow shipments and payments on your phone."
    )
    english.body = [
        (
            "text",
            "<p>Welcome to the dealer portal. This month's promotions are under "
            "“Promotions”.</p>",
        )
    ]
    english.save()
    _publish(english)
    return page


@transaction.atomic
def seed_content(
    *, promotion_codes: Iterable[str], with_news: bool = True
) -> list[PromotionPage]:
    """Create and publish demo content for these promotions (those with a live
    version and no content page yet): a page in zh-hans and its en translation with a
    drawn hero picture, product cards and a call to action, and a banner in both
    languages; plus one welcome news item. Returns the zh-hans pages created."""
    en = Locale.objects.get(language_code="en")
    collection = _collection()
    created = []
    promotions = Promotion.objects.filter(
        code__in=list(promotion_codes), live_version__isnull=False
    ).select_related("live_version")
    for promotion in promotions.order_by("code"):
        if PromotionPage.objects.filter(promotion=promotion).exists():
            continue
        image = demo_image(
            title=f"{promotion.code} hero", label=promotion.code, collection=collection
        )
        page = _promotion_page(promotion, image, en)
        _banner(promotion, page, image, en)
        created.append(page)
    if with_news and not NewsPage.objects.filter(slug="welcome").exists():
        _news(
            demo_image(title="Welcome", label="Dealer portal", collection=collection),
            en,
        )
    return created


@transaction.atomic
def flush_content() -> None:
    """Remove content pages, banners and demo pictures (the trees and indexes stay)."""
    Banner.objects.all().delete()
    for model in (PromotionPage, NewsPage):
        for page in model.objects.order_by("-depth"):
            page.delete()
    collection = Collection.objects.filter(name=DEMO_COLLECTION).first()
    if collection is not None:
        get_image_model().objects.filter(collection=collection).delete()
