"""``manage.py seed_demo``: demo logins, the demo dealer, determinism, idempotent runs."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import RequestFactory
from django.utils import timezone

from catalog import selectors, services
from catalog.models import (
    Category,
    DealerPurchase,
    Product,
    SalesHistory,
    Stock,
    TierPrice,
    Warehouse,
)
from dealers import groups
from dealers.models import Dealer, DealerUser, Region, SalesOrg, SalesRep, Tier
from portal.demo import data

SMALL = {"dealers": 5, "products": 12, "months": 3}


def seed(**options) -> str:
    out = StringIO()
    call_command(
        "seed_demo", **{**SMALL, **options}, no_progress=True, stdout=out, stderr=out
    )
    return out.getvalue()


def digest() -> str:
    """A hash of every seeded row, by natural keys (no ids, timestamps or hashes)."""
    user_model = get_user_model()
    tables = [
        SalesOrg.objects.values_list("code", "name", "name_en", "path"),
        Tier.objects.values_list("code", "name", "name_en", "rank"),
        Region.objects.values_list("code", "name", "name_en"),
        Category.objects.values_list("code", "name", "name_en", "path"),
        Warehouse.objects.values_list("code", "name", "name_en"),
        Product.objects.values_list(
            "sku",
            "name",
            "name_en",
            "category__code",
            "unit",
            "list_price",
            "cost",
            "gift_only",
            "active",
            "launched_on",
        ),  # fmt: skip
        TierPrice.objects.values_list("tier", "product__sku", "price"),
        Stock.objects.values_list("warehouse__code", "product__sku", "quantity"),
        Dealer.objects.values_list(
            "code",
            "name",
            "sales_org__code",
            "tier__code",
            "region__code",
            "customer_since",
            "credit_limit",
            "payment_terms_days",
            "active",
        ),  # fmt: skip
        Dealer.reps.through.objects.values_list(
            "dealer__code", "salesrep__user__username"
        ),
        SalesRep.objects.values_list("user__username", "sales_org__code", "phone"),
        user_model.objects.values_list(
            "username", "first_name", "is_staff", "is_superuser", "groups__name"
        ),
        DealerUser.objects.values_list(
            "user__username", "dealer__code", "role", "phone", "language"
        ),
        # Demo orders' shipments are history too; their ids carry order numbers,
        # which a database sequence hands out, so only their contents count.
        SalesHistory.objects.filter(source="portal").values_list(
            "dealer__code", "product__sku", "quantity", "amount", "date"
        ),
        SalesHistory.objects.filter(source="erp").values_list(
            "external_id",
            "dealer__code",
            "product__sku",
            "quantity",
            "amount",
            "date",
            "source",
        ),  # fmt: skip
        DealerPurchase.objects.values_list(
            "dealer__code", "key", "month", "quantity", "amount"
        ),
    ]
    sha = hashlib.sha256()
    for queryset in tables:
        for row in sorted(map(repr, queryset)):
            sha.update(row.encode())
        sha.update(b"|")
    return sha.hexdigest()


@pytest.mark.django_db
def test_demo_logins_authenticate_with_their_roles():
    """Every documented login works, the demo owner by phone too, with the right role."""
    # given
    seed()
    request = RequestFactory().post("/login/")
    user_model = get_user_model()

    # when
    users = {
        login.username: authenticate(
            request, username=login.username, password=login.password
        )
        for login in data.LOGINS
    }

    # then
    assert all(users.values()), users
    assert (
        authenticate(request, username="13800000001", password="demo-pass")
        == (users["demo"])
    )
    roles = {
        username: (u.dealer_user.dealer.code, u.dealer_user.role)
        for username, u in users.items()
        if DealerUser.objects.filter(user=u).exists()
    }
    assert roles == {
        "demo": ("D00001", DealerUser.Role.OWNER),
        "demo-buyer": ("D00001", DealerUser.Role.BUYER),
        "demo-viewer": ("D00001", DealerUser.Role.VIEWER),
        "other": ("D00002", DealerUser.Role.OWNER),
    }
    rep = users["rep"]
    assert rep.is_staff
    assert rep.groups.filter(name=groups.SALES_REP).exists()
    assert rep.sales_rep.sales_org.code == "EAST-SH"
    assert rep.sales_rep.dealers.filter(code="D00001").exists()
    manager = users["manager"]
    assert manager.groups.filter(name=groups.SALES_MANAGER).exists()
    assert manager.sales_rep.sales_org.code == "EAST"
    marketing = users["marketing"]
    assert marketing.is_staff
    assert marketing.groups.filter(name=groups.MARKETING).exists()
    assert users["admin"].is_superuser
    assert user_model.objects.get(username="demo").check_password("demo-pass")


@pytest.mark.django_db
def test_demo_dealer_qualifies_for_the_seed_promotion():
    """D00001: a gold EAST-SH dealer for ≥ 3 years who bought ≥ ¥100,000 of TEA-C."""
    seed()
    today = timezone.localdate()
    dealer = Dealer.objects.get(code="D00001")

    totals = selectors.dealer_history_totals(
        dealer_id=dealer.pk, requirements={("category", "TEA-C", 365)}, on=today
    )

    assert dealer.tier.code == "gold"
    assert dealer.sales_org.code == "EAST-SH"
    assert dealer.customer_since <= today - timedelta(days=3 * 366)
    assert totals[("category", "TEA-C", 365)].amount >= Decimal("100000")
    assert dealer.reps.filter(user__username="rep").exists()


@pytest.mark.django_db
def test_seed_is_deterministic():
    """The same arguments give the same rows; a different seed gives other rows."""
    # given
    seed(today=date(2026, 3, 15))
    first = digest()

    # when
    seed(today=date(2026, 3, 15), flush=True)
    second = digest()
    seed(today=date(2026, 3, 15), seed=2, flush=True)
    other_seed = digest()

    # then
    assert first == second
    assert other_seed != first


@pytest.mark.django_db
def test_if_empty_does_nothing_the_second_time():
    """--if-empty leaves a seeded database alone but still prints the logins."""
    seed()
    before = digest()

    output = seed(if_empty=True, dealers=8)

    assert digest() == before
    assert Dealer.objects.count() == SMALL["dealers"]
    assert "nothing seeded" in output
    assert "demo-pass" in output


@pytest.mark.django_db
def test_seeding_again_without_a_flag_is_refused():
    """A second run without --flush or --if-empty stops with a clear message."""
    seed()

    with pytest.raises(CommandError, match="--flush"):
        seed()


@pytest.mark.django_db
def test_flush_replaces_the_data():
    """--flush deletes the previous demo data before seeding the new size."""
    seed()

    seed(flush=True, dealers=7)

    assert Dealer.objects.count() == 7
    assert get_user_model().objects.filter(username="demo").count() == 1


@pytest.mark.django_db
def test_demo_dealer_has_an_approved_agreement_with_progress_and_rebate():
    """D00001's agreement is in force; what the demo orders shipped reaches the 1 %
    tier, the 2 % tier is still ahead, and the signed PDF is attached."""
    from contracts import selectors as contract_selectors

    seed()
    dealer = Dealer.objects.get(code="D00001")
    report = contract_selectors.dealer_agreement_report(dealer=dealer)
    assert contract_selectors.agreement_status(report.agreement) == "active"
    assert report.version.document
    assert report.rebate.achieved > 0
    assert report.rebate.tier.rebate_percent == Decimal("1.00")
    assert report.rebate.accrued > 0
    assert report.rebate.next_tier.rebate_percent == Decimal("2.00")
    seed(flush=True)  # the flush removes it with the orders that trace it
    assert Dealer.objects.get(code="D00001").agreements.count() == 1


@pytest.mark.django_db
def test_catalogue_has_gifts_tiers_and_stock_states():
    """Gift-only products with a cost, GIFT-TOWEL out of stock everywhere, the
    category codes promotions use, three tier prices per product, low and out stock."""
    seed()

    gifts = Product.objects.filter(gift_only=True)
    towel = Product.objects.get(sku="GIFT-TOWEL")
    threshold = 20

    assert {"GIFT-CUP", "GIFT-BAG", "GIFT-TOWEL"} <= set(
        gifts.values_list("sku", flat=True)
    )
    assert not gifts.filter(cost__isnull=True).exists()
    assert towel.stock.count() == Warehouse.objects.count() == 3
    assert towel.stock.aggregate(total=Sum("quantity"))["total"] == 0
    assert Category.objects.get(code="TEA-A").get_parent().code == "TEA"
    assert Category.objects.get(code="TEA-C").get_parent().code == "TEA"
    assert Category.objects.filter(depth=3).exists()
    sellable = Product.objects.filter(gift_only=False)
    assert sellable.count() == SMALL["products"]
    assert TierPrice.objects.count() == 3 * SMALL["products"]
    gold, bronze = (
        TierPrice.objects.filter(tier=tier).aggregate(total=Sum("price"))["total"]
        for tier in ("gold", "bronze")
    )
    assert gold < bronze
    stock = Stock.objects.filter(product__gift_only=False)
    assert stock.filter(quantity=0).exists()
    assert stock.filter(quantity__gt=0, quantity__lt=threshold).exists()


@pytest.mark.django_db
def test_history_stays_within_the_dealers_tenure_and_facts_match():
    """No imported sale before a dealer became a customer or in the current month, none
    of the new-launch category (the demo orders' shipments are this month's portal
    history), and the facts add up to the history."""
    seed(dealers=12)
    today = timezone.localdate()

    late = SalesHistory.objects.filter(source="erp", date__gte=today.replace(day=1))
    early = [
        h
        for h in SalesHistory.objects.select_related("dealer")
        if h.date < h.dealer.customer_since
    ]
    history_total = SalesHistory.objects.aggregate(total=Sum("amount"))["total"]
    sku_facts_total = DealerPurchase.objects.filter(key__startswith="sku:").aggregate(
        total=Sum("amount")
    )["total"]

    assert not late.exists()
    assert early == []
    assert not SalesHistory.objects.filter(
        source="erp", product__category__code=data.NEW_LAUNCH_CATEGORY
    ).exists()
    assert history_total == sku_facts_total
    assert SalesHistory.objects.filter(external_id="H-D00001-1").exists()


@pytest.mark.django_db
def test_facts_built_in_the_database_match_the_python_rebuild():
    """The seed's facts (built by SQL) equal what ``dealer_facts_rebuild`` computes."""
    seed(dealers=12)
    rows = DealerPurchase.objects.values_list(
        "dealer_id", "key", "month", "quantity", "amount"
    )
    seeded = sorted(rows)

    services.dealer_facts_rebuild()

    assert sorted(rows) == seeded
    assert len(seeded) > SalesHistory.objects.count()


