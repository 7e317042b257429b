"""The WebSocket consumer: who may connect, one group per user, live pushes."""

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction
from django.test import Client

from notifications import channels, services
from notifications.models import Notification
from portal.asgi import application
from tests.notifications.communicator import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _communicator(user=None, origin=b"http://testserver", path=PATH):
    headers = [(b"host", b"testserver"), (b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_cookie)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


def _notify(dealer, **data):
    with transaction.atomic():
        services.notifications_create(
            kind="order.placed", dealer_ids=[dealer.pk], data=data
        )


async def test_anonymous_is_refused(world):
    """No session, no socket."""
    communicator = await _communicator()
    connected, _code = await communicator.connect()
    assert not connected


async def test_staff_who_are_not_reps_are_refused(world):
    """Staff without a rep profile (finance, marketing) get no socket."""
    from django.contrib.auth import get_user_model

    staff = await database_sync_to_async(get_user_model().objects.create_user)(
        username="finance1", password="x", is_staff=True
    )
    communicator = await _communicator(staff)
    connected, _code = await communicator.connect()
    assert not connected


async def test_a_rep_connects_without_an_inbox(world, rep):
    """A rep's socket carries conversation events only: no unread count."""
    communicator = await _communicator(rep.user)
    connected, _code = await communicator.connect()
    assert connected
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_a_foreign_origin_is_refused(world):
    """Another site cannot open the socket with the dealer's cookie."""
    communicator = await _communicator(
        world["owner"].user, origin=b"https://evil.example"
    )
    connected, _code = await communicator.connect()
    assert not connected


async def test_connect_resyncs_the_unread_count(world):
    """On (re)connect the page gets the unread count from the database."""
    owner = world["owner"]
    await database_sync_to_async(
        lambda: [
            Notification.objects.create(
                recipient=owner.user, dealer=owner.dealer, kind="order.placed"
            )
            for _ in range(2)
        ]
    )()
    communicator = await _communicator(owner.user)
    connected, _code = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {"type": "unread", "count": 2}
    await communicator.send_json_to({"type": "sync"})
    assert await communicator.receive_json_from() == {"type": "unread", "count": 2}
    await communicator.disconnect()


async def test_a_committed_notification_reaches_the_open_page_and_no_other(world):
    """The push goes to the user's group: their page gets it live, another dealer's
    page gets nothing."""
    owner, other = world["owner"], world["other_user"]
    owner.language = "en"  # the push is written in the user's saved language
    await database_sync_to_async(owner.save)()
    mine = await _communicator(owner.user)
    theirs = await _communicator(other.user)
    assert (await mine.connect())[0]
    assert (await theirs.connect())[0]
    assert (await mine.receive_json_from())["count"] == 0
    assert (await theirs.receive_json_from())["count"] == 0
    # when an order notification commits (the immediate task backend delivers it)
    await database_sync_to_async(_notify)(world["dealer"], order="SO-000042")
    # then
    message = await mine.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert message["title"] == "Order SO-000042 placed"
    assert message["unread"] == 1
    assert message["url"].endswith("/open/")
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_reconnecting_page_gets_the_pushes_it_missed(world):
    """A push the worker sent while the page's socket was away (Redis restarting, a
    phone in a tunnel) is gone from the channel layer; the page says the newest
    notification it knows and is sent the newer unread ones, in order, once."""
    owner = world["owner"]
    owner.language = "en"
    await database_sync_to_async(owner.save)()
    known = await database_sync_to_async(
        lambda: (
            Notification.objects.create(
                recipient=owner.user, dealer=owner.dealer, kind="order.placed"
            ).pk
        )
    )()
    # while no socket listens, two orders are notified (and pushed to nobody)
    await database_sync_to_async(_notify)(world["dealer"], order="SO-000051")
    await database_sync_to_async(_notify)(world["dealer"], order="SO-000052")
    read = await database_sync_to_async(
        lambda: Notification.objects.filter(recipient=owner.user).latest("pk")
    )()
    # the page reconnects, knowing notification `known`
    page = await _communicator(owner.user, path=f"{PATH}?since={known}")
    assert (await page.connect())[0]
    assert await page.receive_json_from() == {"type": "unread", "count": 3}
    missed = [await page.receive_json_from(), await page.receive_json_from()]
    assert [m["type"] for m in missed] == ["notification", "notification"]
    assert [m["title"] for m in missed] == [
        "Order SO-000051 placed",
        "Order SO-000052 placed",
    ]
    assert missed[-1]["id"] == read.pk
    assert all(m["unread"] == 3 for m in missed)
    assert await page.receive_nothing(timeout=0.2)
    await page.disconnect()
    # a page that knows the newest, or one that read it, is sent nothing more
    await database_sync_to_async(
        lambda: Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    )()
    for path in (f"{PATH}?since={read.pk}", f"{PATH}?since={known}&x=1", PATH):
        page = await _communicator(owner.user, path=path)
        assert (await page.connect())[0]
        assert (await page.receive_json_from())["type"] == "unread"
        if "x=1" in path:  # knows `known`: only the unread SO-000051 is missed
            message = await page.receive_json_from()
            assert message["title"] == "Order SO-000051 placed"
        assert await page.receive_nothing(timeout=0.2)
        await page.disconnect()


async def test_group_send_from_a_worker_thread_reaches_a_consumer_on_the_server_loop():
    """The embedded trap: with the in-memory layer, a worker thread's push must be
    handed to the server's loop. A loop in another thread stands for uvicorn's; the
    test's thread is the worker."""
    layer = get_channel_layer()
    assert isinstance(layer, InMemoryChannelLayer)
    loop = asyncio.new_event_loop()
    server = threading.Thread(target=loop.run_forever, daemon=True)
    server.start()
    try:
        channel = asyncio.run_coroutine_threadsafe(layer.new_channel(), loop).result(2)
        asyncio.run_coroutine_threadsafe(
            layer.group_add("notify.user.999", channel), loop
        ).result(2)
        received = asyncio.run_coroutine_threadsafe(layer.receive(channel), loop)
        channels.server_loop_set(loop)
        # when the worker pushes from its own thread (no loop of its own running)
        await sync_to_async(channels.group_send, thread_sensitive=False)(
            "notify.user.999", {"type": "notify.message", "id": 1}
        )
        # then the consumer side, waiting on the server loop, wakes up
        message = await asyncio.wait_for(asyncio.wrap_future(received), 2)
        assert message["id"] == 1
    finally:
        channels.server_loop_set(None)
        loop.call_soon_threadsafe(loop.stop)
        server.join(2)
