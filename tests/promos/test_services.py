"""Who may do what with a promotion: reps draft and submit inside their org,
managers of the owning org or above approve; versions keep what priced an order."""

import pytest
from django.contrib.auth.models import Group

from common.errors import Conflict, Forbidden, InvalidInput
from dealers import groups
from promos import selectors, services
from promos.models import Promotion, PromotionTarget
from tests.dealers.factories import SalesRepFactory
from tests.world import gift_promotion


@pytest.fixture
def staff(world):
    def make(org_code, *, manager=False, username):
        rep = SalesRepFactory(
            sales_org=world["orgs"][org_code], user__username=username
        )
        rep.user.groups.add(
            Group.objects.get(
                name=groups.SALES_MANAGER if manager else groups.SALES_REP
            )
        )
        return rep.user

    return {
        "rep_east": make("EAST-SH", username="rep-east"),
        "rep_south": make("SOUTH", username="rep-south"),
        "manager_east": make("EAST", manager=True, username="mgr-east"),
        "manager_hq": make("HQ", manager=True, username="mgr-hq"),
        "manager_south": make("SOUTH", manager=True, username="mgr-south"),
        "manager_branch": make("EAST-SH", manager=True, username="mgr-branch"),
    }


def test_rep_drafts_and_submits_but_cannot_approve(staff):
    services.promotion_save(
        data=gift_promotion(sales_org="EAST-SH", audience={}), by=staff["rep_east"]
    )
    services.promotion_submit(code="P-GIFT", by=staff["rep_east"])
    with pytest.raises(Forbidden):
        services.promotion_approve(code="P-GIFT", by=staff["rep_east"])
    assert Promotion.objects.get().status == "pending_approval"


def test_rep_cannot_touch_another_orgs_promotion(staff):
    with pytest.raises(Forbidden):
        services.promotion_save(data=gift_promotion(), by=staff["rep_south"])
    services.promotion_save(data=gift_promotion(), by=None)
    with pytest.raises(Forbidden):
        services.promotion_submit(code="P-GIFT", by=staff["rep_south"])


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("manager_east", True),
        ("manager_hq", True),
        ("manager_south", False),
        ("manager_branch", False),
    ],
)
def test_only_managers_of_the_owner_or_above_approve(staff, who, allowed):
    """EAST owns the promotion: EAST's and HQ's managers approve; SOUTH's and a branch's cannot."""
    services.promotion_save(data=gift_promotion(), by=None)
    services.promotion_submit(code="P-GIFT", by=None)
    if allowed:
        services.promotion_approve(code="P-GIFT", by=staff[who])
        assert Promotion.objects.get().status == "approved"
    else:
        with pytest.raises(Forbidden):
            services.promotion_approve(code="P-GIFT", by=staff[who])


def test_targets_index_what_the_promotion_touches(world):
    services.promotion_save(data=gift_promotion(), by=None)
    targets = set(PromotionTarget.objects.values_list("kind", "code"))
    assert targets == {("category", "TEA-A")}


def test_order_scope_promotion_is_indexed_for_every_cart(world):
    definition = gift_promotion(
        code="P-ORDER",
        condition={"type": "amount", "min": "1000.00"},
        reward={"type": "percent_off", "percent": "2", "scope": "order"},
    )
    services.promotion_save(data=definition, by=None)
    assert set(PromotionTarget.objects.values_list("kind", "code")) == {("order", "")}


def test_a_new_budget_below_what_is_used_is_refused(world, api, approve):
    approve(gift_promotion())
    api.post(
        "/api/v1/dealers/D1/orders",
        {"lines": [{"sku": "TEA-A-01", "quantity": 20}]},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    services.promotion_save(data=gift_promotion(limits={"budget": "10.00"}), by=None)
    services.promotion_submit(code="P-GIFT")
    with pytest.raises(Conflict):
        services.promotion_approve(code="P-GIFT")


def test_invalid_definition_lists_fields(world):
    with pytest.raises(InvalidInput) as caught:
        services.promotion_save(
            data=gift_promotion(priority="high", repeat="yes"), by=None
        )
    fields = {e["field"] for e in caught.value.errors}
    assert {"priority", "repeat"} <= fields


def test_summary_is_in_plain_words(world):
    result = services.promotion_save(data=gift_promotion(), by=None)
    zh, en = selectors.promotion_summary(version=result.version)
    assert en.startswith("Buy 10 units of Tea A")
    assert "budget ¥50,000.00" in en
    assert zh.startswith("买 10")
