"""The dealer user's cart. Quantities only: prices and promotions come from the quote.

Each dealer user has one cart, kept in the database so it follows them across devices.
The cart never stores a price: every read re-quotes it through ``order_quote``, the same
engine call the API and the bot make, so the three can never disagree.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import Product
from common import money
from common.errors import Forbidden, InvalidInput
from orders import selectors
from orders.models import AccountMovement, Cart, CartItem, Order
from orders.services.placement import (
    Placement,
    Quote,
    QuoteChanged,
    order_place,
    order_quote,
)
from promos import selectors as promo_selectors
from promos.engine.rules import GiftReward

ZERO = Decimal("0.00")
MAX_LINE_QUANTITY = promo_selectors.MAX_LINE_QUANTITY
MAX_PASTE_LINES = 200


def _require_ordering(dealer_user) -> None:
    if not dealer_user.can_order:
        raise Forbidden(_("Your role can browse but not order."), code="cannot_order")


def _quantity(value, *, minimum: int = 1) -> int:
    """A whole number of units a person could mean, else a clear error."""
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Enter a whole number of units."), code="invalid_quantity"
        ) from None
    if quantity < minimum or quantity > MAX_LINE_QUANTITY:
        raise InvalidInput(
            _("Enter a quantity from %(low)s to %(high)s.")
            % {"low": minimum, "high": MAX_LINE_QUANTITY},
            code="invalid_quantity",
        )
    return quantity


def _orderable(sku: str, *, addon: bool = False) -> Product:
    """The product to put in a cart. A gift-only product only with ``addon`` (the
    caller then checks that a promotion earns it: ``_addons_earned``)."""
    product = Product.objects.filter(sku=str(sku).strip()).first()
    if product is None or not product.active:
        raise InvalidInput(
            _("There is no product %(sku)s to order.") % {"sku": sku},
            code="unknown_product",
        )
    if product.gift_only and not addon:
        raise InvalidInput(
            _("%(sku)s is a gift and cannot be ordered.") % {"sku": sku},
            code="gift_only",
        )
    return product


def _reset(cart: Cart) -> None:
    cart.gift_choices = {}
    cart.use_expense_credit = ZERO
    cart.note = ""


@transaction.atomic
def cart_get_or_create(*, dealer_user) -> Cart:
    """The cart of a dealer user (one each). A login moved to another dealer starts
    empty: a cart never carries one dealer's lines into another dealer's order."""
    cart, _created = Cart.objects.get_or_create(
        user=dealer_user.user, defaults={"dealer": dealer_user.dealer}
    )
    if cart.dealer_id != dealer_user.dealer_id:
        cart.items.all().delete()
        cart.dealer = dealer_user.dealer
        _reset(cart)
        cart.save()
    return cart


def _locked_cart(dealer_user) -> Cart:
    """The user's cart, locked; one query when it exists and is this dealer's."""
    cart = Cart.objects.select_for_update().filter(user=dealer_user.user).first()
    if cart is None or cart.dealer_id != dealer_user.dealer_id:
        cart = cart_get_or_create(dealer_user=dealer_user)
        cart = Cart.objects.select_for_update().get(pk=cart.pk)
    return cart


@transaction.atomic
def cart_add(*, dealer_user, sku: str, quantity: int | str = 1) -> CartItem:
    """Add units of a product (to what the cart already holds)."""
    _require_ordering(dealer_user)
    quantity = _quantity(quantity)
    product = _orderable(sku, addon=True)
    cart = _locked_cart(dealer_user)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    if item is None:
        item = CartItem.objects.create(cart=cart, product=product, quantity=quantity)
    else:
        item.quantity = _quantity(item.quantity + quantity)
        item.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    if product.gift_only:
        _addons_earned(cart, product)
    return item


def _addons_earned(cart: Cart, product: Product) -> None:
    """A gift-only product in the cart is an add-on a promotion must earn (up to the
    units it earns): quote the cart as it now is; the refusal rolls the change back."""
    lines, _unavailable = _split(list(cart.items.select_related("product")))
    try:
        order_quote(dealer=cart.dealer, lines=lines, gift_choices=cart.gift_choices)
    except InvalidInput as refused:
        if refused.code == "invalid_product" and any(
            error.get("sku") == product.sku for error in refused.errors
        ):
            mine = next(e for e in refused.errors if e.get("sku") == product.sku)
            raise InvalidInput(
                mine["message"], code="gift_only", errors=refused.errors
            ) from None
        raise


@transaction.atomic
def cart_set_quantity(*, dealer_user, sku: str, quantity: int | str) -> CartItem | None:
    """Set a line's quantity; 0 removes the line (and returns None)."""
    _require_ordering(dealer_user)
    quantity = _quantity(quantity, minimum=0)
    if quantity == 0:
        cart_remove(dealer_user=dealer_user, sku=sku)
        return None
    product = _orderable(sku, addon=True)
    cart = _locked_cart(dealer_user)
    item, created = CartItem.objects.get_or_create(
        cart=cart, product=product, defaults={"quantity": quantity}
    )
    if not created and item.quantity == quantity:
        return item  # nothing changed: the cart's version and cached pages stand
    if not created:
        item.quantity = quantity
        item.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    if product.gift_only:
        _addons_earned(cart, product)
    return item


