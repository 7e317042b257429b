"""Invoice requests through K/3: the dealer's request is pushed down from K/3's
receivable bill to a draft sales invoice; once finance audits it in K/3, the pull
records the invoice and the request closes. A red invoice comes back as a credit
note of the invoice it reverses."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from dealers.models import Dealer, DealerUser, InvoicingDetails
from erp.models import InvoiceRequestPush, SyncError
from orders import services as order_services
from orders.models import Invoice, InvoiceRequest, Order, Receivable
from tests.dealers.factories import DealerUserFactory
from tests.erp.test_end_to_end import company  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _now():
    return datetime.now().replace(microsecond=0)


def _sync(*forms):
    args = ["erp_sync", "--once", "--no-progress"]
    if forms:
        args += ["--forms", ",".join(forms)]
    call_command(*args)


@pytest.fixture
def billed(company, django_capture_on_commit_callbacks):  # noqa: F811
    """C-0001 ordered 10 箱, K/3 shipped them and raised receivable AR00000077."""
    _sync()
    dealer = Dealer.objects.get(code="C-0001")
    owner = DealerUserFactory(dealer=dealer, role=DealerUser.Role.OWNER)
    InvoicingDetails.objects.create(
        dealer=dealer, company_name="明祥茶行", taxpayer_number="91310000MA1FL0000N"
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_place(
            dealer=dealer, lines=[("M-TEA-01", 10)], idempotency_key="k-1"
        ).order
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
                "FRealQty": 200,
                "FUnitID.FNumber": "Pcs",
                "FIsFree": False,
                "FSoorDerno": order.number,
                "FStockID.FNumber": "CK-HZ",
            }
        ],
        modified=_now(),
    )
    _sync("SAL_OUTSTOCK")
    receivable = Receivable.objects.get(order__number=order.number)
    return {"dealer": dealer, "owner": owner, "receivable": receivable, "order": order}


def _bill_in_k3(company, receivable, number="AR00000077"):
    company.add(
        "AR_receivable",
        {
            "FID": 9101,
            "FBillNo": number,
            "FDATE": "2026-06-05T00:00:00",
            "FENDDATE_H": "2026-07-20T00:00:00",
            "FCUSTOMERID.FNumber": "C-0001",
            "FALLAMOUNTFOR": float(receivable.amount),
            "FDOCUMENTSTATUS": "C",
        },
        modified=_now(),
    )


def test_a_request_becomes_a_k3_invoice_and_its_status_comes_back(company, billed):  # noqa: F811
    receivable = billed["receivable"]
    request = order_services.invoice_request_create(
        dealer_user=billed["owner"], kind="vat_special"
    )
    # K/3 has not billed the shipment yet: the request waits for it
    _sync("AR_receivable")
    push = InvoiceRequestPush.objects.get(request_number=request.number)
    assert push.status == InvoiceRequestPush.Status.WAITING
    assert receivable.number in push.error
    assert "IV_SALESIC" not in company.tables

    # K/3 bills it; the next run matches the bill, then pushes the request down
    _bill_in_k3(company, receivable)
    _sync("AR_receivable")
    _sync("IV_SALESIC")
    push.refresh_from_db()
    assert push.status == InvoiceRequestPush.Status.PUSHED
    [draft] = company.tables["IV_SALESIC"]
    assert push.erp_numbers == [draft.fields["FBillNo"]]
    assert draft.entries[0]["FSRCBILLNO"] == "AR00000077"
    assert ("Push", "IV_ReceivableToSalesIC_Entry") in [
        (op, data.get("RuleId")) for op, data in company.calls
    ]
    request.refresh_from_db()
    assert request.status == InvoiceRequest.Status.OPEN  # a draft is no invoice

    # finance audits it in K/3: the pull records the invoice and closes the request
    company.update(
        "IV_SALESIC",
        {"FBillNo": draft.fields["FBillNo"]},
        {"FDOCUMENTSTATUS": "C"},
        modified=_now(),
    )
    _sync("IV_SALESIC")
    invoice = Invoice.objects.get(number=draft.fields["FBillNo"])
    assert invoice.kind == Invoice.Kind.VAT_SPECIAL
    assert invoice.amount == receivable.amount
    assert invoice.tax_amount == (receivable.amount * 13 / 113).quantize(
        Decimal("0.01")
    )
    request.refresh_from_db()
    assert request.status == InvoiceRequest.Status.ISSUED
    # nothing is pushed or recorded twice
    _sync("IV_SALESIC")
    call_command(
        "erp_sync", "--once", "--no-progress", "--forms", "IV_SALESIC", "--full"
    )
    assert Invoice.objects.count() == 1
    assert len(company.tables["IV_SALESIC"]) == 1

    # a red invoice against it (a price adjustment) comes back as a credit note
    company.add(
        "IV_SALESIC",
        {
            "FID": 9301,
            "FBillNo": "IV-RED-0001",
            "FDATE": "2026-06-20T00:00:00",
            "FCUSTOMERID.FNumber": "C-0001",
            "FDOCUMENTSTATUS": "C",
        },
        [
            {
                "FSRCBILLNO": invoice.number,
                "FALLAMOUNTFOR": -113.0,
                "FDETAILTAXAMOUNTFOR": -13.0,
            }
        ],
        modified=_now(),
    )
    _sync("IV_SALESIC")
    credit = Invoice.objects.get(number="IV-RED-0001")
    assert credit.reverses == invoice
    assert credit.amount == Decimal("113.00")
    assert credit.tax_amount == Decimal("13.00")
    statement_invoiced = sum(a.amount for a in receivable.invoice_allocations.all())
    assert statement_invoiced == receivable.amount - Decimal("113.00")


def test_an_invoice_for_a_receivable_the_portal_does_not_know_is_reported(
    company,  # noqa: F811
    billed,
):
    company.add(
        "IV_SALESOC",
        {
            "FID": 9401,
            "FBillNo": "IV-OC-0001",
            "FDATE": "2026-06-20T00:00:00",
            "FCUSTOMERID.FNumber": "C-0001",
            "FDOCUMENTSTATUS": "C",
        },
        [
            {
                "FSRCBILLNO": "AR-NOBODY",
                "FALLAMOUNTFOR": 50.0,
                "FDETAILTAXAMOUNTFOR": 5.75,
            }
        ],
        modified=_now(),
    )
    _sync("IV_SALESOC")
    assert not Invoice.objects.exists()
    error = SyncError.objects.get(form="IV_SALESOC")
    assert "AR-NOBODY" in error.reason
    assert Order.objects.count() == 1


def test_a_refused_push_is_retried_later(company, billed):  # noqa: F811
    _bill_in_k3(company, billed["receivable"])
    _sync("AR_receivable")
    request = order_services.invoice_request_create(
        dealer_user=billed["owner"], kind="vat_normal"
    )
    company.fail("msgcode", operation="Push", message="下推失败：网络异常")
    _sync("IV_SALESOC")
    push = InvoiceRequestPush.objects.get(request_number=request.number)
    assert push.status == InvoiceRequestPush.Status.FAILED
    assert push.attempts == 1
    assert "下推失败" in push.error
    assert push.next_attempt_at is not None
    InvoiceRequestPush.objects.filter(pk=push.pk).update(next_attempt_at=None)
    push.refresh_from_db()
    # due again (the rep's retry or the backoff's end)
    InvoiceRequestPush.objects.filter(pk=push.pk).update(
        next_attempt_at=datetime(2026, 1, 1, tzinfo=push.updated_at.tzinfo)
    )
    _sync("IV_SALESOC")
    push.refresh_from_db()
    assert push.status == InvoiceRequestPush.Status.PUSHED
    assert len(company.tables["IV_SALESOC"]) == 1
