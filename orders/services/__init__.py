"""Order services: business verbs, one transaction each.

``placement``: quote, place, cancel, re-price. ``cart``: the dealer user's cart.
"""

from orders.services.cart import (
    CartQuote,
    PasteError,
    PasteResult,
    ReorderResult,
    cart_add,
    cart_checkout,
    cart_clear,
    cart_get_or_create,
    cart_paste,
    cart_quote,
    cart_remove,
    cart_reorder,
    cart_set_expense_credit,
    cart_set_gift_choice,
    cart_set_quantity,
)
from orders.services.placement import (
    CANCELLABLE,
    Placement,
    Quote,
    QuoteChanged,
    order_cancel,
    order_place,
    order_quote,
    order_reprice,
    request_fingerprint,
)

__all__ = [
    "CANCELLABLE",
    "CartQuote",
    "PasteError",
    "PasteResult",
    "Placement",
    "Quote",
    "QuoteChanged",
    "ReorderResult",
    "cart_add",
    "cart_checkout",
    "cart_clear",
    "cart_get_or_create",
    "cart_paste",
    "cart_quote",
    "cart_remove",
    "cart_reorder",
    "cart_set_expense_credit",
    "cart_set_gift_choice",
    "cart_set_quantity",
    "order_cancel",
    "order_place",
    "order_quote",
    "order_reprice",
    "request_fingerprint",
]
