"""A dealer's invoicing details (a valid unified social credit code) and one-tap
invoice requests for shipped, uninvoiced goods: listed for the ERP, closed when the
ERP records the invoice; shown on the dealer's invoices page."""

import pytest
from django.conf import settings
from django.test import Client

from common.errors import Forbidden, InvalidInput
from dealers import services as dealer_services
from orders import services
from orders.models import InvoiceRequest, Receivable
from tests.api.test_fulfilment_api import place, ship, shop  # noqa: F401 - shop is a fixture
from tests.portal.conftest import html

USCC = "91110000600037341L"  # a well-formed code (check character L)


@pytest.fixture
def world(world):
    """The API world with the dealer's owner and a viewer."""
    from dealers.models import DealerUser
    from tests.dealers.factories import DealerUserFactory

    return {
        **world,
        "owner": DealerUserFactory(dealer=world["dealer"], role=DealerUser.Role.OWNER),
        "viewer": DealerUserFactory(
            dealer=world["dealer"], role=DealerUser.Role.VIEWER
        ),
    }


def _details(dealer_user, **overrides):
    return dealer_services.invoicing_details_set(
        dealer_user=dealer_user,
        **{
            "company_name": "上海茶叶贸易有限公司",
            "taxpayer_number": USCC,
            "bank": "工商银行上海分行",
            "bank_account": "1001 2345 6789",
            "address": "上海市黄浦区",
            "phone": "021-12345678",
            **overrides,
        },
    )


@pytest.mark.parametrize(
    "number", ["91110000600037341M", "9111000060003734", "91110000600037341I", ""]
)
def test_a_malformed_taxpayer_number_is_refused_with_the_reason(world, number):
    with pytest.raises(InvalidInput) as refused:
        _details(world["owner"], taxpayer_number=number)
    (error,) = [e for e in refused.value.errors if e["field"] == "taxpayer_number"]
    assert error["message"]


def test_a_lower_case_code_with_spaces_is_stored_as_printed(world):
    details = _details(world["owner"], taxpayer_number=" 91110000 600037341l ")
    assert details.taxpayer_number == USCC


def test_a_viewer_cannot_change_invoicing_details(world):
    with pytest.raises(Forbidden):
        _details(world["viewer"])


def test_one_tap_requests_what_shipped_and_the_erp_closes_it(shop, world):
    number = place(shop, 20)
    first = ship(shop, number, 10, external_id="S-1")["receivable"]["number"]
    _details(world["owner"])
    request = services.invoice_request_create(
        dealer_user=world["owner"], kind="vat_special"
    )
    receivable = Receivable.objects.get(number=first)
    assert list(request.receivables.values_list("number", flat=True)) == [first]
    assert request.amount == receivable.amount
    assert request.details["taxpayer_number"] == USCC
    # asked already, nothing new shipped: nothing to request
    with pytest.raises(InvalidInput) as nothing:
        services.invoice_request_create(dealer_user=world["owner"], kind="vat_special")
    assert nothing.value.code == "nothing_to_invoice"

    listed = shop.get("/api/v1/invoice-requests").json()
    assert [r["number"] for r in listed] == [request.number]
    assert listed[0]["receivables"] == [
        {"number": first, "amount": f"{receivable.amount:.2f}"}
    ]
    assert listed[0]["details"]["company_name"] == "上海茶叶贸易有限公司"

    # the ERP issues it: the request is done, the next shipment can be requested
    issued = shop.post(
        "/api/v1/invoices",
        {
            "external_id": "INV-1",
            "dealer": "D1",
            "number": "04400001",
            "kind": "vat_special",
            "date": "2026-12-04",
            "amount": f"{receivable.amount:.2f}",
            "tax_amount": "0.00",
            "receivables": [{"number": first, "amount": f"{receivable.amount:.2f}"}],
        },
    )
    assert issued.status_code == 201, issued.content
    request.refresh_from_db()
    assert request.status == InvoiceRequest.Status.ISSUED
    assert shop.get("/api/v1/invoice-requests").json() == []
    second = ship(shop, number, 10, external_id="S-2")["receivable"]["number"]
    again = services.invoice_request_create(
        dealer_user=world["owner"], kind="vat_normal"
    )
    assert list(again.receivables.values_list("number", flat=True)) == [second]


def test_the_invoices_page_saves_details_and_requests_with_one_tap(shop, world):
    number = place(shop, 10)
    ship(shop, number, 10, external_id="S-1")
    client = Client()
    client.force_login(world["owner"].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get("/payments/invoices/"))
    assert "Fill in your invoicing details first." in page
    bad = html(
        client.post(
            "/payments/invoices/",
            {"company_name": "Tea Co", "taxpayer_number": "12345"},
        )
    )
    assert "unified social credit code as printed" in bad
    saved = client.post(
        "/payments/invoices/",
        {"company_name": "Tea Co", "taxpayer_number": USCC},
        follow=True,
    )
    assert "Your invoicing details are saved." in html(saved)
    done = html(
        client.post("/payments/invoices/request/", {"kind": "vat_special"}, follow=True)
    )
    assert "Invoice requested for" in done
    assert 'data-testid="invoice-request-row"' in done
    zh = Client()
    zh.force_login(world["owner"].user)
    zh.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "开票信息" in html(zh.get("/payments/invoices/"))


def test_the_rep_who_serves_the_dealer_sees_the_request(shop, world):
    from tests.notifications.factories import rep_for

    number = place(shop, 10)
    ship(shop, number, 10, external_id="S-1")
    _details(world["owner"])
    request = services.invoice_request_create(
        dealer_user=world["owner"], kind="vat_special"
    )
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])
    other = rep_for(world, "rep2", org="EAST-SH", serves=[])
    seen = Client()
    seen.force_login(rep.user)
    page = html(seen.get("/office/invoice-requests/"))
    assert request.number in page
    assert USCC in page
    elsewhere = Client()
    elsewhere.force_login(other.user)
    assert request.number not in html(elsewhere.get("/office/invoice-requests/"))
