"""Probes: ``/healthz`` (alive), ``/readyz`` (ready to serve), ``/ping`` (alias).

``/readyz`` runs django-health-check's checks concurrently, each with its own time
budget: the database answers, every migration is applied, the cache works and, when
REDIS_URL is set, Redis answers and the channel layer carries a message. 200 when
all pass; 503 otherwise, the JSON naming each failing part and why. A load balancer
takes a process out of rotation on 503 and back on 200; nothing restarts it.
"""

import asyncio
import dataclasses

from channels.layers import get_channel_layer
from django import db
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration on disk is applied (new code waits for ``migrate``)."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except db.Error as error:
            raise ServiceUnavailable(str(error).split("\n")[0]) from error
        finally:
            connection.close()  # this ran in a thread of the executor
        if plan:
            first = plan[0][0]
            raise ServiceUnavailable(
                f"{len(plan)} migrations not applied (first: {first.app_label}.{first.name})"
            )


@dataclasses.dataclass
class RedisPing(HealthCheck):
    """REDIS_URL answers PING (a client of its own, closed after)."""

    url: str = dataclasses.field(default="", repr=False)

    async def run(self):
        from redis.asyncio import Redis
        from redis.exceptions import RedisError

        client = Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        try:
            await client.ping()
        except (RedisError, OSError) as error:
            raise ServiceUnavailable(f"Redis: {type(error).__name__}") from error
        finally:
            await client.aclose()


@dataclasses.dataclass
class ChannelLayer(HealthCheck):
    """A message goes through the channel layer to a new channel and back."""

    async def run(self):
        layer = get_channel_layer()
        if layer is None:
            raise ServiceUnavailable("no channel layer configured")
        try:
            channel = await layer.new_channel()
            await layer.send(channel, {"type": "readyz.ping"})
            message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        except (OSError, TimeoutError) as error:
            raise ServiceUnavailable(f"{type(error).__name__}: {error}") from error
        except Exception as error:  # noqa: BLE001 - redis errors are not OSErrors
            raise ServiceUnavailable(type(error).__name__) from error
        if message.get("type") != "readyz.ping":
            raise ServiceUnavailable("wrong message came back")


def readiness_checks() -> dict[str, HealthCheck]:
    """What ``/readyz`` asks, by the name its answer shows."""
    checks: dict[str, HealthCheck] = {
        "database": Database(),
        "migrations": Migrations(),
        "cache": Cache(),
        "channel_layer": ChannelLayer(),
    }
    if settings.REDIS_URL:
        checks["redis"] = RedisPing(url=settings.REDIS_URL)
    return checks


class ReadyView(HealthCheckView):
    """django-health-check's runner; the answer is ours: 503 and a JSON by name."""

    async def get(self, request, *args, **kwargs):
        checks = readiness_checks()
        results = await asyncio.gather(
            *(check.get_result(None) for check in checks.values())
        )
        report = {
            name: "ok" if result.error is None else str(result.error)
            for name, result in zip(checks, results, strict=True)
        }
        healthy = all(value == "ok" for value in report.values())
        return JsonResponse(
            {"status": "ok" if healthy else "error", "checks": report},
            status=200 if healthy else 503,
        )


readyz = ReadyView.as_view()


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers; no dependency is touched."""
    return HttpResponse("ok", content_type="text/plain")


ping = healthz
