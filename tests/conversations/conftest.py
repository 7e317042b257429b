"""The order world (D1 with owner, buyer and viewer; D2 next door), reps who serve
each, a manager over both, and helpers to write as either side."""

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from conversations import selectors
from conversations.models import Side
from tests.notifications.factories import rep_for
from tests.orders.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def rep(world):
    """Serves D1 only."""
    return rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])


@pytest.fixture
def other_rep(world):
    """Serves D2 only."""
    return rep_for(world, "rep2", org="EAST-SH", serves=["other"])


@pytest.fixture
def manager(world):
    """Manages EAST: sees every dealer below it."""
    return rep_for(world, "boss1", org="EAST", serves=[], manager=True)


def as_dealer(dealer_user) -> selectors.Participant:
    return selectors.Participant(
        user=dealer_user.user, side=Side.DEALER, dealer=dealer_user.dealer
    )


def as_rep(rep) -> selectors.Participant:
    participant = selectors.participant_for(user=rep.user)
    assert participant is not None
    assert participant.side == Side.REP
    return participant


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def jpeg(width=2400, height=1800, *, gps=True, colour=(200, 30, 40)) -> bytes:
    """A phone photo: large, with EXIF that carries a GPS position."""
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 29.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
