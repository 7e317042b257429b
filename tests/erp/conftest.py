"""A fake K/3 Cloud server per test, and a connector configured against it."""

import pytest

from erp.client import K3Client
from erp.conf import K3Config
from tests.erp.fake_k3cloud import FakeK3Cloud

APP_ID = "204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ"
APP_SECRET = "fb7d46647ac346dbb5fcd45b65512a45"


@pytest.fixture
def fake_k3():
    """A fake K/3 Cloud that checks app signatures (the default auth mode)."""
    fake = FakeK3Cloud(app_id=APP_ID, app_secret=APP_SECRET).start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_k3_password():
    """A fake K/3 Cloud that takes password sessions (ValidateUser)."""
    fake = FakeK3Cloud(password="s3cret-pass").start()
    yield fake
    fake.stop()


def k3_config(fake: FakeK3Cloud, **overrides) -> K3Config:
    signed = bool(fake.app_id)
    values = {
        "url": fake.url,
        "acct_id": fake.acct_id,
        "username": fake.username,
        "app_id": APP_ID if signed else "",
        "app_secret": APP_SECRET if signed else "",
        "password": "" if signed else "s3cret-pass",
        "sale_org": "100",
        "timeout": 1.0,
        "default_tier": "standard",
        "default_region": "east",
    }
    return K3Config(**(values | overrides))


@pytest.fixture
def k3_settings(settings, fake_k3):
    """settings.K3CLOUD pointing at the fake (what the K3CLOUD_* variables set)."""
    settings.K3CLOUD = {
        **settings.K3CLOUD,
        "URL": fake_k3.url,
        "ACCT_ID": fake_k3.acct_id,
        "USERNAME": fake_k3.username,
        "APP_ID": APP_ID,
        "APP_SECRET": APP_SECRET,
        "PASSWORD": "",
        "SALE_ORG": "100",
        "TIMEOUT": 1.0,
        "DEFAULT_TIER": "standard",
        "DEFAULT_REGION": "east",
    }
    return settings.K3CLOUD


@pytest.fixture
def k3_client(fake_k3):
    with K3Client(k3_config(fake_k3)) as client:
        yield client
