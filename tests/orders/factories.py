"""A small world to order in, promotions made through the real services, and orders
placed through ``order_place``: shared by the order, portal and end-to-end tests."""

import datetime
import uuid
from decimal import Decimal

from dealers.models import DealerUser
from orders import services
from promos import services as promo_services
from tests.catalog.factories import (
    CategoryFactory,
    ProductFactory,
    StockFactory,
    TierPriceFactory,
    WarehouseFactory,
)
from tests.dealers.factories import (
    DealerFactory,
    DealerUserFactory,
    SalesOrgFactory,
    TierFactory,
)
from tests.world import gift_promotion

PASSWORD = "pass-word-1"  # what tests.dealers.factories.UserFactory sets


def build_world() -> dict:
    """HQ → EAST → EAST-SH; TEA → TEA-A / TEA-C, GIFTS; a gold dealer of 2019 in
    EAST-SH with an owner, a buyer and a viewer; another dealer next door."""
    hq = SalesOrgFactory(code="HQ")
    east = SalesOrgFactory(code="EAST", parent=hq)
    east_sh = SalesOrgFactory(code="EAST-SH", parent=east)
    tea = CategoryFactory(code="TEA", name="茶叶", name_en="Tea")
    tea_a = CategoryFactory(code="TEA-A", parent=tea, name="新品茶A", name_en="Tea A")
    tea_c = CategoryFactory(code="TEA-C", parent=tea, name="茶C", name_en="Tea C")
    gifts = CategoryFactory(code="GIFTS", name="赠品", name_en="Gifts")
    warehouse = WarehouseFactory(code="WH-SH")
    products = {
        "TEA-A-01": ProductFactory(
            sku="TEA-A-01",
            name="龙井 A",
            name_en="Longjing A",
            category=tea_a,
            list_price=Decimal("120.00"),
        ),
        "TEA-A-02": ProductFactory(
            sku="TEA-A-02",
            name="碧螺春 A",
            name_en="Biluochun A",
            category=tea_a,
            list_price=Decimal("90.00"),
        ),
        "TEA-C-01": ProductFactory(
            sku="TEA-C-01",
            name="普洱 C",
            name_en="Pu'er C",
            category=tea_c,
            list_price=Decimal("80.00"),
        ),
        "GIFT-CUP": ProductFactory(
            sku="GIFT-CUP",
            name="茶杯",
            name_en="Tea cup",
            category=gifts,
            list_price=Decimal("20.00"),
            cost=Decimal("15.00"),
            gift_only=True,
        ),
        "GIFT-BAG": ProductFactory(
            sku="GIFT-BAG",
            name="帆布袋",
            name_en="Canvas bag",
            category=gifts,
            list_price=Decimal("10.00"),
            cost=None,
            gift_only=True,
        ),
    }
    for sku in ("TEA-A-01", "TEA-A-02", "TEA-C-01", "GIFT-CUP", "GIFT-BAG"):
        StockFactory(warehouse=warehouse, product=products[sku], quantity=500)
    gold = TierFactory(code="gold")
    TierPriceFactory(tier="gold", product=products["TEA-A-01"], price=Decimal("110.00"))
    dealer = DealerFactory(
        code="D1",
        name="上海茶行",
        sales_org=east_sh,
        tier=gold,
        customer_since=datetime.date(2019, 1, 1),
        credit_limit=Decimal("200000.00"),
    )
    other = DealerFactory(code="D2", name="杭州茶庄", sales_org=east_sh, tier=gold)
    users = {
        role: DealerUserFactory(dealer=dealer, role=role, user__username=f"{role}1")
        for role in (
            DealerUser.Role.OWNER,
            DealerUser.Role.BUYER,
            DealerUser.Role.VIEWER,
        )
    }
    other_user = DealerUserFactory(
        dealer=other, role=DealerUser.Role.OWNER, user__username="other1"
    )
    return {
        "orgs": {"HQ": hq, "EAST": east, "EAST-SH": east_sh},
        "categories": {"TEA-A": tea_a, "TEA-C": tea_c, "GIFTS": gifts},
        "products": products,
        "dealer": dealer,
        "other": other,
        "owner": users[DealerUser.Role.OWNER],
        "buyer": users[DealerUser.Role.BUYER],
        "viewer": users[DealerUser.Role.VIEWER],
        "other_user": other_user,
    }


