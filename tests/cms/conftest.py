"""On the shared ``world`` (tests/world.py: org tree, tea products, a gold dealer of
EAST-SH), add content editors, dealers inside and outside a promotion's audience,
and clients for them."""

import pytest
from django.conf import settings
from django.test import Client

from dealers import groups
from tests.cms import factories
from tests.dealers.factories import DealerFactory, DealerUserFactory, TierFactory

MARKETING_LEAD = "marketing lead"


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def gift(world):
    """P-GIFT, approved: for gold dealers of EAST-SH with 3 years' tenure."""
    return factories.approved_promotion()


@pytest.fixture
def insider(world):
    """The world's gold dealer's owner: in P-GIFT's audience."""
    return DealerUserFactory(dealer=world["dealer"], user__username="insider")


@pytest.fixture
def outsider(world):
    """A silver dealer next door in EAST-SH: outside P-GIFT's audience."""
    dealer = DealerFactory(
        code="D2", sales_org=world["orgs"]["EAST-SH"], tier=TierFactory(code="silver")
    )
    return DealerUserFactory(dealer=dealer, user__username="outsider")


@pytest.fixture
def insider_client(insider):
    return client_for(insider.user)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider.user)


@pytest.fixture
def marketing(db):
    return factories.staff_user("mkt", groups.MARKETING)


@pytest.fixture
def lead(db):
    return factories.staff_user("lead", MARKETING_LEAD)


@pytest.fixture
def manager(db):
    return factories.staff_user("mgr", groups.SALES_MANAGER)
