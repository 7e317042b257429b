"""Prometheus counters every app may bump (``portal.ops.metrics`` serves them).

Process-local by default. With ``PROMETHEUS_MULTIPROC_DIR`` set (the Procfile's
processes on one machine, or a volume shared by the containers) prometheus-client
writes them to files there and ``/metrics`` adds every process up.
"""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by method and status",
    ["method", "status"],
)
REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer an HTTP request",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DELIVERIES = Counter(
    "portal_deliveries",
    "Delivery attempts finished, by channel (portal, telegram) and result",
    ["channel", "result"],
)
TELEGRAM_RATE_LIMITED = Counter(
    "portal_telegram_rate_limited", "Bot API 429 answers (every sender pauses)"
)
WEBSOCKETS = Gauge(
    "portal_websocket_connections",
    "Open WebSocket connections",
    multiprocess_mode="livesum",
)
