"""The order world (a gold dealer with owner, buyer and viewer; another dealer next
door), reps, and a recording portal channel that can be told to fail."""

import pytest

from notifications import channels
from tests.notifications.factories import RecordingChannel, rep_for
from tests.orders.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def recorder():
    """The portal channel replaced by one that records what it would push."""
    channel = RecordingChannel()
    channels.register(channel)
    yield channel
    channels.register(channels.PortalChannel())


@pytest.fixture
def rep(world):
    """A rep in EAST-SH who serves D1 only."""
    return rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])


@pytest.fixture
def other_rep(world):
    """A rep in EAST-SH who serves D2 only."""
    return rep_for(world, "rep2", org="EAST-SH", serves=["other"])


@pytest.fixture
def manager(world):
    """A manager of EAST: the whole subtree, D1 and D2."""
    return rep_for(world, "boss1", org="EAST", serves=[], manager=True)


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep.user)
    client.cookies["django_language"] = "en"
    return client
