"""/order: a draft order kept in the database, built from a promotion, the last
order, a search or typed "SKU quantity" lines, with the live quote, the gift
picker and an idempotent confirm."""

import re

from asgiref.sync import sync_to_async

from catalog import selectors as catalog_selectors
from common.errors import Forbidden, InvalidInput
from notifications.telegram import keyboards, selectors, services, texts
from notifications.telegram.handlers.common import arg, handler, say
from notifications.telegram.handlers.promos import product_rows
from promos.engine.rules import GiftReward

LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._/-]{0,63})\s*[x×*:, ]\s*(\d{1,6})\s*$")
SEARCH_SHOWN = 8
STEPS = {-10, -1, 1, 10}


def parse_lines(text: str) -> list[tuple[str, int]] | None:
    """``SKU quantity`` per line (``TEA-A-01 10``, ``TEA-A-01 x 10``); None when
    any line does not look like that."""
    lines = []
    for raw in (text or "").strip().splitlines():
        if not raw.strip():
            continue
        match = LINE.match(raw)
        if match is None:
            return None
        lines.append((match.group(1).upper(), int(match.group(2))))
    return lines or None


def _view(dealer_user) -> tuple[str, object]:
    """The draft with its live quote, gifts, hints and buttons."""
    language = dealer_user.language
    draft = services.draft_open(dealer_user=dealer_user)
    draft = selectors.draft_open_get(dealer_user=dealer_user)
    quote = services.draft_quote(dealer_user=dealer_user, draft=draft)
    nav = [
        keyboards.button(texts.promotions_button(), "pl"),
        keyboards.button(texts.reorder(), "dr"),
    ]
    if quote is None:
        return texts.draft_empty(), keyboards.markup([nav])
    products = quote.inputs.products

    def name(sku):
        product = products.get(sku)
        if product is None:
            return sku
        return texts.bilingual(product.name, product.name_en, language)

    parts = [texts.draft_title()]
    rows = []
    line_ids = {line.sku: line.pk for line in draft.lines.all()}
    for line in quote.priced.lines:
        parts.append(
            f"{line.sku} {name(line.sku)} × {line.quantity} = "
            f"{texts.money(line.net_amount)}"
        )
        pk = line_ids.get(line.sku)
        if pk is not None:
            rows.append(
                [
                    keyboards.button(f"−1 {line.sku}", f"dq:{pk}:-1"),
                    keyboards.button("+1", f"dq:{pk}:1"),
                    keyboards.button("+10", f"dq:{pk}:10"),
                ]
            )
    rules = {v.promotion.code: v for v in quote.inputs.versions}
    for gift in quote.priced.gifts:
        if gift.quantity > 0:
            parts.append("🎁 " + texts.gift_line(name(gift.sku), gift.quantity))
        if len(gift.options) > 1:
            version = rules.get(gift.promotion)
            label = version.promotion.code if version else gift.promotion
            parts.append(texts.gift_choose(label))
            row = []
            for option in gift.options:
                data = f"dg:{gift.promotion}:{option.index}"
                if keyboards.fits(data):
                    mark = "✓ " if option.index == gift.option_index else ""
                    row.append(
                        keyboards.button(
                            f"{mark}{name(option.sku)} × {option.quantity}", data
                        )
                    )
            rows.append(row)
    parts += [
        "💡 " + texts.bilingual(h.message_zh, h.message_en, language)
        for h in quote.priced.hints
    ]
    parts.append(
        texts.quote_totals(
            texts.money(quote.priced.subtotal),
            texts.money(quote.priced.discount_total),
            texts.money(quote.total),
        )
    )
    if not quote.credit_sufficient:
        parts.append(texts.credit_short())
    rows.append(nav)
    rows.append(
        [
            keyboards.button(texts.confirm(), f"dc:{draft.pk}"),
            keyboards.button(texts.discard(), "dx"),
        ]
    )
    return "\n".join(parts), keyboards.markup(rows)


async def show(update, dealer_user, *, edit: bool = False):
    text, markup = await sync_to_async(_view)(dealer_user)
    await say(update, text, markup, edit=edit)