def definition(code: str = "P-GIFT", **overrides) -> dict:
    """The seed's buy-gift example: a cup (or two bags) for every 10 units of Tea A."""
    return gift_promotion(**{"code": code, "name": "新品茶A 买十赠一", **overrides})


def percent_definition(code: str = "P-PCT", **overrides) -> dict:
    """5 % off Tea C from 5 units."""
    return definition(
        code,
        name="普洱 C 九五折",
        condition={"type": "quantity", "items": {"categories": ["TEA-C"]}, "min": 5},
        reward={"type": "percent_off", "percent": "5"},
        repeat=False,
        **overrides,
    )


def addon_definition(code: str = "P-ADDON", **overrides) -> dict:
    """Buy 5 of Longjing A, add 1 Biluochun A at ¥1.00."""
    return definition(
        code,
        name="买龙井加购碧螺春",
        condition={"type": "quantity", "items": {"skus": ["TEA-A-01"]}, "min": 5},
        reward={"type": "addon", "sku": "TEA-A-02", "price": "1.00", "quantity": 1},
        repeat=False,
        **overrides,
    )


def credit_definition(code: str = "P-CREDIT", **overrides) -> dict:
    """1 % expense support on ¥1,000 of tea ("10 for 0.1")."""
    return definition(
        code,
        name="费用支持 1%",
        condition={
            "type": "amount",
            "items": {"categories": ["TEA"]},
            "min": "1000.00",
        },
        reward={"type": "expense_credit", "rate": "0.01"},
        repeat=False,
        **overrides,
    )


def combo_gift_definition(**overrides) -> dict:
    """3 Longjing A + 2 Pu'er C earn a canvas bag, every time."""
    return definition(
        "P-COMBO-GIFT",
        name="组合赠",
        condition={
            "type": "combo",
            "components": [
                {"items": {"skus": ["TEA-A-01"]}, "min": 3},
                {"items": {"skus": ["TEA-C-01"]}, "min": 2},
            ],
        },
        reward={"type": "gift", "options": [{"sku": "GIFT-BAG", "quantity": 1}]},
        **overrides,
    )


def combo_discount_definition() -> dict:
    """2 Biluochun A + 3 Pu'er C take ¥50 off, every time (spread over the lines)."""
    return definition(
        "P-COMBO-OFF",
        name="组合减",
        condition={
            "type": "combo",
            "components": [
                {"items": {"skus": ["TEA-A-02"]}, "min": 2},
                {"items": {"skus": ["TEA-C-01"]}, "min": 3},
            ],
        },
        reward={"type": "amount_off", "amount": "50.00"},
    )


def order_discount_definition() -> dict:
    """3 % off the whole order from ¥500."""
    return definition(
        "P-ORDER",
        name="整单九七折",
        priority=10,
        condition={"type": "amount", "min": "500.00"},
        reward={"type": "percent_off", "percent": "3", "scope": "order"},
        repeat=False,
    )


def approve(data: dict) -> str:
    """Save, submit and approve a definition as the integration would (``by=None``)."""
    promo_services.promotion_save(data=data, by=None)
    promo_services.promotion_submit(code=data["code"], by=None)
    promo_services.promotion_approve(code=data["code"], by=None)
    return data["code"]


def place(dealer_user, lines, **kwargs):
    """Place an order for a dealer user through the real service."""
    return services.order_place(
        dealer=dealer_user.dealer,
        lines=lines,
        idempotency_key=kwargs.pop("idempotency_key", uuid.uuid4().hex),
        placed_by=dealer_user.user,
        **kwargs,
    ).order
