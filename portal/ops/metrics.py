"""GET /metrics: Prometheus text for the operator's alerts.

Counted as they happen (``common.metrics``): requests by status, delivery results
by channel (Telegram sends), Telegram 429s, open WebSockets. Read from the database
at scrape time: task queue depth and the age of its oldest ready task, the outbox
backlog (due deliveries) and its oldest due row, by channel.

Protected: a ``Authorization: Bearer <METRICS_TOKEN>`` header when METRICS_TOKEN is
set, otherwise only clients in METRICS_ALLOWED_IPS (loopback by default; behind a
proxy the proxy's address is what Django sees, so set a token there).
"""

import hmac
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from common import metrics


def request_observed(method: str, status: int, seconds: float) -> None:
    metrics.REQUESTS.labels(method, str(status)).inc()
    metrics.REQUEST_SECONDS.observe(seconds)


class BacklogCollector:
    """Queue and outbox gauges, read from the database at each scrape."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from notifications.models import Delivery

        now = timezone.now()
        depth = GaugeMetricFamily(
            "portal_task_queue_depth", "Tasks ready to run", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "portal_task_queue_oldest_seconds",
            "Age of the oldest ready task",
            labels=["queue"],
        )
        rows = (
            DBTaskResult.objects.ready()
            .values("queue_name")
            .annotate(n=Count("pk"), oldest=Min("enqueued_at"))
            .order_by()
        )
        queues = dict.fromkeys(settings.TASKS["default"].get("QUEUES", []), (0, None))
        queues.update({row["queue_name"]: (row["n"], row["oldest"]) for row in rows})
        for queue, (count, oldest) in sorted(queues.items()):
            depth.add_metric([queue], count)
            age.add_metric([queue], (now - oldest).total_seconds() if oldest else 0)
        yield depth
        yield age
        backlog = GaugeMetricFamily(
            "portal_outbox_backlog", "Deliveries due and not sent", labels=["channel"]
        )
        backlog_age = GaugeMetricFamily(
            "portal_outbox_oldest_seconds",
            "How long the oldest due delivery has waited",
            labels=["channel"],
        )
        rows = (
            Delivery.objects.filter(
                status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING],
                next_attempt_at__lte=now,
            )
            .values("channel")
            .annotate(n=Count("pk"), oldest=Min("next_attempt_at"))
            .order_by()
        )
        channels = {"portal": (0, None)}
        channels.update({row["channel"]: (row["n"], row["oldest"]) for row in rows})
        for channel, (count, oldest) in sorted(channels.items()):
            backlog.add_metric([channel], count)
            backlog_age.add_metric(
                [channel], (now - oldest).total_seconds() if oldest else 0
            )
        yield backlog
        yield backlog_age


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        # This process's own counters, without the default process/GC collectors.
        for collector in (
            metrics.REQUESTS,
            metrics.REQUEST_SECONDS,
            metrics.DELIVERIES,
            metrics.TELEGRAM_RATE_LIMITED,
            metrics.WEBSOCKETS,
        ):
            registry.register(collector)
    registry.register(BacklogCollector())
    return registry


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics_view(request):
    if not _allowed(request):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
