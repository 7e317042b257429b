"""The payments section: balances, what to pay, statements with confirm/dispute and xlsx."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Warehouse
from dealers.models import DealerUser
from orders import services
from orders.models import StatementConfirmation
from tests.dealers.factories import DealerFactory, DealerUserFactory


@pytest.fixture
def owner_client(client, world):
    user = DealerUserFactory(dealer=world["dealer"], user__username="d1owner").user
    client.force_login(user)
    return client


@pytest.fixture
def shipped(world):
    Warehouse.objects.create(code="SH", name="上海仓")
    order = services.order_place(
        dealer=world["dealer"], lines=[("TEA-A-01", 10)], idempotency_key="k"
    ).order
    result = services.shipment_post(
        external_id="E1",
        order_number=order.number,
        warehouse="SH",
        lines=[("TEA-A-01", 10, False)],
    )
    services.receipt_post(
        external_id="R1",
        dealer=world["dealer"],
        amount=Decimal("400.00"),
        date=datetime.date.today(),
    )
    return order, result.shipment


def test_payments_page_shows_balances_and_what_to_pay(owner_client, shipped):
    order, _shipment = shipped
    page = owner_client.get(reverse("portal:payments")).content.decode()
    assert "¥700.00" in page  # open after the ¥400 payment of ¥1,100
    assert order.number in page
    assert "¥400.00" in page


def test_statement_page_and_xlsx(owner_client, shipped):
    page = owner_client.get(reverse("portal:statement"))
    assert page.status_code == 200
    assert "¥1,100.00" in page.content.decode()
    download = owner_client.get(reverse("portal:statement"), {"format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(download.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert Decimal("700") in [
        Decimal(str(v)) for v in values if isinstance(v, (int, float))
    ]


def test_statement_xlsx_names_movements_in_the_readers_language(owner_client, shipped):
    """The download's kind column says 发货 / 付款 in Chinese, never the code."""
    owner_client.cookies["django_language"] = "zh-hans"
    download = owner_client.get(reverse("portal:statement"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(download.content)).active
    kinds = [row[1].value for row in sheet.iter_rows(min_row=6)][:-1]
    assert kinds == ["发货", "付款"]


def test_statement_shows_invoices_and_each_order_four_ways(owner_client, shipped):
    """An invoice and a credit note are movements that move no money; the order reads
    shipped / billed / invoiced / paid with the uninvoiced gap, on the page and in
    the download's second sheet."""
    order, _shipment = shipped
    receivable = order.receivables.get()
    today = datetime.date.today()
    for external_id, amount, reverses in (
        ("INV-9", "600.00", ""),
        ("CN-9", "100.00", "No.INV-9"),
    ):
        services.invoice_record(
            external_id=external_id,
            dealer=order.dealer,
            number=f"No.{external_id}",
            kind="vat_special",
            date=today,
            amount=Decimal(amount),
            tax_amount=Decimal("10.00"),
            receivables=[(receivable.number, Decimal(amount))],
            reverses=reverses,
        )
    owner_client.cookies["django_language"] = "en"
    page = owner_client.get(reverse("portal:statement")).content.decode()
    assert page.count('data-testid="statement-invoice"') == 2
    assert "No.INV-9 · ¥600.00" in page
    assert "No.CN-9 · −¥100.00" in page
    assert "¥600.00 not invoiced" in page  # billed 1,100, invoiced 600 − 100
    owner_client.cookies["django_language"] = "zh-hans"
    download = owner_client.get(reverse("portal:statement"), {"format": "xlsx"})
    book = load_workbook(BytesIO(download.content))
    kinds = [row[1].value for row in book.worksheets[0].iter_rows(min_row=6)][:-1]
    assert kinds == ["发货", "付款", "发票", "红字发票"]
    balances = [row[5].value for row in book.worksheets[0].iter_rows(min_row=6)]
    assert balances[-3] == balances[-2] == balances[-1]  # invoices move no money
    by_order = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(r[0], *(Decimal(str(v)) for v in r[1:])) for r in by_order] == [
        (
            order.number,
            Decimal("1100"),
            Decimal("1100"),
            Decimal("500"),
            Decimal("400"),
            Decimal("700"),
            Decimal("600"),
        )
    ]


def test_dispute_needs_a_note_and_reaches_the_rep_side(owner_client, shipped):
    today = datetime.date.today()
    period = {"start": today.replace(day=1), "end": today}
    owner_client.post(
        reverse("portal:statement-respond"), {**period, "action": "dispute", "note": ""}
    )
    assert not StatementConfirmation.objects.exists()
    owner_client.post(
        reverse("portal:statement-respond"),
        {**period, "action": "dispute", "note": "Receipt R9 missing"},
    )
    confirmation = StatementConfirmation.objects.get()
    assert (confirmation.status, confirmation.note) == (
        "disputed",
        "Receipt R9 missing",
    )


def test_viewer_cannot_confirm_a_statement(client, world, shipped):
    viewer = DealerUserFactory(
        dealer=world["dealer"], role=DealerUser.Role.VIEWER, user__username="viewer"
    ).user
    client.force_login(viewer)
    today = datetime.date.today()
    response = client.post(
        reverse("portal:statement-respond"),
        {"start": today, "end": today, "action": "confirm"},
    )
    assert response.status_code == 403


def test_another_dealer_cannot_confirm_my_shipment(client, world, shipped):
    order, shipment = shipped
    other = DealerFactory(sales_org=world["orgs"]["EAST-SH"])
    client.force_login(DealerUserFactory(dealer=other, user__username="intruder").user)
    url = reverse(
        "portal:orders-shipment-confirm", args=[order.number, shipment.number]
    )
    assert client.post(url).status_code == 404
    shipment.refresh_from_db()
    assert shipment.confirmed_at is None


def test_confirm_receipt(owner_client, shipped):
    order, shipment = shipped
    url = reverse(
        "portal:orders-shipment-confirm", args=[order.number, shipment.number]
    )
    assert owner_client.post(url, {"dispute_note": ""}).status_code == 302
    shipment.refresh_from_db()
    assert shipment.confirmed_at is not None


def test_order_page_shows_the_shipment_timeline_and_payment(owner_client, shipped):
    order, shipment = shipped
    page = owner_client.get(
        reverse("portal:orders-detail", args=[order.number])
    ).content.decode()
    assert shipment.number in page
    assert (
        reverse("portal:orders-shipment-confirm", args=[order.number, shipment.number])
        in page
    )
    assert "¥400.00" in page  # paid so far


def test_statement_date_pickers_hold_iso_dates_in_chinese(owner_client, shipped):
    """Inputs of type date take ISO values only: the Chinese page must not write
    2026/12/01 into them (the browser would show an empty box)."""
    owner_client.cookies["django_language"] = "zh-hans"
    page = owner_client.get(
        reverse("portal:statement"), {"start": "2026-11-01", "end": "2026-11-30"}
    ).content.decode()
    assert 'type="date" name="start" value="2026-11-01"' in page
    assert 'type="date" name="end" value="2026-11-30"' in page
