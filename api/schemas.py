"""Request bodies. Money is a decimal string; quantities are whole units."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

# Codes are printable: no control or invisible format characters and no spaces
# (a code names a thing in URLs and ERP exports). One pattern both pydantic (Rust
# regex) and Python's ``re`` read alike.
CODE_PATTERN = (
    r"^[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+$"
)
Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=40, pattern=CODE_PATTERN
    ),
]
# A portal login, as Django's username validator allows it.
Username = Annotated[
    str, StringConstraints(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
]
# Money is a decimal string ("1280.00", api-v1.md Conventions): a JSON number, "1e3"
# or "12.345" is refused (422), never rounded or coerced.
MONEY_IN_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
SIGNED_MONEY_IN_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"


def _decimal_string(pattern: str):
    compiled = re.compile(pattern)

    def check(value):
        if isinstance(value, Decimal):
            return value
        if not isinstance(value, str) or not compiled.match(value):
            raise ValueError('money is a decimal string such as "1280.00"')
        return value

    return check


def decimal_string(*, pattern: str, description: str, max_digits: int, **bounds):
    """A decimal read from a JSON string matching ``pattern`` (and documented so)."""
    return Annotated[
        Decimal,
        BeforeValidator(_decimal_string(pattern)),
        Field(max_digits=max_digits, decimal_places=2, **bounds),
        WithJsonSchema(
            {"type": "string", "pattern": pattern, "description": description}
        ),
    ]


def money_type(*, signed: bool = False, positive: bool = False):
    pattern = SIGNED_MONEY_IN_PATTERN if signed else MONEY_IN_PATTERN
    bounds = {} if signed else ({"gt": 0} if positive else {"ge": 0})
    description = 'Money, a decimal string such as "1280.00"' + (
        ", more than 0" if positive else ""
    )
    return decimal_string(
        pattern=pattern, description=description, max_digits=14, **bounds
    )


Money = money_type()
PositiveMoney = money_type(positive=True)
SignedMoney = money_type(signed=True)
# Whole units as JSON integers: "10", 10.0 and true are refused, not coerced.
StrictInt = Annotated[int, Field(strict=True)]
Quantity = Annotated[StrictInt, Field(gt=0, le=100_000)]


class SalesOrgIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    name_en: str = ""
    parent: Code | None = None


class CategoryIn(SalesOrgIn):
    pass


class ProductIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name_en: str = ""
    category: Code
    unit: str
    price: Money
    cost: Money | None = None
    gift_only: bool = False
    active: bool = True
    launched_on: date | None = None


class PriceIn(Schema):
    price: Money


class WarehouseIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    name_en: str = ""


class StockIn(Schema):
    quantity: Annotated[StrictInt, Field(ge=0, le=10_000_000)]


class DealerIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    sales_org: Code
    tier: Code
    region: Code
    customer_since: date
    credit_limit: Money
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    active: bool = True


class DealerUserIn(Schema):
    password: Annotated[str, StringConstraints(min_length=8, max_length=128)] | None = (
        None
    )
    phone: Annotated[str, StringConstraints(max_length=20)] | None = None
    language: str = "zh-hans"
    role: str | None = None  # a new login without one is a viewer


class HistoryRecordIn(Schema):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    dealer: Code
    sku: Code
    quantity: Annotated[StrictInt, Field(ge=-100_000, le=100_000)]
    amount: SignedMoney
    date: date


class SalesHistoryIn(Schema):
    # 50,000 records is ~7.5 MB, inside API_MAX_BODY_BYTES (10 MB by default)
    records: Annotated[list[HistoryRecordIn], Field(max_length=50_000)]


class LineIn(Schema):
    sku: Code
    quantity: Quantity


class QuoteIn(Schema):
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    gift_choices: dict[str, Annotated[int, Field(ge=0, le=100)] | None] = {}
    use_expense_credit: Money = Decimal("0.00")


class OrderIn(QuoteIn):
    expected_total: Money | None = None
    note: Annotated[str, StringConstraints(max_length=1000)] = ""
    contract_override: bool = Field(
        False,
        description="Place despite blocking contract issues (recorded as an override).",
    )


class CancelIn(Schema):
    lines: Annotated[list[LineIn], Field(max_length=500)] | None = None


class ShipmentLineIn(Schema):
    sku: Code
    quantity: Quantity
    gift: bool = False


class ShipmentIn(Schema):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    order: Code
    warehouse: Code
    lines: Annotated[list[ShipmentLineIn], Field(min_length=1, max_length=500)]
    carrier: Annotated[str, StringConstraints(max_length=60)] = ""
    tracking_no: Annotated[str, StringConstraints(max_length=60)] = ""


class ShortCloseIn(Schema):
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]


class DeliveredIn(Schema):
    delivered_at: datetime | None = None


class AllocationIn(Schema):
    receivable: Code
    amount: PositiveMoney


class ReceiptIn(Schema):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    dealer: Code
    amount: PositiveMoney
    date: date
    method: Annotated[str, StringConstraints(max_length=30)] = ""
    allocations: Annotated[list[AllocationIn], Field(max_length=500)] = []
    order: Code | None = Field(
        None, description="The order this money pays, for dealers paid per order."
    )
