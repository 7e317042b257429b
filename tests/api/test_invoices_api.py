"""Receipts that name what they pay, write-off rules, and tax invoices (发票)."""

from decimal import Decimal

import pytest

from dealers.models import Dealer
from orders.models import Receipt, Receivable, WriteOff
from tests.api.test_fulfilment_api import place, ship, shop  # noqa: F401 - shop is a fixture


@pytest.fixture
def two_receivables(shop):
    """Two shipments of one order: an older and a newer receivable."""
    number = place(shop, 20)
    older = ship(shop, number, 10, external_id="S-OLD")["receivable"]["number"]
    newer = ship(shop, number, 10, external_id="S-NEW")["receivable"]["number"]
    Receivable.objects.filter(number=older).update(due_date="2027-01-01")
    Receivable.objects.filter(number=newer).update(due_date="2027-02-01")
    return {"order": number, "older": older, "newer": newer}


def _receipt(api, amount, **extra):
    return api.post(
        "/api/v1/receipts",
        {
            "external_id": extra.pop("external_id", "R-1"),
            "dealer": "D1",
            "amount": amount,
            "date": "2026-12-03",
            **extra,
        },
    )


def _open(number):
    return Receivable.objects.get(number=number).open_amount


def test_a_receipt_naming_the_newer_receivable_pays_that_one(shop, two_receivables):
    newer = two_receivables["newer"]
    amount = str(Receivable.objects.get(number=newer).amount)
    response = _receipt(
        shop, amount, allocations=[{"receivable": newer, "amount": amount}]
    )
    assert response.status_code == 201, response.content
    assert _open(newer) == 0
    assert _open(two_receivables["older"]) > 0


def test_unnamed_money_goes_oldest_due_first(shop, two_receivables):
    _receipt(shop, "100.00")
    older = Receivable.objects.get(number=two_receivables["older"])
    assert older.amount - older.open_amount == Decimal("100.00")


