"""WebSocket routes; the notifications app adds its consumer here."""

from notifications.routing import websocket_urlpatterns as notification_patterns

websocket_urlpatterns: list = [*notification_patterns]
