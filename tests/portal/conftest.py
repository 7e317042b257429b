"""A world with a gold dealer (owner, buyer, viewer) and another dealer, a logged-in
client per login (reading English), and htmx request headers."""

import pytest
from django.conf import settings
from django.test import Client

from tests.orders.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


def _client_for(dealer_user) -> Client:
    client = Client()
    client.force_login(dealer_user.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def buyer_client(world):
    return _client_for(world["buyer"])


@pytest.fixture
def owner_client(world):
    return _client_for(world["owner"])


@pytest.fixture
def viewer_client(world):
    return _client_for(world["viewer"])


@pytest.fixture
def other_client(world):
    return _client_for(world["other_user"])


def hx(target: str | None = None) -> dict:
    """Headers of an htmx request (swapping the element ``target`` when given)."""
    headers = {"HTTP_HX_REQUEST": "true"}
    if target:
        headers["HTTP_HX_TARGET"] = target
    return headers


def html(response, status: int = 200) -> str:
    assert response.status_code == status, (
        response.status_code,
        response.content[:500],
    )
    return response.content.decode()
