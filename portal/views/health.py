"""GET /healthz: database, cache and channel layer, as JSON."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    value = cache.get(key)
    cache.delete(key)
    return "ok" if value == "1" else "error: value not read back"


async def _layer_roundtrip() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error: no channel layer configured"
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return "ok" if message.get("type") == "healthz.ping" else "error: wrong message"


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": async_to_sync(_layer_roundtrip),
}


@never_cache
@require_GET
def ping(request):
    """Liveness: the process answers (no dependency is touched)."""
    return HttpResponse("pong", content_type="text/plain")


@never_cache
@require_GET
def healthz(request):
    """Report each dependency; 503 when any of them fails."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure
            results[name] = f"error: {exc.__class__.__name__}: {exc}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
