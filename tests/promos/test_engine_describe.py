"""A promotion reads in plain words, in both languages."""

from promos.engine import describe, parse_definition

NAMES = {
    "TEA-A": ("新品茶A", "Tea A"),
    "TEA-C": ("茶C", "Tea C"),
    "GIFT-CUP": ("茶杯", "Tea cup"),
    "GIFT-BAG": ("环保袋", "Tote bag"),
    "EAST-SH": ("上海", "Shanghai"),
}


def _seed_example(**overrides):
    data = {
        "code": "P2026-0042",
        "name": "New tea line launch",
        "sales_org": "EAST",
        "starts_at": "2026-12-01T00:00:00+08:00",
        "ends_at": "2027-01-01T00:00:00+08:00",
        "audience": {
            "sales_orgs": ["EAST-SH"],
            "tiers": ["gold"],
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
    }
    data.update(overrides)
    return parse_definition(data)


def test_seed_example_in_plain_words():
    """The manager reads condition, reward, repeat cap, audience and limits at a glance."""
    zh, en = describe(_seed_example(), NAMES, with_limits=True)
    assert en.startswith("Buy 10 units of Tea A, get Tea cup × 1 (or Tote bag × 2)")
    assert "up to 5 times per order" in en
    assert "tier gold" in en  # no name given: the code
    assert "at least 3 years" in en
    assert "¥100,000.00 of Tea C in the last 365 days" in en
    assert "Shanghai" in en
    assert "budget ¥50,000.00" in en
    assert zh.startswith("买 10 件 新品茶A，送 茶杯 1 件")
    assert "合作满 3 年" in zh


def test_each_reward_reads_differently():
    rewards = {
        "percent_off": ({"type": "percent_off", "percent": "5"}, "5% off"),
        "order": (
            {"type": "percent_off", "percent": "3", "scope": "order"},
            "whole order",
        ),
        "amount_off": ({"type": "amount_off", "amount": "100.00"}, "¥100.00 off"),
        "expense_credit": (
            {"type": "expense_credit", "rate": "0.01"},
            "1% of the amount",
        ),
    }
    for reward, phrase in rewards.values():
        _zh, en = describe(_seed_example(reward=reward), NAMES)
        assert phrase in en, en


def test_amount_condition_and_without_limits():
    rule = _seed_example(
        condition={
            "type": "amount",
            "items": {"categories": ["TEA-A"]},
            "min": "5000.00",
        }
    )
    _zh, en = describe(rule, NAMES)
    assert en.startswith("Buy ¥5,000.00 of Tea A")
    assert "budget" not in en


def test_tiers_and_regions_read_by_their_names():
    """Audiences name tiers and regions as people call them (金牌, not "gold"), in
    the description and in the reason a dealer does not qualify."""
    from promos.engine import texts
    from promos.engine.audience import AudienceFailure

    names = {
        **NAMES,
        "tier:gold": ("金牌", "Gold"),
        "tier:silver": ("银牌", "Silver"),
        "region:NORTH": ("华北", "North China"),
    }
    rule = _seed_example(
        audience={"tiers": ["gold", "silver"], "regions": ["NORTH"]},
    )

    zh, en = describe(rule, names)

    assert "金牌、银牌 等级" in zh
    assert "华北 地区" in zh
    assert "gold" not in zh
    assert "tier Gold, Silver" in en
    assert "region North China" in en
    namer = texts.Namer(items={}, gifts={}, names=names)
    failures = [
        AudienceFailure("tier", {"required": ["gold"], "actual": "bronze"}),
        AudienceFailure("region", {"required": ["NORTH"], "actual": "EAST"}),
    ]
    zh, en = texts.audience_text(failures, namer)
    assert zh == "仅限 金牌 等级的经销商；仅限 华北 地区的经销商"
    assert "tier Gold" in en