@transaction.atomic
def cart_adjust(*, dealer_user, sku: str, delta: int) -> CartItem | None:
    """Step a line up or down by ``delta`` units (the − / + buttons of every channel);
    down to 0 or below removes it (and returns None)."""
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    item = CartItem.objects.filter(cart=cart, product__sku=str(sku).strip()).first()
    target = (item.quantity if item else 0) + int(delta)
    if target <= 0:
        if item is not None:
            item.delete()
            cart.save(update_fields=["updated_at"])
        return None
    return cart_set_quantity(dealer_user=dealer_user, sku=sku, quantity=target)


@transaction.atomic
def cart_remove(*, dealer_user, sku: str) -> None:
    """Take a product out of the cart (nothing happens when it is not there)."""
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    CartItem.objects.filter(cart=cart, product__sku=sku).delete()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_clear(*, dealer_user) -> None:
    """Empty the cart and forget its gift choices, expense credit and note."""
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    cart.items.all().delete()
    _reset(cart)
    cart.save()


@transaction.atomic
def cart_set_gift_choice(*, dealer_user, promotion: str, option: int | None) -> Cart:
    """Pick a gift option of a live gift promotion the dealer can get, or decline its
    gift (``None``). A promotion the dealer cannot get (another org's, another tier's)
    is refused as not running: a forged choice learns nothing of it."""
    _require_ordering(dealer_user)
    promo_selectors.promotion_get(code=promotion)  # unknown: NotFound
    offers = promo_selectors.dealer_promotions(dealer=dealer_user.dealer)
    found = next((offer for offer in offers if offer.code == promotion), None)
    version = found.version if found is not None else None
    if version is None:
        raise InvalidInput(
            _("This promotion is not running."), code="promotion_not_live"
        )
    reward = promo_selectors.rule_of(version).reward
    if not isinstance(reward, GiftReward):
        raise InvalidInput(
            _("This promotion gives no gift to choose."), code="not_a_gift"
        )
    if option is not None and not 0 <= option < len(reward.options):
        raise InvalidInput(
            _("That gift option does not exist."), code="invalid_gift_choice"
        )
    cart = _locked_cart(dealer_user)
    cart.gift_choices = {**cart.gift_choices, found.code: option}
    cart.save(update_fields=["gift_choices", "updated_at"])
    return cart


@transaction.atomic
def cart_set_expense_credit(*, dealer_user, amount: Decimal | str) -> Cart:
    """Use some of the dealer's expense credit on this order (0 to stop using it)."""
    _require_ordering(dealer_user)
    try:
        value = Decimal(str(amount).strip() or "0")
    except ArithmeticError:
        value = Decimal("-1")
    if not value.is_finite() or value < 0:
        raise InvalidInput(_("Enter an amount of 0 or more."), code="invalid_amount")
    value = money.quantize(value)
    balance = selectors.account_balance(
        dealer=dealer_user.dealer, account=AccountMovement.Account.EXPENSE_CREDIT
    )
    if value > balance:
        raise InvalidInput(
            _("You have %(balance)s of expense credit.") % {"balance": balance},
            code="expense_credit_insufficient",
        )
    cart = _locked_cart(dealer_user)
    cart.use_expense_credit = value
    cart.save(update_fields=["use_expense_credit", "updated_at"])
    return cart


# --- Quick order and reorder ------------------------------------------------------------

