"""The pull against the fake K/3 Cloud: a full sync of a small company, incremental
runs that read only changed rows, and faults that lose nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from catalog.models import Category, Product, Stock, TierPrice
from dealers.models import Dealer
from erp import sync
from erp.client import K3Client
from erp.models import SyncError, SyncRun, SyncState
from tests.erp.company import LIST_A, LIST_B, seed_company
from tests.erp.conftest import k3_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(fake_k3):
    seed_company(fake_k3)
    return fake_k3


@pytest.fixture
def client(company):
    with K3Client(k3_config(company, default_tier=LIST_A)) as client:
        yield client


def test_full_sync_of_a_small_company(client):
    """Orgs, groups, units, materials, customers, price lists and stock arrive, in
    K/3's units at K/3's prices; the malformed material is reported, not fatal."""
    outcome = sync.sync_run(client=client)

    assert outcome.ok
    assert Category.objects.get(code="01.01").get_parent().code == "01"
    tea = Product.objects.get(sku="M-TEA-01")
    assert tea.name == "西湖龙井 250g×20罐"
    assert tea.unit == "箱"
    assert tea.category.code == "01.01"
    assert tea.list_price == Decimal("1280.00")
    with translation.override("zh-hans"):
        assert Product.objects.get(sku="M-DRK-01").get_unit_display() == "箱"
        assert Product.objects.get(sku="M-GIFT-01").get_unit_display() == "个"
    assert not Product.objects.filter(sku="M-OTHER-01").exists()  # another org's
    # Prices per K/3 unit become prices per the product's unit (62 / Pcs × 20).
    assert TierPrice.objects.get(tier=LIST_B, product=tea).price == Decimal("1240.00")
    assert TierPrice.objects.get(tier=LIST_A, product=tea).price == Decimal("1280.00")
    dealer = Dealer.objects.get(code="C-0002")
    assert dealer.name == "苏州福茶贸易有限公司"
    assert dealer.tier.code == LIST_B
    assert dealer.sales_org.code == "100"
    # On hand in 箱 per warehouse, lots added up (base Pcs / 20).
    stock = {
        (s.warehouse.code, s.product.sku): s.quantity
        for s in Stock.objects.select_related("warehouse", "product")
    }
    assert stock[("CK-HZ", "M-TEA-01")] == 100
    assert stock[("CK-SH", "M-TEA-01")] == 20
    assert stock[("CK-HZ", "M-DRK-01")] == 100
    assert stock[("CK-HZ", "M-GIFT-01")] == 50
    error = SyncError.objects.get()
    assert (error.form, error.erp_id) == ("BD_MATERIAL", "35")
    assert "group" in error.reason
    run = outcome.run
    assert run.progress["BD_MATERIAL"]["rows"] == 5
    assert run.progress["BD_MATERIAL"]["errors"] == 1
    assert all(p["done"] for p in run.progress.values())


def test_incremental_sync_reads_only_changed_rows(company, client):
    """A second run reads only what changed since the watermark (less the overlap);
    a third run with nothing changed writes nothing."""
    sync.sync_run(client=client)
    changed_at = timezone.localtime().replace(tzinfo=None, microsecond=0)
    company.update(
        "BD_MATERIAL",
        {"FNumber": "M-TEA-02"},
        {"FName": "洞庭碧螺春(新)"},
        modified=changed_at,
    )
    company.update(
        "BD_Customer",
        {"FNumber": "C-0001"},
        {"FForbidStatus": "B"},
        modified=changed_at,
    )

    second = sync.sync_run(client=client).run

    assert second.progress["BD_MATERIAL"]["rows"] == 1
    assert second.progress["BD_Customer"]["rows"] == 1
    assert second.progress["BD_UNIT"]["rows"] == 0
    assert Product.objects.get(sku="M-TEA-02").name.startswith("洞庭碧螺春(新)")
    assert not Dealer.objects.get(code="C-0001").active  # forbidden = inactive
    query = next(
        data
        for op, data in reversed(company.calls)
        if op == "ExecuteBillQuery" and data["FormId"] == "BD_MATERIAL"
    )
    assert "FModifyDate >= " in query["FilterString"]
    assert "FUseOrgId.FNumber = '100'" in query["FilterString"]


def test_rerun_of_the_same_window_changes_nothing(client):
    """A full re-run (every row again) leaves the portal as it was."""
    sync.sync_run(client=client)
    before = (
        list(Product.objects.values_list("sku", "name", "unit", "list_price")),
        list(TierPrice.objects.values_list("tier", "product__sku", "price")),
        list(Stock.objects.values_list("warehouse__code", "product__sku", "quantity")),
        Dealer.objects.count(),
    )
    assert sync.sync_run(client=client, full=True).ok
    after = (
        list(Product.objects.values_list("sku", "name", "unit", "list_price")),
        list(TierPrice.objects.values_list("tier", "product__sku", "price")),
        list(Stock.objects.values_list("warehouse__code", "product__sku", "quantity")),
        Dealer.objects.count(),
    )
    assert after == before


def test_paging_many_rows_through_the_pull(company, client):
    """More rows than a page (2000) are all read, in several pages."""
    for i in range(2100):
        company.add(
            "BD_UNIT",
            {
                "FUNITID": 10_000 + i,
                "FNumber": f"U{i}",
                "FName": f"单位{i}",
                "FPrecision": 0,
            },
        )
    run = sync.sync_run(client=client, form_names=["BD_UNIT"]).run
    assert run.progress["BD_UNIT"]["rows"] == 2104
    assert run.progress["BD_UNIT"]["pages"] == 2


@pytest.mark.parametrize("kind", ["timeout", "519", "500"])
def test_an_unreachable_erp_fails_the_run_and_loses_nothing(company, client, kind):
    """A fault mid-run fails it (not ok), keeps the form's watermark; the next run
    reads the rest and ends where a clean run would."""
    company.fail(kind, "ExecuteBillQuery", seconds=2.0)
    first = sync.sync_run(client=client, form_names=["BD_UNIT", "BD_MATERIALGROUP"])
    assert not first.ok
    assert first.run.status == SyncRun.Status.FAILED
    assert SyncState.objects.filter(watermark__isnull=False).count() == 0

    second = sync.sync_run(client=client, form_names=["BD_UNIT", "BD_MATERIALGROUP"])
    assert second.ok
    assert Category.objects.filter(code__in=["01", "01.01", "02", "09"]).count() == 4


def test_session_expiring_mid_run_loses_nothing(fake_k3_password):
    """A password session lost between pages: log in again, carry on, all rows in."""
    seed_company(fake_k3_password)
    for i in range(30):
        fake_k3_password.add(
            "BD_UNIT",
            {
                "FUNITID": 10_000 + i,
                "FNumber": f"U{i}",
                "FName": f"单位{i}",
                "FPrecision": 0,
            },
        )
    pages_seen = []

    def expire_after_first_page(form, progress):
        if progress["pages"] == 1 and not pages_seen:
            pages_seen.append(form)
            fake_k3_password.expire_sessions()

    with K3Client(k3_config(fake_k3_password, page_size=10)) as client:
        outcome = sync.sync_run(
            client=client, form_names=["BD_UNIT"], on_progress=expire_after_first_page
        )
    assert outcome.ok
    assert outcome.run.progress["BD_UNIT"]["rows"] == 34
    assert fake_k3_password.logins == 2


def test_two_runs_never_overlap(client):
    """While one pull holds the lock another is refused; an expired lock is taken."""
    assert sync.lock_acquire(holder="other-host:1")
    with pytest.raises(sync.SyncBusy):
        sync.sync_run(client=client)
    assert sync.lock_acquire(
        holder="me:2", now=timezone.now() + sync.LOCK_TTL + timedelta(seconds=1)
    )
