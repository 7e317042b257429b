"""The live badge and toast: one WebSocket per open page, one group per dealer user.

The origin is checked by ``AllowedHostsOriginValidator`` and the session by
``AuthMiddlewareStack`` (both in ``portal.asgi``); anonymous users, staff and users of
inactive dealers are refused. On connect the unread count is sent from the database,
so a page that missed pushes while offline shows the truth again.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from common import metrics
from notifications import selectors
from notifications.channels import user_group

REFUSED = 4403


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=REFUSED)
            return
        if not await database_sync_to_async(selectors.is_dealer_user)(user=user):
            await self.close(code=REFUSED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        metrics.WEBSOCKETS.inc()
        await self._send_unread()

    async def disconnect(self, code):
        if self.group:
            metrics.WEBSOCKETS.dec()
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "sync":
            await self._send_unread()

    async def notify_message(self, event):
        """A push from the delivery worker: forward it to the page."""
        payload = {key: value for key, value in event.items() if key != "type"}
        await self.send_json({"type": "notification", **payload})

    async def _send_unread(self):
        count = await database_sync_to_async(selectors.unread_count)(
            user=self.scope["user"]
        )
        await self.send_json({"type": "unread", "count": count})