@pytest.mark.django_db
def test_demo_dealer_has_an_invoice_a_partly_paid_receivable_and_can_ask_for_more():
    """Issue 21's walk: a shipped order with its invoice, a partly paid receivable
    not invoiced yet, and one tap asks for its invoice; the rep's list shows it."""
    from dealers.models import DealerUser
    from orders import selectors, services

    seed()
    owner = DealerUser.objects.select_related("dealer").get(
        dealer__code="D00001", role=DealerUser.Role.OWNER
    )
    invoices = list(selectors.invoice_list(dealer=owner.dealer))
    assert [i.number for i in invoices] == ["31000261"]
    partly = [
        r
        for r in selectors.receivable_list(dealer=owner.dealer)
        if 0 < r.open_amount < r.amount
    ]
    assert partly, "no partly paid receivable"
    request = services.invoice_request_create(dealer_user=owner, kind="vat_special")
    assert request.amount == sum(r.amount for r in request.receivables.all())
    assert partly[0] in request.receivables.all()


@pytest.mark.django_db
def test_demo_dealer_can_reply_to_a_push_and_the_manager_sees_feedback():
    """Issue 20's walk: the rep's push is in the demo login's inbox with a Reply,
    one question is answered, and feedback with a photo is in this week's summary."""
    from conversations import selectors as conversation_selectors
    from notifications.models import Notification

    seed()
    owner = get_user_model().objects.get(username="demo")
    push = Notification.objects.filter(
        recipient=owner, campaign__isnull=False, campaign__created_by__username="rep"
    ).first()
    assert push is not None, "no push from the rep"
    manager = conversation_selectors.participant_for(
        user=get_user_model().objects.get(username="manager")
    )
    summary = conversation_selectors.feedback_summary(participant=manager)
    assert summary.total == 1
    assert summary.items[0].photos == 1
    answered = conversation_selectors.service_levels(participant=manager)
    assert [level.answered for level in answered] == [1]
