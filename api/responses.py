"""Response shapes (api-v1.md), so that the OpenAPI document says what each operation
answers: every 2xx body typed field by field, and the error body every 4xx carries.

Money is a decimal string with two places ("1280.00", "-89.02"); dates are ISO 8601.
Nested objects the contract leaves open (a promotion's definition, an event's data,
a not-applied reason's detail) are JSON objects."""

from typing import Annotated, Any

from ninja import Field, Schema

MONEY_PATTERN = r"^-?\d{1,12}\.\d{2}$"
MoneyStr = Annotated[
    str, Field(pattern=MONEY_PATTERN, examples=["1280.00"], description="Money")
]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """`{"detail", "code", "errors"}` (api-v1.md, Conventions); a 409 with a fresh
    quote (an order whose ``expected_total`` differs) carries it as ``quote``."""

    detail: str
    code: str
    errors: list[FieldErrorOut | dict[str, Any]] = []


# Every operation may answer these: a malformed body (400), no or a wrong key (401),
# an unknown thing named in the path (404), a conflict with the state of things
# (409), and a body the portal cannot accept (422). 503: the database was away.
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    503: ErrorOut,
}


def answers(*ok_codes: int, schema) -> dict:
    """``response=`` for an operation answering ``schema`` on ``ok_codes``."""
    return {**dict.fromkeys(ok_codes, schema), **ERRORS}


# --- master data ------------------------------------------------------------------------


class TreeNodeOut(Schema):
    code: str
    name: str
    parent: str | None


class ProductOut(Schema):
    sku: str
    name: str
    name_en: str
    category: str
    unit: str
    unit_name: str
    price: MoneyStr | None
    cost: MoneyStr | None
    gift_only: bool
    active: bool


class TierPriceOut(Schema):
    tier: str
    sku: str
    price: MoneyStr


class WarehouseOut(Schema):
    code: str
    name: str


class StockOut(Schema):
    warehouse: str
    sku: str
    quantity: int


class DealerOut(Schema):
    code: str
    name: str
    sales_org: str
    tier: str
    region: str
    customer_since: str
    credit_limit: MoneyStr
    payment_terms_days: int
    active: bool


class DealerUserOut(Schema):
    dealer: str
    username: str
    phone: str | None
    language: str
    role: str


class SalesHistoryOut(Schema):
    received: int
    created: int
    duplicates: int


# --- promotions -------------------------------------------------------------------------


class PromotionBudgetOut(Schema):
    limit: MoneyStr | None
    used: MoneyStr | None
    remaining: MoneyStr | None


class PromotionOut(Schema):
    code: str
    sales_org: str
    status: str
    version: int | None
    latest_version: int | None
    latest_version_status: str | None
    definition: dict[str, Any] | None
    pending_definition: dict[str, Any] | None
    budget: PromotionBudgetOut
    applications: int


class HintOut(Schema):
    promotion: str
    message: str
    message_zh: str
    missing_quantity: int | None
    missing_amount: MoneyStr | None
    sku_suggestion: str | None


class OfferOut(Schema):
    promotion: str
    name: str
    name_en: str = Field(
        description="The English name; empty when the promotion has none."
    )
    version: int
    type: str
    starts_at: str
    ends_at: str
    priority: int
    exclusive: bool
    eligible: bool
    definition: dict[str, Any]
    hints: list[HintOut]
    reason: str | None = None
    message: str | None = None
    message_zh: str | None = None


class DealerPromotionsOut(Schema):
    dealer: str
    promotions: list[OfferOut]


# --- quotes and orders ------------------------------------------------------------------


class PromiseOut(Schema):
    quantity: int
    warehouse: str | None
    date: str | None


class LineDiscountOut(Schema):
    promotion: str
    version: int | None = None
    discount: MoneyStr


class QuoteLineOut(Schema):
    sku: str
    quantity: int
    unit_price: MoneyStr
    amount: MoneyStr
    discount: MoneyStr
    net_amount: MoneyStr
    promotions: list[LineDiscountOut]
    promised: list[PromiseOut] = []


class GiftOptionOut(Schema):
    index: int
    sku: str
    quantity: int
    in_stock: bool
    value: MoneyStr


class GiftOut(Schema):
    sku: str
    quantity: int
    promotion: str
    defaulted: bool
    declined: bool
    in_stock: bool
    option_index: int | None
    options: list[GiftOptionOut]


class AppliedOut(Schema):
    promotion: str
    version: int
    times: int
    discount: MoneyStr
    gift_cost: MoneyStr
    expense_credit: MoneyStr
    exclusive: bool


class AddonOfferOut(Schema):
    promotion: str
    sku: str
    price: MoneyStr
    quantity_earned: int
    quantity_taken: int


class NotAppliedOut(Schema):
    promotion: str
    reason: str
    message: str
    message_zh: str
    detail: dict[str, Any]


