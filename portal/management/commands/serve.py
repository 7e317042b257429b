"""Serve the ASGI application with uvicorn, and the task worker in the same process.

The embedded default's in-memory channel layer reaches only its own process, so
``make run`` runs the worker here; at scale run ``db_worker`` processes instead
(``--no-worker``).
"""

import threading

import uvicorn
from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker


class Command(BaseCommand):
    help = "Serve the portal (HTTP + WebSocket) with an embedded task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not run the task worker."
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="uvicorn worker processes"
        )

    def handle(self, *args, host, port, no_worker, workers, **options):
        if not no_worker and workers == 1:
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
            self.stdout.write("Task worker running inside the web process.")
        self.stdout.write(f"Serving on http://{host}:{port}/")
        uvicorn.run(
            "portal.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            lifespan="off",
        )
