"""Demo promotions: approved, of every condition and reward type, including the seed's
example (3+ year gold/silver dealers of EAST-SH buying the new category A whose
category C purchases reached ¥100,000 last year get a cup per 10 units) and the
"10 for 0.1" expense support. Used by ``seed_demo``; expects its catalogue codes."""

import datetime

from django.utils import timezone

from promos import services


def _window(now: datetime.datetime) -> tuple[str, str]:
    start = (now - datetime.timedelta(days=30)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    end = start + datetime.timedelta(days=365)
    return start.isoformat(), end.isoformat()


def demo_definitions(now: datetime.datetime | None = None) -> list[dict]:
    """Definitions in the promotions.md format."""
    starts_at, ends_at = _window(timezone.localtime(now or timezone.now()))
    common = {"starts_at": starts_at, "ends_at": ends_at}
    return [
        {
            **common,
            "code": "P2026-0042",
            "name": "新茶上市：忠实经销商",
            "name_en": "New tea line launch: loyal dealers",
            "sales_org": "EAST",
            "priority": 50,
            "audience": {
                "sales_orgs": ["EAST-SH"],
                "tiers": ["gold", "silver"],
                "min_tenure_years": 3,
                "history": [
                    {"category": "TEA-C", "min_amount": "100000.00", "window_days": 365}
                ],
            },
            "condition": {
                "type": "quantity",
                "items": {"categories": ["TEA-A"]},
                "min": 10,
            },
            "reward": {
                "type": "gift",
                "options": [
                    {"sku": "GIFT-CUP", "quantity": 1},
                    {"sku": "GIFT-BAG", "quantity": 2},
                ],
            },
            "repeat": True,
            "max_applications_per_order": 5,
            "limits": {"budget": "50000.00", "max_applications_per_dealer": 20},
        },
        {
            **common,
            "code": "P2026-0043",
            "name": "新茶 10 送 0.1 费用支持",
            "name_en": "Tea A expense support 10 for 0.1",
            "sales_org": "EAST",
            "priority": 40,
            "audience": {"sales_orgs": ["EAST"]},
            "condition": {
                "type": "amount",
                "items": {"categories": ["TEA-A"]},
                "min": "1000.00",
            },
            "reward": {"type": "expense_credit", "rate": "0.01"},
            "limits": {"budget": "20000.00"},
        },
        {
            **common,
            "code": "P2026-0050",
            "name": "方便面 满 20 箱 95 折",
            "name_en": "Noodles: 5% off from 20 cases",
            "sales_org": "HQ",
            "priority": 30,
            "condition": {
                "type": "quantity",
                "items": {"categories": ["NOODLE"]},
                "min": 20,
            },
            "reward": {"type": "percent_off", "percent": "5"},
            "limits": {"budget": "100000.00"},
        },
        {
            **common,
            "code": "P2026-0051",
            "name": "饮料每满 ¥2,000 减 ¥100",
            "name_en": "Drinks: ¥100 off every ¥2,000",
            "sales_org": "HQ",
            "priority": 20,
            "condition": {
                "type": "amount",
                "items": {"categories": ["DRINK"]},
                "min": "2000.00",
            },
            "reward": {"type": "amount_off", "amount": "100.00"},
            "repeat": True,
            "max_applications_per_order": 10,
            "limits": {"budget": "80000.00", "max_applications_per_dealer": 50},
        },
        {
            **common,
            "code": "P2026-0052",
            "name": "茶饮组合送环保袋",
            "name_en": "Tea + drink combo gift",
            "sales_org": "HQ",
            "priority": 15,
            "condition": {
                "type": "combo",
                "components": [
                    {"items": {"categories": ["TEA"]}, "min": 5},
                    {"items": {"categories": ["DRINK"]}, "min": 5},
                ],
            },
            "reward": {
                "type": "gift",
                "options": [
                    {"sku": "GIFT-BAG", "quantity": 1},
                    {"sku": "GIFT-TOWEL", "quantity": 1},
                ],
            },
            "repeat": True,
            "max_applications_per_order": 3,
            "limits": {"budget": "30000.00"},
        },
        {
            **common,
            "code": "P2026-0053",
            "name": "买方便面加 1 元换购茶杯",
            "name_en": "Noodles: add a cup for ¥1",
            "sales_org": "HQ",
            "priority": 10,
            "condition": {
                "type": "quantity",
                "items": {"categories": ["NOODLE"]},
                "min": 10,
            },
            "reward": {
                "type": "addon",
                "sku": "GIFT-CUP",
                "price": "1.00",
                "quantity": 1,
            },
            "repeat": True,
            "max_applications_per_order": 5,
            "limits": {"budget": "10000.00"},
        },
        {
            **common,
            "code": "P2026-0060",
            "name": "整单满 ¥50,000 享 2%",
            "name_en": "Whole order 2% off from ¥50,000",
            "sales_org": "HQ",
            "priority": 5,
            "condition": {"type": "amount", "min": "50000.00"},
            "reward": {"type": "percent_off", "percent": "2", "scope": "order"},
            "limits": {"budget": "200000.00"},
        },
        {
            **common,
            "code": "P2026-0070",
            "name": "南区金牌独享 95 折",
            "name_en": "South gold dealers: exclusive 5% off tea",
            "sales_org": "SOUTH",
            "priority": 60,
            "exclusive": True,
            "audience": {"tiers": ["gold"]},
            "condition": {
                "type": "quantity",
                "items": {"categories": ["TEA"]},
                "min": 10,
            },
            "reward": {"type": "percent_off", "percent": "5"},
            "limits": {"budget": "40000.00"},
        },
    ]


def demo_pending_definition(now: datetime.datetime | None = None) -> dict:
    """A promotion EAST submitted and nobody approved yet: what a manager back-tests
    (/office/backtests/) before approving it."""
    starts_at, ends_at = _window(timezone.localtime(now or timezone.now()))
    return {
        "code": "P2026-0080",
        "name": "待审批：瓶装茶每 50 箱赠茶杯",
        "name_en": "Pending: a cup for every 50 cases of bottled tea",
        "sales_org": "EAST",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "priority": 40,
        "audience": {"sales_orgs": ["EAST"]},
        "condition": {
            "type": "quantity",
            "items": {"categories": ["DRINK-TEA"]},
            "min": 50,
        },
        "reward": {"type": "gift", "options": [{"sku": "GIFT-CUP", "quantity": 1}]},
        "repeat": True,
        "max_applications_per_order": 10,
        "limits": {"budget": "30000.00"},
    }


def seed_promotions(now: datetime.datetime | None = None) -> list[str]:
    """Create, submit and approve every demo promotion; one more waits for approval."""
    codes = []
    for definition in demo_definitions(now):
        services.promotion_save(data=definition, by=None)
        services.promotion_submit(code=definition["code"])
        services.promotion_approve(code=definition["code"])
        codes.append(definition["code"])
    pending = demo_pending_definition(now)
    services.promotion_save(data=pending, by=None)
    services.promotion_submit(code=pending["code"])
    return codes
