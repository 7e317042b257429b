"""The back-office editor makes the same definitions as the API, under the same rules."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dealers import groups
from promos.models import Promotion
from tests.dealers.factories import SalesRepFactory

FORM = {
    "code": "P-ADMIN",
    "name": "Buy 10 Tea A get a cup",
    "sales_org": "EAST",
    "starts_at": "2026-01-01 00:00",
    "ends_at": "2030-01-01 00:00",
    "priority": "10",
    "audience_sales_orgs": "EAST-SH",
    "audience_tiers": "gold",
    "condition_type": "quantity",
    "condition_categories": "TEA-A",
    "condition_min": "10",
    "reward_type": "gift",
    "reward_gift_options": "GIFT-CUP 1\nGIFT-BAG 2",
    "repeat": "on",
    "max_applications_per_order": "5",
    "budget": "5000.00",
}


@pytest.fixture
def manager(world, client):
    rep = SalesRepFactory(sales_org=world["orgs"]["EAST"], user__username="mgr")
    rep.user.groups.add(Group.objects.get(name=groups.SALES_MANAGER))
    client.force_login(rep.user)
    return client


def test_manager_creates_submits_and_approves_in_the_back_office(manager):
    response = manager.post(reverse("admin:promos_promotion_new"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    promotion = Promotion.objects.get(code="P-ADMIN")
    definition = promotion.versions.get().definition
    assert definition["reward"]["options"] == [
        {"sku": "GIFT-CUP", "quantity": 1},
        {"sku": "GIFT-BAG", "quantity": 2},
    ]
    assert definition["limits"]["budget"] == "5000.00"
    for verb in ("submit", "approve"):
        manager.post(reverse("admin:promos_promotion_move", args=[promotion.pk, verb]))
    promotion.refresh_from_db()
    assert promotion.status == "approved"
    page = manager.get(reverse("admin:promos_promotion_change", args=[promotion.pk]))
    assert "Buy 10" in page.content.decode() or "买 10" in page.content.decode()


def test_editor_shows_field_errors_and_stores_nothing(manager):
    response = manager.post(
        reverse("admin:promos_promotion_new"), {**FORM, "audience_sales_orgs": "SOUTH"}
    )
    assert response.status_code == 200
    assert "outside the owner" in response.content.decode()
    assert not Promotion.objects.exists()


def test_rep_cannot_approve_from_the_back_office(world, client):
    rep = SalesRepFactory(sales_org=world["orgs"]["EAST"], user__username="rep")
    rep.user.groups.add(Group.objects.get(name=groups.SALES_REP))
    client.force_login(rep.user)
    client.post(reverse("admin:promos_promotion_new"), FORM)
    promotion = Promotion.objects.get(code="P-ADMIN")
    client.post(reverse("admin:promos_promotion_move", args=[promotion.pk, "submit"]))
    client.post(reverse("admin:promos_promotion_move", args=[promotion.pk, "approve"]))
    promotion.refresh_from_db()
    assert promotion.status == "pending_approval"