class NoteOut(Schema):
    promotion: str
    kind: str
    message: str
    message_zh: str


class CreditOut(Schema):
    limit: MoneyStr
    available: MoneyStr
    sufficient: bool


class ContractIssueOut(Schema):
    code: str
    message: str
    blocking: bool


class ContractOut(Schema):
    agreement: str | None
    version: int | None
    issues: list[ContractIssueOut]


class QuoteOut(Schema):
    lines: list[QuoteLineOut]
    gifts: list[GiftOut]
    applied: list[AppliedOut]
    addon_offers: list[AddonOfferOut]
    not_applied: list[NotAppliedOut]
    hints: list[HintOut]
    notes: list[NoteOut]
    subtotal: MoneyStr
    discount_total: MoneyStr
    expense_credit_total: MoneyStr
    expense_credit_used: MoneyStr
    expense_credit_balance: MoneyStr
    total: MoneyStr
    credit: CreditOut
    contract: ContractOut | None


class OrderLineOut(Schema):
    sku: str
    quantity: int
    unit_price: MoneyStr
    amount: MoneyStr
    discount: MoneyStr
    net_amount: MoneyStr
    promotions: list[LineDiscountOut]
    shipped: int
    cancelled: int
    short_closed: int
    promised_date: str | None
    estimated_date: str | None


class OrderGiftOut(Schema):
    sku: str
    quantity: int
    ordered: int
    promotion: str | None
    version: int | None
    defaulted: bool
    option_index: int | None
    shipped: int
    owed: int
    debt: int
    settled: int


class ErpStateOut(Schema):
    system: str
    number: str | None
    status: str
    error: str | None


class ReceivableOut(Schema):
    number: str
    kind: str
    amount: MoneyStr
    open_amount: MoneyStr
    due_date: str | None
    invoiced: MoneyStr
    invoices: list[str]


class ShipmentLineOut(Schema):
    sku: str
    quantity: int
    gift: bool
    order: str


class GiftOwedOut(Schema):
    sku: str
    quantity: int
    order: str


class ShipmentOut(Schema):
    number: str
    external_id: str
    order: str
    warehouse: str
    carrier: str
    tracking_no: str
    shipped_at: str
    delivered_at: str | None
    confirmed_at: str | None
    lines: list[ShipmentLineOut]
    gifts_owed: list[GiftOwedOut]
    receivable: ReceivableOut | None
    receivables: list[ReceivableOut]


class OrderEventOut(Schema):
    kind: str
    at: str
    data: dict[str, Any] | list[Any] | None


class OrderOut(Schema):
    number: str
    dealer: str
    status: str
    fulfilment: str
    payment: str
    placed_at: str
    lines: list[OrderLineOut]
    gifts: list[OrderGiftOut]
    applied: list[dict[str, Any]]
    not_applied: list[dict[str, Any]]
    hints: list[HintOut]
    subtotal: MoneyStr
    discount_total: MoneyStr
    expense_credit_used: MoneyStr
    expense_credit_earned: MoneyStr
    total: MoneyStr
    note: str
    payment_plan: Annotated[
        list[dict[str, Any]] | dict[str, Any] | None,
        Field(description="The instalments this order is paid in (none: one)"),
    ]
    erp: ErpStateOut | None
    shipments: list[ShipmentOut]
    receivables: list[ReceivableOut]
    events: list[OrderEventOut]


# --- money ------------------------------------------------------------------------------


class WrittenOffOut(Schema):
    receivable: str
    amount: MoneyStr


class ReceiptOut(Schema):
    external_id: str
    dealer: str
    amount: MoneyStr
    date: str
    method: str
    written_off: list[WrittenOffOut]


class BalancesOut(Schema):
    credit_limit: MoneyStr
    open_receivables: MoneyStr
    overdue: MoneyStr
    unshipped_orders: MoneyStr
    available_credit: MoneyStr
    prepayment: MoneyStr
    expense_credit: MoneyStr


class MovementOut(Schema):
    date: str
    kind: str
    reference: str
    debit: MoneyStr
    credit: MoneyStr
    balance: MoneyStr
    invoiced: MoneyStr = Field(
        description="An invoice (kind invoice, positive) or credit note (kind "
        "credit_note, negative) moves no money: debit and credit are 0.00"
    )


class OrderMoneyOut(Schema):
    order: str
    shipped: MoneyStr
    billed: MoneyStr = Field(
        description="Receivables, less adjustments in the dealer's favour"
    )
    invoiced: MoneyStr = Field(description="Invoices less credit notes")
    paid: MoneyStr
    open: MoneyStr


class StatementOut(Schema):
    from_: str = Field(alias="from")
    to: str
    opening_balance: MoneyStr
    movements: list[MovementOut]
    closing_balance: MoneyStr
    orders: list[OrderMoneyOut] = Field(
        description="Each order billed in the period, still open or not fully "
        "invoiced, four ways: where shipments, receivables, invoices and payments part"
    )
