"""Order services: business verbs, one transaction each.

``placement``: quote, place, cancel, re-price. ``cart``: the dealer user's cart.
``fulfilment``: shipments, gifts that follow the goods, short-close, delivery.
``money``: receivables, receipts and write-offs, statements.
"""

from orders.services.agreements import (
    Settlement,
    agreement_progress_refresh,
    rebate_settle,
)
from orders.services.cart import (
    CartQuote,
    PasteError,
    PasteResult,
    ReorderResult,
    cart_add,
    cart_adjust,
    cart_checkout,
    cart_clear,
    cart_fill,
    cart_get_or_create,
    cart_paste,
    cart_quote,
    cart_remove,
    cart_reorder,
    cart_set_expense_credit,
    cart_set_gift_choice,
    cart_set_quantity,
    cart_take_back,
    cart_version,
    looks_like_lines,
)
from orders.services.dates import (
    delivery_plan_set,
    order_estimates_refresh,
    planned_receipt_record,
    stock_record,
)
from orders.services.erp import order_erp_mark
from orders.services.fulfilment import (
    ShipmentResult,
    order_release,
    order_short_close,
    shipment_confirm,
    shipment_deliver,
    shipment_post,
    shipments_auto_confirm,
)
from orders.services.invoicing import invoice_record, invoice_request_create
from orders.services.money import (
    payment_plan_set,
    payment_plan_validate,
    receipt_post,
    receivable_match_erp,
    statement_respond,
    writeoff_from_prepayment,
    writeoff_reverse,
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
from orders.services.reconciliation import reconciliation_run

__all__ = [
    "invoice_record",
    "invoice_request_create",
    "reconciliation_run",
    "receivable_match_erp",
    "delivery_plan_set",
    "order_estimates_refresh",
    "planned_receipt_record",
    "stock_record",
    "ShipmentResult",
    "order_erp_mark",
    "order_release",
    "order_short_close",
    "payment_plan_set",
    "payment_plan_validate",
    "receipt_post",
    "shipment_confirm",
    "shipment_deliver",
    "shipment_post",
    "shipments_auto_confirm",
    "statement_respond",
    "writeoff_from_prepayment",
    "writeoff_reverse",
    "CANCELLABLE",
    "Settlement",
    "agreement_progress_refresh",
    "rebate_settle",
    "CartQuote",
    "PasteError",
    "PasteResult",
    "Placement",
    "Quote",
    "QuoteChanged",
    "ReorderResult",
    "cart_add",
    "cart_adjust",
    "cart_checkout",
    "cart_clear",
    "cart_get_or_create",
    "cart_fill",
    "cart_paste",
    "cart_quote",
    "cart_remove",
    "cart_reorder",
    "cart_set_expense_credit",
    "cart_set_gift_choice",
    "cart_set_quantity",
    "cart_take_back",
    "cart_version",
    "looks_like_lines",
    "order_cancel",
    "order_place",
    "order_quote",
    "order_reprice",
    "request_fingerprint",
]