_PASTE_LINE = re.compile(
    r"^(?P<sku>[^\s,;:×*]+?)"
    r"(?:\s*[×*]\s*|\s+[xX]\s+|[\s,;:]+)"
    r"(?P<quantity>-?\d+)\s*(?P<unit>[^\d\s]{0,4})$"
)


@dataclass(frozen=True)
class PasteError:
    """A pasted line that could not be read or ordered, numbered from 1."""

    line: int
    text: str
    message: str


@dataclass(frozen=True)
class PasteResult:
    added: list[tuple[str, int]] = field(default_factory=list)
    errors: list[PasteError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def looks_like_lines(text: str) -> bool:
    """Whether typed text is meant as "SKU quantity" lines (full-width too) rather
    than, say, a product search: at least one line reads that way."""
    rows, _errors = _parse_paste(text)
    return bool(rows)


def _parse_paste(text: str) -> tuple[list[tuple[int, str, str, int]], list[PasteError]]:
    """Lines of "SKU quantity" (tab, comma, ×, "x" also separate; full-width accepted)."""
    rows, errors = [], []
    lines = unicodedata.normalize("NFKC", text or "").splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip().replace("，", ",")
        if not stripped or stripped.startswith("#"):
            continue
        match = _PASTE_LINE.match(stripped)
        if match is None:
            message = (
                _("Add a quantity after the SKU, like “%(sku)s 10”.")
                % {"sku": stripped}
                if " " not in stripped
                else _("Write one product a line: the SKU, a space, the quantity.")
            )
            errors.append(PasteError(number, stripped, message))
            continue
        quantity = int(match["quantity"])
        if quantity < 1 or quantity > MAX_LINE_QUANTITY:
            errors.append(
                PasteError(
                    number,
                    stripped,
                    _("The quantity must be from 1 to %(high)s.")
                    % {"high": MAX_LINE_QUANTITY},
                )
            )
            continue
        rows.append((number, stripped, match["sku"], quantity))
    return rows, errors


def _add_many(cart: Cart, wanted: Mapping[Product, int]) -> None:
    existing = {item.product_id: item for item in cart.items.all()}
    new, changed = [], []
    for product, quantity in wanted.items():
        item = existing.get(product.pk)
        if item is None:
            new.append(CartItem(cart=cart, product=product, quantity=quantity))
        else:
            item.quantity = min(item.quantity + quantity, MAX_LINE_QUANTITY)
            changed.append(item)
    CartItem.objects.bulk_create(new)
    CartItem.objects.bulk_update(changed, ["quantity"])
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_fill(*, dealer_user, promotion: str, ensure: bool = False) -> dict[str, int]:
    """The "order now" of a pushed recommendation: add to the cart what earns
    ``promotion`` once more, or with ``ensure`` only when the cart does not earn it
    yet (``promos.selectors.promotion_fill``). Answers what was added, by SKU;
    empty when nothing is needed or nothing the dealer can buy earns it."""
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    items = cart.items.select_related("product")
    lines = [(item.product.sku, item.quantity) for item in items]
    added = promo_selectors.promotion_fill(
        dealer=dealer_user.dealer, code=promotion, lines=lines, ensure=ensure
    )
    if added:
        products = {sku: _orderable(sku) for sku in added}
        _add_many(cart, {products[sku]: quantity for sku, quantity in added.items()})
    return added


@transaction.atomic
def cart_take_back(*, dealer_user, lines: Mapping[str, int]) -> dict[str, int]:
    """Undo an "order now": take those units back out of the cart (never more than it
    holds; a line at 0 goes). Answers what was taken, by SKU."""
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    items = {item.product.sku: item for item in cart.items.select_related("product")}
    taken: dict[str, int] = {}
    for sku, quantity in lines.items():
        item = items.get(sku)
        take = min(item.quantity, _quantity(quantity)) if item else 0
        if not take:
            continue
        taken[sku] = take
        if take == item.quantity:
            item.delete()
        else:
            item.quantity -= take
            item.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return taken


@transaction.atomic
def cart_paste(*, dealer_user, text: str) -> PasteResult:
    """Quick order: add pasted "SKU quantity" lines to the cart.

    All or nothing: when any line is unreadable, unknown or not for sale, nothing is
    added and every such line is reported, so the dealer fixes the list and sends it
    again. SKUs match without regard to case; repeated SKUs add up.
    """
    _require_ordering(dealer_user)
    rows, errors = _parse_paste(text)
    if len(rows) + len(errors) > MAX_PASTE_LINES:
        return PasteResult(
            errors=[
                PasteError(
                    MAX_PASTE_LINES + 1,
                    "",
                    _("Paste at most %(n)s lines at a time.") % {"n": MAX_PASTE_LINES},
                )
            ]
        )
    candidates = {sku for _n, _t, sku, _q in rows} | {
        sku.upper() for _n, _t, sku, _q in rows
    }
    products = {p.sku.upper(): p for p in Product.objects.filter(sku__in=candidates)}
    wanted: dict[Product, int] = {}
    for number, text_line, sku, quantity in rows:
        product = products.get(sku.upper())
        if product is None or not product.active:
            message = _("There is no product %(sku)s to order.") % {"sku": sku}
        elif product.gift_only:
            message = _("%(sku)s is a gift and cannot be ordered.") % {"sku": sku}
        else:
            wanted[product] = wanted.get(product, 0) + quantity
            continue
        errors.append(PasteError(number, text_line, message))
    if not errors and not wanted:
        errors.append(PasteError(1, "", _("Paste at least one line.")))
    if errors:
        return PasteResult(errors=sorted(errors, key=lambda e: e.line))
    cart = _locked_cart(dealer_user)
    _add_many(cart, wanted)
    return PasteResult(added=[(p.sku, q) for p, q in wanted.items()])


@dataclass(frozen=True)
class ReorderResult:
    """What a reorder put in the cart, and what it could not."""

    order: Order
    added: list[tuple[str, int]] = field(default_factory=list)
    unavailable: list[tuple[str, int]] = field(default_factory=list)
    out_of_stock: list[str] = field(default_factory=list)


@transaction.atomic
def cart_reorder(*, dealer_user, number: str) -> ReorderResult:
    """Copy a past order's goods (not its gifts) into the cart, to be re-priced now.

    Products no longer sold are left out and reported; products out of stock are added
    and reported. Another dealer's order is ``NotFound``.
    """
    _require_ordering(dealer_user)
    order = selectors.order_get(number=number, dealer=dealer_user.dealer)
    goods = [line for line in order.lines.all() if not line.is_gift]
    wanted: dict[Product, int] = {}
    unavailable = []
    for line in goods:
        if not line.product.active or line.product.gift_only:
            unavailable.append((line.sku, line.quantity))
        else:
            wanted[line.product] = wanted.get(line.product, 0) + line.quantity
    in_stock = (
        catalog_selectors.skus_in_stock(skus=[p.sku for p in wanted])
        if wanted
        else set()
    )
    cart = _locked_cart(dealer_user)
    _add_many(cart, wanted)
    return ReorderResult(
        order=order,
        added=[(p.sku, q) for p, q in wanted.items()],
        unavailable=unavailable,
        out_of_stock=sorted(p.sku for p in wanted if p.sku not in in_stock),
    )


# --- Quote and checkout ----------------------------------------------------------------


@dataclass(frozen=True)
class CartQuote:
    """The cart as a dealer sees it: its items and the engine's quote of them.

    ``cart`` is None before the first add. ``unavailable`` holds items that can no
    longer be ordered (retired, or turned into gift-only products): they are shown but
    not priced, and block checkout.
    """

    cart: Cart | None
    items: list[CartItem]
    quote: Quote | None
    unavailable: list[CartItem] = field(default_factory=list)

    @property
    def lines(self) -> list[tuple[str, int]]:
        return [
            (item.product.sku, item.quantity)
            for item in self.items
            if item not in self.unavailable
        ]

    @property
    def count(self) -> int:
        """Lines in the cart (the badge number)."""
        return len(self.items)

    @property
    def gift_count(self) -> int:
        """Gift units the cart earns now."""
        if self.quote is None:
            return 0
        return sum(gift.quantity for gift in self.quote.priced.gifts)

    @property
    def total(self) -> Decimal:
        return self.quote.total if self.quote is not None else ZERO

    @property
    def use_expense_credit(self) -> Decimal:
        return self.cart.use_expense_credit if self.cart is not None else ZERO


def _split(items: list[CartItem]) -> tuple[list[tuple[str, int]], list[CartItem]]:
    """Lines to quote, and items no longer sold. Gift-only add-ons are quoted (the
    quote refuses those no promotion earns any more: ``cart_quote``)."""
    lines, unavailable = [], []
    for item in items:
        if item.product.active:
            lines.append((item.product.sku, item.quantity))
        else:
            unavailable.append(item)
    return lines, unavailable


def cart_quote(*, dealer_user) -> CartQuote:
    """Read the cart and price it now (prices, promotions, gifts, hints, credit).

    Stores nothing (not even an empty cart); expense credit asked for beyond the
    current balance is capped at the balance.
    """
    cart = selectors.cart_get(dealer_user=dealer_user)
    items = list(cart.items.all()) if cart is not None else []
    lines, unavailable = _split(items)
    if not lines:
        return CartQuote(cart=cart, items=items, quote=None, unavailable=unavailable)
    requested = cart.use_expense_credit
    if requested:
        requested = min(
            requested,
            selectors.account_balance(
                dealer=dealer_user.dealer,
                account=AccountMovement.Account.EXPENSE_CREDIT,
            ),
        )

    def quote(lines):
        return order_quote(
            dealer=dealer_user.dealer,
            lines=lines,
            gift_choices=cart.gift_choices,
            use_expense_credit=max(requested, ZERO),
        )

    try:
        priced = quote(lines)
    except InvalidInput as refused:
        # An add-on the cart no longer earns (fewer goods now): shown as something
        # to remove, like a product no longer sold; the rest is quoted.
        dropped = _unearned_addons(refused, items)
        if not dropped:
            raise
        unavailable = [*unavailable, *dropped]
        gone = {item.product.sku for item in dropped}
        lines = [line for line in lines if line[0] not in gone]
        priced = quote(lines) if lines else None
    return CartQuote(cart=cart, items=items, quote=priced, unavailable=unavailable)


def _unearned_addons(refused: InvalidInput, items) -> list[CartItem]:
    if refused.code != "invalid_product":
        return []
    named = {error.get("sku") for error in refused.errors}
    return [i for i in items if i.product.gift_only and i.product.sku in named]


def cart_version(cart: Cart) -> str:
    """A token that changes whenever the cart does (a channel that cannot send the
    reviewed lines back, like a chat button, sends this instead)."""
    return str(int(cart.updated_at.timestamp() * 1000))


@transaction.atomic
def cart_checkout(
    *,
    dealer_user,
    idempotency_key: str,
    expected_total: Decimal | str | None = None,
    expected_lines: Mapping[str, int] | None = None,
    expected_version: str | None = None,
    note: str = "",
    source: str = Order.Source.PORTAL,
) -> Placement:
    """Place the cart as an order, then empty the cart.

    One order per checkout form: the same ``idempotency_key`` (a double tap, a retry
    after a lost response) returns the order it already made. When the cart's lines
    are not ``expected_lines`` (or the cart is not at ``expected_version``) or the
    total is not ``expected_total`` (what the dealer reviewed), ``QuoteChanged`` is
    raised and nothing is placed.
    """
    _require_ordering(dealer_user)
    cart = _locked_cart(dealer_user)
    existing = Order.objects.filter(
        dealer=dealer_user.dealer, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return Placement(order=existing, created=False)
    lines, unavailable = _split(list(cart.items.select_related("product")))
    if unavailable:
        raise InvalidInput(
            _(
                "Some products in your cart can no longer be ordered: remove them first."
            ),
            code="cart_unavailable",
        )
    if not lines:
        raise InvalidInput(_("Your cart is empty."), code="cart_empty")
    if (expected_lines is not None and dict(lines) != dict(expected_lines)) or (
        expected_version is not None and expected_version != cart_version(cart)
    ):
        fresh = order_quote(
            dealer=dealer_user.dealer,
            lines=lines,
            gift_choices=cart.gift_choices,
            use_expense_credit=cart.use_expense_credit,
        )
        raise QuoteChanged(
            _("Your cart changed since you reviewed it. Please check the order again."),
            payload={"quote": fresh.to_dict()},
        )
    placement = order_place(
        dealer=dealer_user.dealer,
        lines=lines,
        idempotency_key=idempotency_key,
        gift_choices=cart.gift_choices,
        use_expense_credit=cart.use_expense_credit,
        expected_total=expected_total,
        note=note,
        placed_by=dealer_user.user,
        source=source,
    )
    cart.items.all().delete()
    _reset(cart)
    cart.save()
    return placement
