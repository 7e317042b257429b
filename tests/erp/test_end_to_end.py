"""The issue's "done when": erp_sync --once on an empty portal, a dealer orders K/3's
goods with a gift, K/3 holds the sales order with a free line, and its outbound
delivery comes back as a shipment."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dealers.models import Dealer
from erp.models import CustomerMapping, OrderPush, SyncError
from orders import services as order_services
from orders.models import Order, Receivable, Shipment
from promos import services as promo_services
from tests.dealers.factories import DealerUserFactory
from tests.erp.company import LIST_A, ORG, seed_company
from tests.world import gift_promotion

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(k3_settings, fake_k3):
    k3_settings["DEFAULT_TIER"] = LIST_A
    seed_company(fake_k3)
    # K/3 customers carry no credit limit for the portal: the mapping table does.
    CustomerMapping.objects.create(customer="C-0001", credit_limit=Decimal("200000"))
    return fake_k3


def _tea_gift_promotion():
    data = gift_promotion(
        code="P2026-0042",
        name="龙井买十赠一",
        sales_org=ORG,
        audience={"tiers": [LIST_A]},
        condition={"type": "quantity", "items": {"skus": ["M-TEA-01"]}, "min": 10},
        reward={"type": "gift", "options": [{"sku": "M-GIFT-01", "quantity": 1}]},
    )
    promo_services.promotion_save(data=data, by=None)
    promo_services.promotion_submit(code=data["code"], by=None)
    promo_services.promotion_approve(code=data["code"], by=None)


def test_first_sync_order_with_a_gift_and_its_shipment(
    company, client, django_capture_on_commit_callbacks
):
    # given: an empty portal, one run of the pull
    call_command("erp_sync", "--once", "--no-progress")
    dealer = Dealer.objects.get(code="C-0001")
    user = DealerUserFactory(dealer=dealer, user__username="mingxiang")
    client.force_login(user.user)

    # the dealer sees K/3's material at K/3's price in K/3's unit
    page = client.get(reverse("portal:catalog")).content.decode()
    assert "西湖龙井" in page
    assert "1,280.00" in page
    assert "箱" in page

    # when: the dealer orders 10 箱 and earns a cup; the push runs once committed
    _tea_gift_promotion()
    with django_capture_on_commit_callbacks(execute=True):
        placement = order_services.order_place(
            dealer=dealer, lines=[("M-TEA-01", 10)], idempotency_key="k-1"
        )
    order = Order.objects.get(pk=placement.order.pk)

    # then: K/3 holds the audited sales order, numbered as the portal's, a free line
    bill = company.find("SAL_SaleOrder", FBillNo=order.number)
    assert bill is not None
    assert bill.fields["FDocumentStatus"] == "C"
    assert bill.fields["FCustId.FNumber"] == "C-0001"
    assert "P2026-0042" in bill.fields["FNote"]
    free = [e for e in bill.entries if e["FIsFree"]]
    assert free == [
        {
            "FMaterialId.FNumber": "M-GIFT-01",
            "FUnitID.FNumber": "Pcs",
            "FQty": 1,
            "FTaxPrice": 0,
            "FIsFree": True,
            "FEntryNote": "gift P2026-0042",
        }
    ]
    assert order.erp_status == Order.ErpStatus.PUSHED
    assert order.erp_number == order.number
    page = client.get(reverse("portal:orders-detail", args=[order.number]))
    assert 'data-testid="order-erp"' in page.content.decode()

    # and: K/3 ships it (the gift too) from Hangzhou; the next pull posts the shipment
    company.add(
        "SAL_OUTSTOCK",
        {
            "FID": 9001,
            "FBillNo": "XSCKD000123",
            "FDate": "2026-06-05T00:00:00",
            "FCustomerID.FNumber": "C-0001",
            "FDocumentStatus": "C",
        },
        [
            {
                "FMaterialID.FNumber": "M-TEA-01",
                "FRealQty": 200,  # in Pcs: 10 箱
                "FUnitID.FNumber": "Pcs",
                "FIsFree": False,
                "FSoorDerno": order.number,
                "FStockID.FNumber": "CK-HZ",
            },
            {
                "FMaterialID.FNumber": "M-GIFT-01",
                "FRealQty": 1,
                "FUnitID.FNumber": "Pcs",
                "FIsFree": True,
                "FSoorDerno": order.number,
                "FStockID.FNumber": "CK-HZ",
            },
        ],
        modified=datetime.now().replace(microsecond=0),
    )
    call_command("erp_sync", "--once", "--no-progress", "--forms", "SAL_OUTSTOCK")
    shipment = Shipment.objects.get(order=order)
    lines = {(line.sku, line.quantity, line.is_gift) for line in shipment.lines.all()}
    assert lines == {("M-TEA-01", 10, False), ("M-GIFT-01", 1, True)}
    # a re-run of the same window ships nothing twice
    call_command(
        "erp_sync", "--once", "--no-progress", "--forms", "SAL_OUTSTOCK", "--full"
    )
    assert Shipment.objects.filter(order=order).count() == 1

    # and: K/3's receivable for that shipment links to the portal's and sets its due
    # date; one for money the portal never raised is reported, not invented
    receivable = Receivable.objects.get(order=order)
    company.add(
        "AR_receivable",
        {
            "FID": 9101,
            "FBillNo": "AR00000077",
            "FDATE": "2026-06-05T00:00:00",
            "FENDDATE_H": "2026-07-20T00:00:00",
            "FCUSTOMERID.FNumber": "C-0001",
            "FALLAMOUNTFOR": float(receivable.amount),
            "FDOCUMENTSTATUS": "C",
        },
        modified=datetime.now().replace(microsecond=0),
    )
    company.add(
        "AR_receivable",
        {
            "FID": 9102,
            "FBillNo": "AR00000078",
            "FDATE": "2026-06-05T00:00:00",
            "FENDDATE_H": "2026-07-20T00:00:00",
            "FCUSTOMERID.FNumber": "C-0001",
            "FALLAMOUNTFOR": 12.34,
            "FDOCUMENTSTATUS": "C",
        },
        modified=datetime.now().replace(microsecond=0),
    )
    call_command("erp_sync", "--once", "--no-progress", "--forms", "AR_receivable")
    receivable.refresh_from_db()
    assert receivable.erp_number == "AR00000077"
    assert receivable.due_date == date(2026, 7, 20)
    assert Receivable.objects.filter(order__dealer=dealer).count() == 1
    error = SyncError.objects.get(form="AR_receivable")
    assert "AR00000078" in error.reason
    assert "12.34" in error.reason
    # a re-run matches the same bill to the same receivable
    call_command(
        "erp_sync", "--once", "--no-progress", "--forms", "AR_receivable", "--full"
    )
    receivable.refresh_from_db()
    assert receivable.erp_number == "AR00000077"


def test_a_push_that_timed_out_after_saving_is_not_saved_twice(
    company, django_capture_on_commit_callbacks
):
    """Save reached K/3 but the answer timed out: the retry finds the bill by its
    number and goes on to submit/audit; one bill, and the rep saw the failure."""
    call_command("erp_sync", "--once", "--no-progress")
    dealer = Dealer.objects.get(code="C-0001")
    company.fail("timeout_after", "Save", seconds=2.0)
    with django_capture_on_commit_callbacks(execute=True):
        placement = order_services.order_place(
            dealer=dealer, lines=[("M-TEA-02", 2)], idempotency_key="k-2"
        )
    number = placement.order.number
    order = Order.objects.get(number=number)
    assert order.erp_status == Order.ErpStatus.FAILED
    assert "timed out" in order.erp_error
    assert order.events.filter(kind="erp_failed").exists()
    push = OrderPush.objects.get(order_number=number)
    assert push.next_attempt_at is not None

    from erp import tasks

    OrderPush.objects.filter(pk=push.pk).update(next_attempt_at=push.updated_at)
    tasks.tick.call()

    assert [op for op, _ in company.calls].count("Save") == 1
    assert len(company.tables["SAL_SaleOrder"]) == 1
    order.refresh_from_db()
    assert order.erp_status == Order.ErpStatus.PUSHED
    assert (
        company.find("SAL_SaleOrder", FBillNo=number).fields["FDocumentStatus"] == "C"
    )


def test_an_order_on_credit_hold_waits_for_the_release(
    company, django_capture_on_commit_callbacks
):
    """An order over the dealer's credit is not sent to K/3 until the rep releases it."""
    call_command("erp_sync", "--once", "--no-progress")
    dealer = Dealer.objects.get(code="C-0002")  # no mapping: no credit
    with django_capture_on_commit_callbacks(execute=True):
        placement = order_services.order_place(
            dealer=dealer, lines=[("M-DRK-01", 3)], idempotency_key="k-3"
        )
    number = placement.order.number
    assert Order.objects.get(number=number).erp_status == Order.ErpStatus.PENDING
    assert company.find("SAL_SaleOrder", FBillNo=number) is None
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_release(number=number, by=None)
    assert Order.objects.get(number=number).erp_status == Order.ErpStatus.PUSHED
    assert company.find("SAL_SaleOrder", FBillNo=number) is not None


def test_a_cancelled_order_is_withdrawn_from_k3(
    company, django_capture_on_commit_callbacks
):
    """Cancelling in the portal unaudits and deletes the K/3 sales order."""
    call_command("erp_sync", "--once", "--no-progress")
    dealer = Dealer.objects.get(code="C-0001")
    with django_capture_on_commit_callbacks(execute=True):
        number = order_services.order_place(
            dealer=dealer, lines=[("M-TEA-02", 1)], idempotency_key="k-4"
        ).order.number
    assert company.find("SAL_SaleOrder", FBillNo=number) is not None
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(number=number, lines=None, by=None)
    assert company.find("SAL_SaleOrder", FBillNo=number) is None


def test_no_connector_no_erp(db, settings):
    """Without K3CLOUD_URL the connector is off, says so, and orders carry no erp."""
    settings.K3CLOUD = {**settings.K3CLOUD, "URL": ""}
    with pytest.raises(CommandError, match="K3CLOUD_URL") as caught:
        call_command("erp_sync", "--once")
    assert caught.value.returncode == 2
