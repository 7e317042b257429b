"""Shape what services and selectors answer for the dealer's screens.

No business rule lives here: prices, gifts, hints and reasons come from the engine
(through ``orders.services``), rules in words from ``promos.engine.describe``; these
modules name things in the dealer's language and group data the way a page shows it.
"""

from portal.presenters.cart import (
    CartView,
    Change,
    cart_view,
    quote_diff,
    snapshot,
    summary,
)
from portal.presenters.common import Names, pick
from portal.presenters.home import home_context, home_offers_context
from portal.presenters.orders import (
    CancelPreview,
    cancel_preview,
    fulfilment,
    order_card,
    order_view,
)
from portal.presenters.promotions import (
    KINDS,
    describe,
    kind_label,
    order_now_lines,
    promotion_context,
    promotion_progress_context,
    promotions_context,
    promotions_hints,
    recommend,
    reward_kind,
)

__all__ = [
    "KINDS",
    "CancelPreview",
    "CartView",
    "Change",
    "Names",
    "cancel_preview",
    "cart_view",
    "describe",
    "fulfilment",
    "home_context",
    "home_offers_context",
    "kind_label",
    "order_card",
    "order_now_lines",
    "order_view",
    "pick",
    "promotion_context",
    "promotion_progress_context",
    "promotions_context",
    "promotions_hints",
    "quote_diff",
    "recommend",
    "reward_kind",
    "snapshot",
    "summary",
]
