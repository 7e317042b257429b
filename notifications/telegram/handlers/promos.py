"""/promos: the promotions a dealer can get, each in plain words, with hints and
"order this"."""

from asgiref.sync import sync_to_async
from django.utils import formats, timezone

from catalog import selectors as catalog_selectors
from common.errors import NotFound
from common.i18n import pick_name
from notifications.telegram import keyboards, texts
from notifications.telegram.handlers.common import arg, handler, say
from orders import selectors as order_selectors
from orders import services as order_services
from promos import selectors as promo_selectors

PRODUCTS_SHOWN = 8


def _offers(dealer_user, *, with_hints: bool = False):
    lines = order_selectors.cart_lines(dealer_user=dealer_user) if with_hints else ()
    return promo_selectors.dealer_promotions(dealer=dealer_user.dealer, lines=lines)


def _offer(dealer_user, code: str, *, with_hints: bool = False):
    """One promotion the dealer can get now; NotFound for anything else (a forged
    or stale button never shows another org's promotion)."""
    for offer in _offers(dealer_user, with_hints=with_hints):
        if offer.code == code:
            return offer
    raise NotFound(texts.unknown_promotion(), code="unknown_promotion")


def _listing(dealer_user) -> tuple[str, list]:
    offers = _offers(dealer_user)
    if not offers:
        return texts.no_promotions(), []
    language = dealer_user.language
    parts, rows = [texts.promotions_title()], []
    for offer in offers:
        zh, en = promo_selectors.promotion_summary(
            version=offer.version, with_limits=False
        )
        ends = formats.date_format(timezone.localtime(offer.rule.ends_at), "Y-m-d")
        name = pick_name(offer.rule.name, offer.rule.name_en, language)
        parts.append(
            f"\n• {name}\n{texts.bilingual(zh, en, language)}\n"
            f"{texts.promotion_ends(ends)}"
        )
        data = f"p:{offer.code}"
        if keyboards.fits(data):
            rows.append([keyboards.button(name[:40], data)])
    return "\n".join(parts), rows


@handler()
async def promos(update, context, dealer_user):
    text, rows = await sync_to_async(_listing)(dealer_user)
    await say(update, text, keyboards.markup(rows))


@handler(callback=True)
async def promos_pressed(update, context, dealer_user):
    text, rows = await sync_to_async(_listing)(dealer_user)
    await say(update, text, keyboards.markup(rows), edit=True)


def _detail(dealer_user, code: str) -> tuple[str, list]:
    offer = _offer(dealer_user, code, with_hints=True)
    zh, en = promo_selectors.promotion_summary(version=offer.version)
    language = dealer_user.language
    name = pick_name(offer.rule.name, offer.rule.name_en, language)
    parts = [name, texts.bilingual(zh, en, language)]
    parts += [
        "💡 " + texts.bilingual(h.message_zh, h.message_en, language)
        for h in offer.hints
    ]
    rows = []
    if dealer_user.can_order and keyboards.fits(f"po:{code}"):
        rows.append([keyboards.button(texts.order_this(), f"po:{code}")])
    rows.append([keyboards.button(texts.back(), "pl")])
    return "\n".join(parts), rows


@handler(callback=True)
async def promotion_pressed(update, context, dealer_user):
    code = arg(update.callback_query.data)
    text, rows = await sync_to_async(_detail)(dealer_user, code)
    await say(update, text, keyboards.markup(rows), edit=True)


def _products(dealer_user, code: str) -> list:
    offer = _offer(dealer_user, code)
    dealer = dealer_user.dealer
    found = {}
    for sku in sorted(offer.rule.touched_skus):
        for product in catalog_selectors.product_list(dealer=dealer, search=sku):
            if product.sku == sku:
                found[sku] = product
    for category_code in sorted(offer.rule.touched_categories):
        try:
            category = catalog_selectors.category_get(code=category_code)
        except NotFound:
            continue
        for product in catalog_selectors.product_list(dealer=dealer, category=category):
            found.setdefault(product.sku, product)
    return list(found.values())[:PRODUCTS_SHOWN]


def _cart_earns(dealer_user, code: str) -> bool:
    view = order_services.cart_quote(dealer_user=dealer_user)
    return view.quote is not None and any(
        applied.promotion == code for applied in view.quote.priced.applied
    )


@handler(callback=True)
async def order_this_pressed(update, context, dealer_user):
    """ "Order this" (/promos) and "order now" (a pushed recommendation): the draft,
    pre-filled with what earns the promotion, with its live quote; when nothing can
    be pre-filled, the promotion's products to pick from."""
    from notifications.telegram.handlers import draft

    code = arg(update.callback_query.data)
    await sync_to_async(_offer)(dealer_user, code)
    added = await sync_to_async(order_services.cart_fill)(
        dealer_user=dealer_user, promotion=code, ensure=True
    )
    if added or await sync_to_async(_cart_earns)(dealer_user, code):
        await draft.show(update, dealer_user)
        return
    products = await sync_to_async(_products)(dealer_user, code)
    rows = keyboards.product_rows(products, dealer_user.language)
    rows.append([keyboards.button(texts.draft_title(), "d")])
    await say(update, texts.pick_products(), keyboards.markup(rows))