@handler()
async def order(update, context, dealer_user):
    await show(update, dealer_user)


@handler(callback=True)
async def draft_pressed(update, context, dealer_user):
    await show(update, dealer_user, edit=True)


@handler(callback=True)
async def add_pressed(update, context, dealer_user):
    data = update.callback_query.data
    sku, step = arg(data, 1), arg(data, 2)
    if not step.lstrip("-").isdigit() or int(step) not in STEPS:
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    await sync_to_async(services.draft_set_lines)(
        dealer_user=dealer_user, lines=[(sku, int(step))], add=True
    )
    await show(update, dealer_user)
    return texts.added()


@handler(callback=True)
async def quantity_pressed(update, context, dealer_user):
    data = update.callback_query.data
    line, step = arg(data, 1), arg(data, 2)
    if not line.isdigit() or not step.lstrip("-").isdigit() or int(step) not in STEPS:
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    await sync_to_async(services.draft_line_adjust)(
        dealer_user=dealer_user, line_id=int(line), delta=int(step)
    )
    await show(update, dealer_user, edit=True)


def _gift_valid(dealer_user, promotion: str, option: int) -> bool:
    """Only a live gift promotion the dealer can get, and one of its options."""
    from promos import selectors as promo_selectors

    for offer in promo_selectors.dealer_promotions(dealer=dealer_user.dealer):
        if offer.code == promotion:
            reward = promo_selectors.rule_of(offer.version).reward
            return isinstance(reward, GiftReward) and 0 <= option < len(reward.options)
    return False


@handler(callback=True)
async def gift_pressed(update, context, dealer_user):
    data = update.callback_query.data
    promotion, option = arg(data, 1), arg(data, 2)
    if not option.isdigit() or not await sync_to_async(_gift_valid)(
        dealer_user, promotion, int(option)
    ):
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    await sync_to_async(services.draft_set_gift)(
        dealer_user=dealer_user, promotion=promotion, option=int(option)
    )
    await show(update, dealer_user, edit=True)


@handler(callback=True)
async def confirm_pressed(update, context, dealer_user):
    draft_id = arg(update.callback_query.data)
    if not draft_id.isdigit():
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    placed, created = await sync_to_async(services.draft_confirm)(
        dealer_user=dealer_user, draft_id=int(draft_id)
    )
    if created:
        text = texts.placed(placed.number, texts.money(placed.total))
    else:
        text = texts.already_placed(placed.number)
    await say(update, text, edit=created)
    return text


@handler(callback=True)
async def discard_pressed(update, context, dealer_user):
    await sync_to_async(services.draft_discard)(dealer_user=dealer_user)
    await say(update, texts.discarded(), edit=True)


@handler(callback=True)
async def reorder_pressed(update, context, dealer_user):
    await sync_to_async(services.draft_reorder)(dealer_user=dealer_user)
    await show(update, dealer_user, edit=True)


def _search(dealer_user, text: str) -> list:
    return list(
        catalog_selectors.product_list(dealer=dealer_user.dealer, search=text)[
            :SEARCH_SHOWN
        ]
    )


@handler()
async def text(update, context, dealer_user):
    """Plain text: ``SKU quantity`` lines go into the draft; anything else is a
    product search."""
    message = (update.effective_message.text or "").strip()
    lines = parse_lines(message)
    if lines is not None:
        if not dealer_user.can_order:
            raise Forbidden(texts.cannot_order(), code="cannot_order")
        await sync_to_async(services.draft_set_lines)(
            dealer_user=dealer_user, lines=lines, add=True
        )
        await show(update, dealer_user)
        return
    products = await sync_to_async(_search)(dealer_user, message[:60])
    if not products:
        await say(update, texts.nothing_found())
        return
    rows = product_rows(products, dealer_user.language) if dealer_user.can_order else []
    listing = "\n".join(
        f"{p.sku} {texts.bilingual(p.name, p.name_en, dealer_user.language)} "
        f"{texts.money(catalog_selectors.dealer_price(p))}"
        for p in products
    )
    await say(update, texts.search_results() + "\n" + listing, keyboards.markup(rows))
