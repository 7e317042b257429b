"""The nightly reconciliation: nothing listed when the money adds up (after orders,
shipments, a cancellation, a receipt and an invoice), and a planted difference of
each kind listed on the office page, never corrected."""

from decimal import Decimal

from django.core.management import call_command
from django.db.models import F
from django.test import Client

from orders import services
from orders.models import InvoiceAllocation, Receivable, ReconciliationIssue
from tests.api.test_fulfilment_api import place, ship, shop  # noqa: F401 - shop is a fixture
from tests.notifications.factories import rep_for
from tests.portal.conftest import html


def _busy_dealer(api):
    first = place(api, 20, key="k1")
    ship(api, first, 10, external_id="S-1")
    second = place(api, 10, key="k2")
    api.post(
        f"/api/v1/orders/{second}/cancel",
        {"lines": [{"sku": "TEA-A-01", "quantity": 4}]},
    )
    receivable = Receivable.objects.filter(order__number=first).first()
    api.post(
        "/api/v1/receipts",
        {
            "external_id": "R-1",
            "dealer": "D1",
            "amount": "100.00",
            "date": "2026-12-03",
        },
    )
    api.post(
        "/api/v1/invoices",
        {
            "external_id": "INV-1",
            "dealer": "D1",
            "number": "04400001",
            "kind": "vat_normal",
            "date": "2026-12-04",
            "amount": "50.00",
            "tax_amount": "5.75",
            "receivables": [{"number": receivable.number, "amount": "50.00"}],
        },
    )
    return first, receivable


def test_consistent_money_lists_nothing(shop, world):
    _busy_dealer(shop)
    assert services.reconciliation_run() == []
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])
    client = Client()
    client.force_login(rep.user)
    assert 'data-testid="reconciliation-clean"' in html(
        client.get("/office/reconciliation/")
    )


def test_planted_differences_are_listed_and_left_alone(shop, world):
    number, receivable = _busy_dealer(shop)
    receivable.refresh_from_db()
    # planted: an open amount nobody paid away, an invoice beyond the receivable,
    # an order total that no longer matches its lines
    Receivable.objects.filter(pk=receivable.pk).update(
        open_amount=receivable.open_amount - Decimal("1.00")
    )
    InvoiceAllocation.objects.filter(receivable=receivable).update(
        amount=receivable.amount + Decimal("5.00")
    )
    from orders.models import Order

    Order.objects.filter(number=number).update(total=Decimal("1.00"))
    call_command("reconcile", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    kinds = {(i.kind, i.reference) for i in ReconciliationIssue.objects.all()}
    assert kinds == {
        ("paid", receivable.number),
        ("invoiced", receivable.number),
        ("billed", number),
    }
    paid = ReconciliationIssue.objects.get(kind="paid")
    assert paid.actual == paid.expected - Decimal("1.00")
    # listed, not corrected: the planted open amount is still there
    assert Receivable.objects.get(pk=receivable.pk).open_amount == (
        receivable.open_amount - Decimal("1.00")
    )
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])
    client = Client()
    client.force_login(rep.user)
    page = html(client.get("/office/reconciliation/"))
    assert page.count('data-testid="reconciliation-issue"') == 3
    other = rep_for(world, "rep2", org="EAST-SH", serves=[])
    stranger = Client()
    stranger.force_login(other.user)
    assert 'data-testid="reconciliation-clean"' in html(
        stranger.get("/office/reconciliation/")
    )


def test_a_price_cut_after_invoicing_is_listed_until_its_credit_note(shop, world):
    """The order was invoiced in full, then an adjustment in the dealer's favour
    lowered what it owes: the invoice now covers more than is billed, listed until the
    ERP's credit note (红字发票) takes the difference off."""
    number = place(shop, 10, key="k9")
    ship(shop, number, 10, external_id="S-9")
    receivable = Receivable.objects.get(order__number=number)
    invoice = {
        "external_id": "INV-9",
        "dealer": "D1",
        "number": "04400009",
        "kind": "vat_special",
        "date": "2026-12-04",
        "amount": str(receivable.amount),
        "tax_amount": "10.00",
        "receivables": [
            {"number": receivable.number, "amount": str(receivable.amount)}
        ],
    }
    assert shop.post("/api/v1/invoices", invoice).status_code == 201
    from orders.models import Order

    # a price adjustment: the order is worth ¥30 less, credited to the dealer
    Order.objects.filter(number=number).update(total=F("total") - 30)
    services.money.receivable_adjust(
        order=Order.objects.get(number=number), amount=Decimal("-30.00")
    )
    listed = services.reconciliation_run()
    assert [(i.kind, i.reference, i.expected, i.actual) for i in listed] == [
        ("invoiced", number, receivable.amount - 30, receivable.amount)
    ]
    credit = {
        **invoice,
        "external_id": "CN-9",
        "number": "04400010",
        "amount": "30.00",
        "tax_amount": "3.45",
        "receivables": [{"number": receivable.number, "amount": "30.00"}],
        "reverses": "04400009",
    }
    assert shop.post("/api/v1/invoices", credit).status_code == 201
    assert services.reconciliation_run() == []
