"""The task worker of a deployment: ``db_worker`` that wakes the moment work is
enqueued (PostgreSQL LISTEN/NOTIFY, see ``portal.ops.wake``) and polls only as a
safety net (``WORKER_INTERVAL``, 5 s); a database error (a restart) is logged and
the worker reconnects instead of exiting. Every queue, one task at a time per process:
run as many processes as the load needs (the Procfile's ``worker``)."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import Error as DatabaseError
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from portal.ops import logs, wake

logger = logging.getLogger(__name__)


class WakingWorker(Worker):
    """django-tasks-db's worker, draining the queue then waiting for a NOTIFY."""

    def __init__(self, *, listener: wake.Listener, **kwargs):
        super().__init__(batch=True, **kwargs)
        self.listener = listener

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        # Batch mode returns when the queue is empty; then wait to be woken.
        while self.running:
            try:
                super().run()
            except DatabaseError as error:  # PostgreSQL restarting, say
                logger.warning("worker: database error (%s); reconnecting", error)
                connections.close_all()
            self.startup_delay = False
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running:
                self.listener.wait(self.interval)


class Command(BaseCommand):
    help = "Run background tasks, woken on enqueue (PostgreSQL) or every interval."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=None)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, queue_name, interval, max_tasks, worker_id, **options):
        worker_id = worker_id or get_random_string(32)
        logs.bind(worker_id=worker_id)
        worker = WakingWorker(
            listener=wake.Listener(),
            queue_names=queue_name.split(","),
            interval=interval or settings.WORKER_INTERVAL,
            backend_name="default",
            startup_delay=True,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.listener.close()
