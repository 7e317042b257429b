"""Serve the ASGI application with uvicorn, and the task worker in the same process.

The embedded default's in-memory channel layer reaches only its own process, so
``make run`` runs the worker here; at scale run ``db_worker`` processes (and one
``notifications_tick``) instead (``--no-worker``).

The worker is a thread, and the WebSocket consumers live on uvicorn's event loop:
asyncio queues are not thread-safe, so the server hands its loop to the
notifications channel at start-up, and pushes from the worker thread are scheduled
on it (``run_coroutine_threadsafe``) instead of on a loop of the worker's own.
"""

import asyncio
import logging
import threading

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from erp import conf as erp_conf
from erp import tasks as erp_tasks
from notifications import channels, conf, tasks

logger = logging.getLogger(__name__)


class EmbeddedServer(uvicorn.Server):
    """uvicorn's server, telling the notifications channel which loop it runs on."""

    async def startup(self, sockets=None):
        channels.server_loop_set(asyncio.get_running_loop())
        await super().startup(sockets=sockets)

    async def shutdown(self, sockets=None):
        channels.server_loop_set(None)
        await super().shutdown(sockets=sockets)


def _tick_forever(stop: threading.Event) -> None:
    """Enqueue the notifications sweep every few seconds (the worker runs it)."""
    while not stop.wait(conf.get("TICK_SECONDS")):
        try:
            tasks.tick.enqueue()
        except Exception:  # noqa: BLE001 - a busy database: try again next time
            continue


def _erp_tick_forever(stop: threading.Event, every: float) -> None:
    """Enqueue the ERP sync every few minutes (its lock keeps runs from overlapping)."""
    while not stop.wait(every):
        try:
            erp_tasks.tick.enqueue()
        except Exception:  # noqa: BLE001 - a busy database: try again next time
            continue


def _log_config() -> dict:
    """JSON logs (production): uvicorn's loggers go through Django's LOGGING."""
    if settings.LOGGING["handlers"]["console"].get("formatter") == "json":
        return {"log_config": None}
    return {}


class Command(BaseCommand):
    help = "Serve the portal (HTTP + WebSocket) with an embedded task worker."

    def add_arguments(self, parser):
        # Defaults from HOST and PORT (honcho sets PORT for each web process).
        parser.add_argument("--host", default=settings.SERVE_HOST)
        parser.add_argument("--port", type=int, default=settings.SERVE_PORT)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not run the task worker."
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="uvicorn worker processes"
        )

    def handle(self, *args, host, port, no_worker, workers, **options):
        if workers > 1:
            logger.info("Serving on http://%s:%s/ (%s workers)", host, port, workers)
            uvicorn.run(
                "portal.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="info",
                lifespan="off",
                proxy_headers=False,  # X-Forwarded-For: see common.clientip
                **_log_config(),
            )
            return
        if not no_worker:
            worker = Worker(
                queue_names=["*"],
                interval=0.5,
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="embedded",
                excluded_queue_names=[],
            )
            threading.Thread(target=worker.run, name="task-worker", daemon=True).start()
            threading.Thread(
                target=_tick_forever,
                args=(threading.Event(),),
                name="notifications-tick",
                daemon=True,
            ).start()
            if erp_conf.config() is not None:
                threading.Thread(
                    target=_erp_tick_forever,
                    args=(
                        threading.Event(),
                        settings.K3CLOUD["SYNC_EVERY_MINUTES"] * 60,
                    ),
                    name="erp-tick",
                    daemon=True,
                ).start()
            logger.info("Task worker running inside the web process.")
        logger.info("Serving on http://%s:%s/", host, port)
        config = uvicorn.Config(
            "portal.asgi:application",
            host=host,
            port=port,
            log_level="info",
            lifespan="off",
            proxy_headers=False,  # X-Forwarded-For: see common.clientip
            **_log_config(),
        )
        EmbeddedServer(config).run()
