"""Shared fixtures: a dealer with a logged-in owner, and a client for them."""

import pytest

from tests.dealers.factories import DealerFactory, DealerUserFactory

pytest_plugins = ["tests.world"]


@pytest.fixture
def dealer(db):
    return DealerFactory()


@pytest.fixture
def dealer_user(dealer):
    return DealerUserFactory(dealer=dealer, user__username="owner1")


@pytest.fixture
def dealer_client(client, dealer_user):
    client.force_login(dealer_user.user)
    return client


@pytest.fixture
def in_english(client, settings):
    """The test client reads the portal in English (the language cookie set to en)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
