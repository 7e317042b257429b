"""/order: the dealer user's cart (the same cart as on the portal, through the same
``orders.services`` cart service), built from a promotion, the last order, a search
or typed "SKU quantity" lines, with the live quote, the gift picker and an
idempotent confirm."""

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from common.errors import Forbidden, InvalidInput, NotFound
from notifications.telegram import keyboards, texts
from notifications.telegram.handlers.common import arg, handler, say
from orders import selectors as order_selectors
from orders import services as order_services
from orders.models import Order

SEARCH_SHOWN = 8
STEPS = {-10, -1, 1, 10}


def _view(dealer_user, notes: tuple[str, ...] = ()) -> tuple[str, object]:
    """The cart with its live quote, gifts, hints and buttons."""
    language = dealer_user.language
    view = order_services.cart_quote(dealer_user=dealer_user)
    nav = [
        keyboards.button(texts.promotions_button(), "pl"),
        keyboards.button(texts.reorder(), "dr"),
    ]
    gone = [texts.unavailable_line(item.product.sku) for item in view.unavailable]
    quote = view.quote
    if quote is None:
        return "\n".join([*notes, *gone, texts.draft_empty()]), keyboards.markup([nav])
    products = quote.inputs.products

    def name(sku):
        product = products.get(sku)
        if product is None:
            return sku
        return texts.bilingual(product.name, product.name_en, language)

    parts = [*notes, texts.draft_title()]
    rows = []
    for line in quote.priced.lines:
        parts.append(
            f"{line.sku} {name(line.sku)} × {line.quantity} = "
            f"{texts.money(line.net_amount)}"
        )
        if keyboards.fits(f"dq:{line.sku}:-10"):
            rows.append(
                [
                    keyboards.button(f"−1 {line.sku}", f"dq:{line.sku}:-1"),
                    keyboards.button("+1", f"dq:{line.sku}:1"),
                    keyboards.button("+10", f"dq:{line.sku}:10"),
                ]
            )
    parts += gone
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
    confirm = (
        f"dc:{view.cart.pk}:{order_services.cart_version(view.cart)}:{quote.total:.2f}"
    )
    rows.append(
        [
            keyboards.button(texts.confirm(), confirm),
            keyboards.button(texts.discard(), "dx"),
        ]
    )
    return "\n".join(parts), keyboards.markup(rows)


async def show(update, dealer_user, *, edit: bool = False, notes=()):
    text, markup = await sync_to_async(_view)(dealer_user, tuple(notes))
    await say(update, text, markup, edit=edit)


def _require_ordering(dealer_user) -> None:
    if not dealer_user.can_order:
        raise Forbidden(texts.cannot_order(), code="cannot_order")


@handler()
async def order(update, context, dealer_user):
    _require_ordering(dealer_user)
    await show(update, dealer_user)


@handler(callback=True)
async def draft_pressed(update, context, dealer_user):
    await show(update, dealer_user, edit=True)


def _step(data: str) -> tuple[str, int]:
    sku, step = arg(data, 1), arg(data, 2)
    if not sku or not step.lstrip("-").isdigit() or int(step) not in STEPS:
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    return sku, int(step)


@handler(callback=True)
async def add_pressed(update, context, dealer_user):
    sku, step = _step(update.callback_query.data)
    await sync_to_async(order_services.cart_adjust)(
        dealer_user=dealer_user, sku=sku, delta=step
    )
    await show(update, dealer_user)
    return texts.added()


@handler(callback=True)
async def quantity_pressed(update, context, dealer_user):
    sku, step = _step(update.callback_query.data)
    await sync_to_async(order_services.cart_adjust)(
        dealer_user=dealer_user, sku=sku, delta=step
    )
    await show(update, dealer_user, edit=True)


@handler(callback=True)
async def gift_pressed(update, context, dealer_user):
    data = update.callback_query.data
    promotion, option = arg(data, 1), arg(data, 2)
    if not option.isdigit():
        raise InvalidInput(texts.stale_button(), code="bad_callback")
    await sync_to_async(order_services.cart_set_gift_choice)(
        dealer_user=dealer_user, promotion=promotion, option=int(option)
    )
    await show(update, dealer_user, edit=True)


def _confirm(dealer_user, data: str) -> tuple[Order, bool]:
    cart_id, version, total = arg(data, 1), arg(data, 2), arg(data, 3)
    cart = order_selectors.cart_get(dealer_user=dealer_user)
    if cart is None or not cart_id.isdigit() or int(cart_id) != cart.pk:
        raise NotFound(_("That draft is not yours or is gone."), code="unknown_draft")
    placement = order_services.cart_checkout(
        dealer_user=dealer_user,
        idempotency_key=f"tg-{cart.pk}-{version}",
        expected_total=total or None,
        expected_version=version,
        source=Order.Source.BOT,
    )
    return placement.order, placement.created


@handler(callback=True)
async def confirm_pressed(update, context, dealer_user):
    placed, created = await sync_to_async(_confirm)(
        dealer_user, update.callback_query.data
    )
    if created:
        text = texts.placed(placed.number, texts.money(placed.total))
    else:
        text = texts.already_placed(placed.number)
    await say(update, text, edit=created)
    return text


@handler(callback=True)
async def discard_pressed(update, context, dealer_user):
    await sync_to_async(order_services.cart_clear)(dealer_user=dealer_user)
    await say(update, texts.discarded(), edit=True)


def _reorder(dealer_user) -> tuple[str, ...]:
    _require_ordering(dealer_user)
    last = order_selectors.order_list(dealer=dealer_user.dealer).first()
    if last is None:
        raise NotFound(_("There is no earlier order to repeat."), code="no_order")
    result = order_services.cart_reorder(dealer_user=dealer_user, number=last.number)
    return tuple(texts.unavailable_line(sku) for sku, _n in result.unavailable)


@handler(callback=True)
async def reorder_pressed(update, context, dealer_user):
    notes = await sync_to_async(_reorder)(dealer_user)
    await show(update, dealer_user, edit=True, notes=notes)


def _search(dealer_user, text: str) -> list:
    return list(
        catalog_selectors.product_list(dealer=dealer_user.dealer, search=text)[
            :SEARCH_SHOWN
        ]
    )


@handler()
async def text(update, context, dealer_user):
    """Plain text: "SKU quantity" lines (full-width too) go into the cart, all or
    nothing, each bad line named; anything else is a product search."""
    message = (update.effective_message.text or "").strip()
    if order_services.looks_like_lines(message):
        _require_ordering(dealer_user)
        result = await sync_to_async(order_services.cart_paste)(
            dealer_user=dealer_user, text=message
        )
        if not result.ok:
            await say(update, "\n".join(e.message for e in result.errors))
            return
        await show(update, dealer_user)
        return
    products = await sync_to_async(_search)(dealer_user, message[:60])
    if not products:
        await say(update, texts.nothing_found())
        return
    rows = (
        keyboards.product_rows(products, dealer_user.language)
        if dealer_user.can_order
        else []
    )
    listing = "\n".join(
        f"{p.sku} {texts.bilingual(p.name, p.name_en, dealer_user.language)} "
        f"{texts.money(catalog_selectors.dealer_price(p))}"
        for p in products
    )
    await say(update, texts.search_results() + "\n" + listing, keyboards.markup(rows))
