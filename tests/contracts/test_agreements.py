"""Agreements: definitions, bad input, lifecycle under the org's authority, versions."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from common.errors import Forbidden
from contracts import services
from contracts.models import Agreement, AgreementTarget, AgreementVersion
from dealers import groups
from tests.contracts.fixtures import agreement_body
from tests.dealers.factories import SalesRepFactory

YEAR = timezone.localdate().year


def test_a_new_agreement_is_a_draft_and_reads_back(shop):
    """PUT creates a draft (201); a repeat replaces it (200) without a new version."""
    response = shop.put("/api/v1/agreements/A-D1", agreement_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["dealer"]) == ("draft", 1, "D1")
    assert body["targets"][0] == {
        "period": f"{YEAR}",
        "category": None,
        "amount": "10000.00",
        "quantity": None,
    }
    again = shop.put("/api/v1/agreements/A-D1", agreement_body())
    assert again.status_code == 200
    assert AgreementVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": ["NOPE"]}, "categories"),
        (
            {"targets": [{"period": f"{YEAR}", "category": "NOPE", "amount": "1.00"}]},
            "targets[0].category",
        ),
        (
            {
                "rebate_tiers": [
                    {"achieved_percent": "100", "rebate_percent": "2"},
                    {"achieved_percent": "80", "rebate_percent": "1"},
                ]
            },
            "rebate_tiers[1]",
        ),
        (
            {"targets": [{"period": f"{YEAR + 3}", "amount": "1.00"}]},
            "targets[0].period",
        ),
        ({"regions": ["mars"]}, "regions"),
    ],
)
def test_bad_definitions_are_refused_and_write_nothing(shop, change, field):
    """Unknown categories or regions, tiers out of order, a target outside the dates."""
    response = shop.put("/api/v1/agreements/A-D1", agreement_body(**change))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_agreement"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Agreement.objects.exists()
    assert not AgreementTarget.objects.exists()


def test_overlapping_agreements_for_one_dealer_are_refused(shop):
    """A second agreement over the same dates is 409 ``overlap``; a terminated one
    no longer counts."""
    assert shop.put("/api/v1/agreements/A-D1", agreement_body()).status_code == 201
    half = agreement_body(starts=f"{YEAR}-07-01", targets=[])
    response = shop.put("/api/v1/agreements/A-D1-B", half)
    assert response.status_code == 409
    assert response.json()["code"] == "overlap"
    assert not Agreement.objects.filter(code="A-D1-B").exists()
    assert shop.post("/api/v1/agreements/A-D1/terminate").status_code == 200
    assert shop.put("/api/v1/agreements/A-D1-B", half).status_code == 201


def test_lifecycle_moves_and_illegal_ones(shop):
    """draft → submitted → approved (active in its dates) → terminated; an illegal
    move is 409."""
    shop.put("/api/v1/agreements/A-D1", agreement_body())
    assert shop.post("/api/v1/agreements/A-D1/approve").status_code == 409
    assert shop.post("/api/v1/agreements/A-D1/submit").json()["status"] == "submitted"
    assert shop.post("/api/v1/agreements/A-D1/approve").json()["status"] == "active"
    assert shop.post("/api/v1/agreements/A-D1/submit").status_code == 409
    assert shop.post("/api/v1/agreements/A-D1/terminate").json()["status"] == (
        "terminated"
    )
    assert shop.post("/api/v1/agreements/A-D1/terminate").status_code == 409
    assert shop.get("/api/v1/agreements/NOPE").status_code == 404


def test_an_amendment_must_be_approved_while_the_previous_applies(signed):
    """Replacing an approved agreement makes version 2; version 1 keeps applying."""
    wider = agreement_body(categories=["TEA", "DRINK"])
    body = signed.put("/api/v1/agreements/A-D1", wider).json()
    assert (body["version"], body["pending_version"]) == (1, 2)
    assert body["categories"] == ["TEA"]
    quote = signed.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "JUICE-01", "quantity": 1}]}
    ).json()
    assert quote["contract"]["version"] == 1
    assert [i["code"] for i in quote["contract"]["issues"]] == ["outside_categories"]
    signed.post("/api/v1/agreements/A-D1/submit")
    body = signed.post("/api/v1/agreements/A-D1/approve").json()
    assert (body["version"], body["pending_version"]) == (2, None)
    quote = signed.post(
        "/api/v1/dealers/D1/quote", {"lines": [{"sku": "JUICE-01", "quantity": 1}]}
    ).json()
    assert quote["contract"] == {"agreement": "A-D1", "version": 2, "issues": []}


def test_people_are_held_to_their_org(shop, world):
    """A rep of another org may not draft; a rep may submit but not approve; a
    manager of the org or above approves."""
    outsider = SalesRepFactory(sales_org=world["orgs"]["SOUTH"]).user
    with pytest.raises(Forbidden) as error:
        services.agreement_save(code="A-D1", data=agreement_body(), by=outsider)
    assert error.value.code == "outside_org"
    rep = SalesRepFactory(sales_org=world["orgs"]["EAST-SH"]).user
    services.agreement_save(code="A-D1", data=agreement_body(), by=rep)
    services.agreement_submit(code="A-D1", by=rep)
    with pytest.raises(Forbidden) as error:
        services.agreement_approve(code="A-D1", by=rep)
    assert error.value.code == "not_manager"
    manager = SalesRepFactory(sales_org=world["orgs"]["EAST"]).user
    manager.groups.add(Group.objects.get(name=groups.SALES_MANAGER))
    agreement = services.agreement_approve(code="A-D1", by=manager)
    assert agreement.live_version.approved_by == manager
