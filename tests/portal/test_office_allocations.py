"""Manual allocation: a dealer whose receipts the rep allocates keeps them unmatched
until the rep matches them, on an office page that shows money and open receivables
side by side; a write-off undone (the ERP reversed a receipt) is a row naming who
did it; another rep's dealers are out of reach."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import Warehouse
from dealers.models import Dealer
from orders import selectors, services
from orders.models import Receivable, WriteOff
from tests.notifications.factories import rep_for
from tests.orders.test_money import _ship as ship_order
from tests.portal.conftest import html


def _client(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _ship(dealer, quantity) -> Receivable:
    """An order of ``quantity`` Tea A shipped in full: its one receivable."""
    return Receivable.objects.get(order=ship_order(dealer, quantity))


@pytest.fixture
def manual(world):
    Warehouse.objects.get_or_create(code="SH", defaults={"name": "上海仓"})
    dealer = world["dealer"]
    dealer.writeoff_rule = Dealer.WriteOffRule.MANUAL
    dealer.save(update_fields=["writeoff_rule"])
    first, second = _ship(dealer, 10), _ship(dealer, 5)
    services.receipt_post(
        external_id="BANK-1",
        dealer=dealer,
        amount=Decimal("800.00"),
        date=datetime.date(2026, 12, 1),
    )
    return {"dealer": dealer, "first": first, "second": second}


@pytest.fixture
def rep(world):
    return rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])


def test_a_held_receipt_waits_for_the_rep_and_is_matched_where_the_rep_says(
    manual, rep
):
    dealer, second = manual["dealer"], manual["second"]
    # the rule held it: nothing written off, not even by the next shipment
    assert not WriteOff.objects.exists()
    _ship(dealer, 1)
    assert not WriteOff.objects.exists()
    client = _client(rep.user)
    listing = html(client.get("/office/allocations/"))
    assert "D1" in listing
    assert "¥800.00" in listing
    url = f"/office/allocations/{dealer.code}/"
    page = html(client.get(url))
    assert "BANK-1" in page
    assert "¥800.00 not matched" in page
    assert f'data-testid="allocate-{second.number}"' in page
    # the rep matches ¥500 to the newer receivable
    done = client.post(
        url + "allocate/",
        {"receivable": second.number, "amount": "500.00"},
        follow=True,
    )
    assert f"¥500.00 matched to {second.number}." in html(done)
    second.refresh_from_db()
    assert second.open_amount == second.amount - Decimal("500.00")
    assert (
        manual["first"].open_amount
        == Receivable.objects.get(pk=manual["first"].pk).amount
    )
    writeoff = WriteOff.objects.get()
    assert writeoff.by == rep.user
    assert selectors.balances_get(dealer=dealer).prepayment == Decimal("300.00")
    # more than is unallocated matches only what there is
    first = manual["first"]
    client.post(url + "allocate/", {"receivable": first.number, "amount": "400.00"})
    first.refresh_from_db()
    assert first.open_amount == first.amount - Decimal("300.00")
    assert selectors.balances_get(dealer=dealer).prepayment == Decimal("0.00")


def test_undoing_a_write_off_is_recorded_with_who_did_it(manual, rep):
    dealer, first = manual["dealer"], manual["first"]
    services.writeoff_from_prepayment(
        receivable_number=first.number, amount=Decimal("200.00")
    )
    writeoff = WriteOff.objects.get()
    client = _client(rep.user, "zh-hans")
    url = f"/office/allocations/{dealer.code}/write-offs/{writeoff.pk}/undo/"
    page = html(client.post(url, follow=True))
    assert first.number in page
    reversal = WriteOff.objects.get(reversal_of=writeoff)
    assert (reversal.amount, reversal.by) == (Decimal("-200.00"), rep.user)
    first.refresh_from_db()
    assert first.open_amount == first.amount
    assert selectors.balances_get(dealer=dealer).prepayment == Decimal("800.00")
    # a second undo changes nothing and says why
    again = html(client.post(url, follow=True))
    assert WriteOff.objects.count() == 2
    assert "已" in again or "already" in again
    # the desk lists both rows with the rep's name
    desk = html(client.get(f"/office/allocations/{dealer.code}/"))
    assert desk.count('data-testid="writeoff"') == 2
    assert "rep1" in desk


def test_bad_input_changes_nothing(manual, rep, world):
    dealer, first = manual["dealer"], manual["first"]
    client = _client(rep.user)
    url = f"/office/allocations/{dealer.code}/allocate/"
    for data in (
        {"receivable": first.number, "amount": "0"},
        {"receivable": first.number, "amount": "-5"},
        {"receivable": first.number, "amount": "1.234"},
        {"receivable": first.number, "amount": "abc"},
        {"receivable": "NOPE", "amount": "10.00"},
    ):
        page = html(client.post(url, data, follow=True))
        assert 'role="alert"' in page or "message--error" in page, data
    assert not WriteOff.objects.exists()


def test_another_reps_dealer_is_out_of_reach(manual, world):
    stranger = rep_for(world, "rep2", org="EAST-SH", serves=["other"])
    client = _client(stranger.user)
    dealer, first = manual["dealer"], manual["first"]
    assert "D1" not in html(client.get("/office/allocations/"))
    assert client.get(f"/office/allocations/{dealer.code}/").status_code == 404
    response = client.post(
        f"/office/allocations/{dealer.code}/allocate/",
        {"receivable": first.number, "amount": "10.00"},
    )
    assert response.status_code == 404
    services.writeoff_from_prepayment(receivable_number=first.number)
    writeoff = WriteOff.objects.get()
    response = client.post(
        f"/office/allocations/{dealer.code}/write-offs/{writeoff.pk}/undo/"
    )
    assert response.status_code == 404
    assert WriteOff.objects.count() == 1
    # a dealer's login is no rep
    dealer_client = _client(world["owner"].user)
    assert dealer_client.get("/office/allocations/").status_code == 403
