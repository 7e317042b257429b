"""The order world (D1 with owner, buyer and viewer; D2 next door), reps who serve
each, a manager over both, and helpers to write as either side."""

import io

from django.conf import settings
from django.test import Client
from PIL import Image

from conversations import selectors
from conversations.models import Side

# The order world and the reps of the notification tests: rep1 serves D1 only,
# rep2 D2 only, boss1 manages EAST (both dealers).
from tests.notifications.conftest import (  # noqa: E402, F401 - fixtures
    manager,
    other_rep,
    rep,
    world,
)


def as_dealer(dealer_user) -> selectors.Participant:
    return selectors.dealer_side(dealer_user)


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
