"""Live both ways: a dealer's message reaches the rep's open pages within a
second, the rep's answer the dealer's, over each person's own socket."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from conversations import services
from portal.asgi import application
from tests.conversations.conftest import as_dealer, as_rep
from tests.notifications.communicator import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _socket(user):
    headers = [
        (b"host", b"testserver"),
        (b"origin", b"http://testserver"),
        (b"cookie", await database_sync_to_async(_cookie)(user)),
    ]
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=headers
    )
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def _next_conversation_event(communicator, timeout=1.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        event = await communicator.receive_json_from(timeout=deadline - loop.time())
        if event["type"] == "conversation":
            return event


async def test_a_message_reaches_the_other_side_live(world, rep, other_rep):
    buyer = world["buyer"]
    rep_socket = await _socket(rep.user)
    stranger_socket = await _socket(other_rep.user)
    dealer_socket = await _socket(buyer.user)
    await dealer_socket.receive_json_from()  # the unread count

    message = await database_sync_to_async(services.thread_start)(
        participant=as_dealer(buyer), text="Is TEA-A back in stock?"
    )
    seen = await _next_conversation_event(rep_socket)
    assert seen["thread"] == message.thread_id
    assert seen["message"] == message.pk
    assert seen["toast"] is True  # the rep is told, wherever they are
    assert seen["url"] == f"/office/conversations/{message.thread_id}/"
    assert "Is TEA-A back in stock?" in seen["body"]
    mine = await _next_conversation_event(dealer_socket)  # the writer's other pages
    assert mine["toast"] is False
    assert await stranger_socket.receive_nothing(timeout=0.2)  # serves D2 only

    participant = await database_sync_to_async(as_rep)(rep)
    answer = await database_sync_to_async(services.message_post)(
        participant=participant, thread_id=message.thread_id, text="Friday."
    )
    heard = await _next_conversation_event(dealer_socket)
    assert heard["message"] == answer.pk
    assert heard["url"] == f"/conversations/{message.thread_id}/"
    for socket in (rep_socket, stranger_socket, dealer_socket):
        await socket.disconnect()
