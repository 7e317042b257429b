"""The back office's agreements: to approve, at risk, exported to Excel."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from contracts import services
from contracts.models import Agreement
from tests.contracts.fixtures import agreement_body
from tests.contracts.test_orders_contract import place, ship
from tests.dealers.factories import SalesOrgFactory
from tests.notifications.factories import rep_for


def test_a_manager_approves_a_submitted_agreement_from_the_office(client, shop, world):
    services.agreement_save(code="A-D1", data=agreement_body())
    services.agreement_submit(code="A-D1")
    manager = rep_for(world, "boss", org="EAST", serves=[], manager=True)
    client.force_login(manager.user)
    page = client.get(reverse("office:agreements"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-testid="pending-agreement"' in page.content.decode()
    client.post(reverse("office:agreement-approve", args=["A-D1"]))
    assert Agreement.objects.get().status == "approved"


def test_a_rep_cannot_approve_and_another_org_sees_nothing(client, shop, world):
    services.agreement_save(code="A-D1", data=agreement_body())
    services.agreement_submit(code="A-D1")
    rep = rep_for(world, "rep", org="EAST-SH", serves=["dealer"])
    client.force_login(rep.user)
    client.post(reverse("office:agreement-approve", args=["A-D1"]))
    assert Agreement.objects.get().status == "submitted"
    world["orgs"].setdefault(
        "SOUTH", SalesOrgFactory(code="SOUTH", parent=world["orgs"]["HQ"])
    )
    south = rep_for(world, "south", org="SOUTH", serves=[], manager=True)
    client.force_login(south.user)
    page = client.get(reverse("office:agreements")).content.decode()
    assert "A-D1" not in page
    client.post(reverse("office:agreement-approve", args=["A-D1"]))
    assert Agreement.objects.get().status == "submitted"


def test_dealers_at_risk_and_the_export(client, signed, world):
    """With 1,100 shipped of 10,000 by now, the run-rate projects below 100 %: at
    risk; the workbook lists each target with its progress."""
    number = place(signed, quantity=10, key="a")["number"]
    ship(signed, number, 10, "E1")
    manager = rep_for(world, "boss", org="EAST", serves=[], manager=True)
    client.force_login(manager.user)
    page = client.get(reverse("office:agreements")).content.decode()
    assert 'data-code="A-D1"' in page
    assert "badge--bad" in page
    response = client.get(reverse("office:agreements") + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][0] == "A-D1"
    assert {r[5] for r in rows} == {1100}
