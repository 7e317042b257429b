"""Shared fixtures: a dealer with a logged-in owner, and a client for them."""

import os

import pytest

from catalog.selectors import unit_names_forget
from tests.dealers.factories import DealerFactory, DealerUserFactory

pytest_plugins = ["tests.world", "tests.contracts.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_unit_names():
    """Each test reads the unit master afresh (a rolled-back test may have cached it)."""
    unit_names_forget()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the version counters that cached reads
    are keyed on roll back with each test, so an earlier test's entry could match."""
    from django.core.cache import cache

    cache.clear()


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


REDIS_REASON = (
    "set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test against Redis; "
    "CI sets REQUIRE_REDIS so that this never skips there"
)


@pytest.fixture
def redis_url():
    """The Redis to test against: skipped without one, unless Redis is required."""
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(
                f"REQUIRE_REDIS is set but TEST_REDIS_URL is not: {REDIS_REASON}"
            )
        pytest.skip(REDIS_REASON)
    return url