@pytest.mark.parametrize(
    ("allocations", "code"),
    [
        ([{"receivable": "NOPE", "amount": "10.00"}], "invalid_allocation"),
        ([{"receivable": "OLDER", "amount": "5000.00"}], "allocation_exceeds_open"),
        (
            [
                {"receivable": "OLDER", "amount": "600.00"},
                {"receivable": "NEWER", "amount": "600.00"},
            ],
            "allocation_exceeds_receipt",
        ),
    ],
)
def test_bad_allocations_are_a_422_and_write_nothing(
    shop,
    two_receivables,
    allocations,
    code,
):
    names = {"OLDER": two_receivables["older"], "NEWER": two_receivables["newer"]}
    for allocation in allocations:
        allocation["receivable"] = names.get(
            allocation["receivable"], allocation["receivable"]
        )
    response = _receipt(
        shop, "1000.00" if "receipt" in code else "9000.00", allocations=allocations
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert not Receipt.objects.exists()
    assert not WriteOff.objects.exists()


def test_another_dealers_receivable_cannot_be_paid(shop, two_receivables, world):
    from tests.dealers.factories import DealerFactory

    DealerFactory(
        code="D9", sales_org=world["orgs"]["EAST-SH"], tier=world["dealer"].tier
    )
    response = shop.post(
        "/api/v1/receipts",
        {
            "external_id": "R-9",
            "dealer": "D9",
            "amount": "10.00",
            "date": "2026-12-03",
            "allocations": [
                {"receivable": two_receivables["older"], "amount": "10.00"}
            ],
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_allocation"


def test_a_dealer_paid_per_order_pays_only_the_order_named(shop, two_receivables):
    Dealer.objects.filter(code="D1").update(writeoff_rule="per_order")
    other = place(shop, 5, key="k2")
    other_receivable = ship(shop, other, 5, external_id="S-OTHER")["receivable"][
        "number"
    ]
    Receivable.objects.filter(number=other_receivable).update(due_date="2026-12-01")
    _receipt(shop, "100.00", order=other)
    assert (
        _open(other_receivable)
        == Receivable.objects.get(number=other_receivable).amount - 100
    )
    assert (
        _open(two_receivables["older"])
        == Receivable.objects.get(number=two_receivables["older"]).amount
    )


def test_a_dealer_held_for_manual_allocation_keeps_the_money_as_prepayment(
    shop,
    two_receivables,
):
    Dealer.objects.filter(code="D1").update(writeoff_rule="manual")
    _receipt(shop, "100.00")
    assert not WriteOff.objects.exists()
    balances = shop.get("/api/v1/dealers/D1/balances").json()
    assert balances["prepayment"] == "100.00"


def _invoice(api, receivables, external_id="INV-1", amount=None, **extra):
    total = amount or str(sum(Decimal(a) for _, a in receivables))
    return api.post(
        "/api/v1/invoices",
        {
            "external_id": external_id,
            "dealer": "D1",
            "number": f"No.{external_id}",
            "kind": "vat_special",
            "date": "2026-12-03",
            "amount": total,
            "tax_amount": "10.00",
            "receivables": [{"number": n, "amount": a} for n, a in receivables],
            **extra,
        },
    )


def test_an_invoice_shows_on_its_receivables_and_the_dealers_list(
    shop, two_receivables
):
    older = two_receivables["older"]
    response = _invoice(shop, [(older, "500.00")])
    assert response.status_code == 201, response.content
    order = shop.get(f"/api/v1/orders/{two_receivables['order']}").json()
    receivable = next(r for r in order["receivables"] if r["number"] == older)
    assert receivable["invoiced"] == "500.00"
    assert receivable["invoices"] == ["No.INV-1"]
    listed = shop.get("/api/v1/dealers/D1/invoices").json()
    assert listed[0]["number"] == "No.INV-1"
    assert listed[0]["receivables"] == [{"number": older, "amount": "500.00"}]


def test_a_repeated_invoice_answers_the_first(shop, two_receivables):
    older = two_receivables["older"]
    assert _invoice(shop, [(older, "500.00")]).status_code == 201
    again = _invoice(shop, [(older, "500.00")])
    assert again.status_code == 200
    assert again.json()["number"] == "No.INV-1"


def test_a_receivable_is_never_invoiced_beyond_its_amount(shop, two_receivables):
    older = two_receivables["older"]
    amount = Receivable.objects.get(number=older).amount
    assert _invoice(shop, [(older, str(amount - 100))]).status_code == 201
    response = _invoice(shop, [(older, "100.01")], external_id="INV-2")
    assert response.status_code == 409
    assert response.json()["code"] == "over_invoiced"


def test_a_credit_note_takes_off_what_its_invoice_covered(shop, two_receivables):
    """红字发票: a price adjustment lowered the older receivable; the ERP reverses part
    of its invoice, which can then be invoiced again; never more than the invoice
    covered, never another dealer's or kind's invoice."""
    older, newer = two_receivables["older"], two_receivables["newer"]
    assert _invoice(shop, [(older, "500.00"), (newer, "300.00")]).status_code == 201
    credit = _invoice(
        shop, [(older, "200.00")], external_id="CN-1", reverses="No.INV-1"
    )
    assert credit.status_code == 201, credit.content
    assert credit.json()["reverses"] == "No.INV-1"
    assert credit.json()["receivables"] == [{"number": older, "amount": "200.00"}]
    order = shop.get(f"/api/v1/orders/{two_receivables['order']}").json()
    invoiced = {r["number"]: r["invoiced"] for r in order["receivables"]}
    assert invoiced == {older: "300.00", newer: "300.00"}
    # a second credit note may take the rest of what INV-1 covers of it, no more
    too_much = _invoice(
        shop, [(older, "300.01")], external_id="CN-2", reverses="No.INV-1"
    )
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "over_credited"
    assert (
        _invoice(
            shop, [(older, "300.00")], external_id="CN-3", reverses="No.INV-1"
        ).status_code
        == 201
    )
    # what is credited may be invoiced again
    amount = Receivable.objects.get(number=older).amount
    assert (
        _invoice(shop, [(older, str(amount))], external_id="INV-2").status_code == 201
    )
    for reverses, code in (
        ("No.NOPE", "invalid_invoice"),
        ("No.CN-1", "invalid_invoice"),
    ):
        refused = _invoice(
            shop, [(newer, "20.00")], external_id=f"X-{reverses}", reverses=reverses
        )
        assert (refused.status_code, refused.json()["code"]) == (422, code)
    normal = _invoice(
        shop,
        [(newer, "20.00")],
        external_id="X-KIND",
        reverses="No.INV-1",
        kind="vat_normal",
    )
    assert (normal.status_code, normal.json()["code"]) == (422, "invalid_kind")
    listed = [i["number"] for i in shop.get("/api/v1/dealers/D1/invoices").json()]
    assert set(listed) == {"No.INV-1", "No.CN-1", "No.CN-3", "No.INV-2"}


def test_an_invoice_whose_receivables_do_not_add_up_is_refused(shop, two_receivables):
    response = _invoice(shop, [(two_receivables["older"], "50.00")], amount="60.00")
    assert response.status_code == 422
    assert response.json()["code"] == "invoice_total"


def test_the_dealer_sees_what_is_invoiced_on_payments_and_the_order(
    shop, two_receivables, client, world
):
    from django.conf import settings

    from tests.dealers.factories import DealerUserFactory

    older = two_receivables["older"]
    _invoice(shop, [(older, "500.00")])
    user = DealerUserFactory(dealer=world["dealer"], user__username="payer")
    client.force_login(user.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in ("/payments/", f"/orders/{two_receivables['order']}/"):
        page = client.get(url).content.decode()
        assert "Invoiced · No.INV-1 ¥500.00" in page, url
