"""Dealer models: the invariants a row checks itself, and what roles allow."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dealers.models import Dealer, DealerUser
from tests.dealers.factories import DealerFactory, DealerUserFactory, SalesOrgFactory

pytestmark = pytest.mark.django_db


def test_negative_credit_limit_is_refused_by_the_database():
    """A dealer can never be stored with a negative credit limit, even bypassing services."""
    dealer = DealerFactory(credit_limit=Decimal("10.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Dealer.objects.filter(pk=dealer.pk).update(credit_limit=Decimal("-0.01"))

    dealer.refresh_from_db()
    assert dealer.credit_limit == Decimal("10.00")


def test_zero_credit_limit_is_allowed():
    """A cash-only dealer (credit limit zero) is a valid dealer."""
    dealer = DealerFactory(credit_limit=Decimal("0.00"))

    dealer.refresh_from_db()
    assert dealer.credit_limit == Decimal("0.00")


def test_sales_org_code_path_runs_from_the_company_down():
    """An org knows the chain of codes above it: company → region → branch."""
    company = SalesOrgFactory(code="HQ")
    region = SalesOrgFactory(code="EAST", parent=company)
    branch = SalesOrgFactory(code="EAST-SH", parent=region)

    assert company.code_path == ("HQ",)
    assert region.code_path == ("HQ", "EAST")
    assert branch.code_path == ("HQ", "EAST", "EAST-SH")


@pytest.mark.parametrize(
    ("role", "can_order", "can_manage_users"),
    [
        (DealerUser.Role.OWNER, True, True),
        (DealerUser.Role.BUYER, True, False),
        (DealerUser.Role.VIEWER, False, False),
    ],
)
def test_role_decides_ordering_and_user_management(role, can_order, can_manage_users):
    """Owners order and manage users, buyers only order, viewers only look."""
    dealer_user = DealerUserFactory(role=role)

    assert dealer_user.can_order is can_order
    assert dealer_user.can_manage_users is can_manage_users


def test_phone_number_belongs_to_one_login_only():
    """Two logins cannot share a phone number, since the phone logs in."""
    DealerUserFactory(phone="13800000001")

    with pytest.raises(IntegrityError), transaction.atomic():
        DealerUserFactory(phone="13800000001")
