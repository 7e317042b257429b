"""A start-up check for the Redis channel layer that live pushes depend on."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning

BLOCKING_RECEIVE_SECONDS = 5  # channels_redis's brpop_timeout


def redis_layer_timeout(app_configs=None, **kwargs):
    """channels_redis blocks 5 s per receive; redis-py 6+ also times sockets out
    after 5 s by default, so idle WebSocket consumers die with a TimeoutError
    unless each host sets a longer ``socket_timeout`` (or None)."""
    layer = getattr(settings, "CHANNEL_LAYERS", {}).get("default", {})
    if not layer.get("BACKEND", "").startswith("channels_redis."):
        return []
    hosts = layer.get("CONFIG", {}).get("hosts", [])
    short = [
        host
        for host in hosts
        if not isinstance(host, dict)
        or (
            host.get("socket_timeout", BLOCKING_RECEIVE_SECONDS) is not None
            and host.get("socket_timeout", BLOCKING_RECEIVE_SECONDS)
            <= BLOCKING_RECEIVE_SECONDS
        )
    ]
    if not short:
        return []
    return [
        CheckWarning(
            "A Redis channel-layer host has no socket_timeout above 5 s: idle "
            "WebSocket consumers will die with a TimeoutError.",
            hint='Give each host as {"address": REDIS_URL, "socket_timeout": 30}.',
            id="notifications.W001",
        )
    ]
