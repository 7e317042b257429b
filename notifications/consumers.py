"""The live badge and toast: one WebSocket per open page, one group per dealer user.

The origin is checked by ``AllowedHostsOriginValidator`` and the session by
``AuthMiddlewareStack`` (both in ``portal.asgi``); anonymous users, users of inactive
dealers and staff who are not sales reps are refused. A rep's socket carries only
conversation events (a dealer wrote); a user's group is their own, so nobody
subscribes to another's pushes. On connect the unread count is sent from the database,
so a page that missed pushes while offline shows the truth again; a page that says
the newest notification it knows (``?since=<id>``) is also sent the pushes of newer
unread notifications, which the worker may have sent while no socket listened.
"""

import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from common import metrics
from dealers import selectors as dealer_selectors
from notifications import selectors
from notifications.channels import portal_payload, user_group
from notifications.services import delivery as delivery_services

logger = logging.getLogger(__name__)

REFUSED = 4403
TRY_AGAIN_LATER = 1013  # the channel layer (Redis) is away: the page reconnects later
LAYER_ERRORS = (RedisError, OSError)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    layer_down = False  # shared: log an outage of the channel layer once

    async def __call__(self, scope, receive, send):
        """With the channel layer away, refuse the handshake (or close an open
        socket) with "try again later" instead of failing with a 500; the page
        keeps its last count and reconnects with back-off until it is back."""
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS as error:
            if not NotificationConsumer.layer_down:
                NotificationConsumer.layer_down = True
                logger.warning("channel layer unavailable (%r): sockets refused", error)
            await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=REFUSED)
            return
        dealer_user = await database_sync_to_async(dealer_selectors.dealer_user_for)(
            user=user
        )
        rep = None
        if dealer_user is None:  # staff, or the login of an inactive dealer
            rep = await database_sync_to_async(selectors.rep_context)(user=user)
            if rep is None:
                await self.close(code=REFUSED)
                return
        self.language = dealer_user.language if dealer_user else ""
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if NotificationConsumer.layer_down:
            NotificationConsumer.layer_down = False
            logger.warning("channel layer back: sockets accepted again")
        await self.accept()
        metrics.WEBSOCKETS.inc()
        if rep is not None:
            return  # a rep has no inbox: conversation events only
        unread = await self._send_unread()
        if (since := self._since()) is not None:
            for payload in await database_sync_to_async(self._missed)(since, unread):
                await self.send_json(payload)

    async def disconnect(self, code):
        if self.group:
            metrics.WEBSOCKETS.dec()
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "sync":
            await self._send_unread()

    async def notify_message(self, event):
        """A push from the delivery worker: forward it to the page."""
        await self.send_json(_to_page(event))

    async def conversation_message(self, event):
        """A message posted (or read) in a thread this user takes part in."""
        await self.send_json(_to_page(event, kind="conversation"))

    def _since(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("since") or [""])[0]
        return int(value) if value.isdigit() else None

    def _missed(self, since: int, unread: int) -> list[dict]:
        """The pushes the page missed, as the worker would have sent them."""
        deliveries = selectors.missed_pushes(user=self.scope["user"], since=since)
        return [
            _to_page(
                portal_payload(
                    delivery_services.message_for(
                        delivery, language=self.language, unread=unread
                    )
                )
            )
            for delivery in deliveries
        ]

    async def _send_unread(self) -> int:
        count = await database_sync_to_async(selectors.unread_count)(
            user=self.scope["user"]
        )
        await self.send_json({"type": "unread", "count": count})
        return count


def _to_page(event: dict, *, kind: str = "notification") -> dict:
    """A channel-layer event as the page reads it (its ``type`` is the page's)."""
    payload = {key: value for key, value in event.items() if key != "type"}
    return {"type": kind, **payload}
