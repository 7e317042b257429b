"""Waking task workers the moment work is enqueued, instead of on their next poll.

On PostgreSQL every enqueue also says ``NOTIFY portal_tasks`` on the enqueuing
connection: inside a transaction PostgreSQL holds the notification until COMMIT (and
drops it on rollback), so a worker never wakes for a row it cannot see yet. Each
worker (``manage.py worker``) keeps one extra connection that LISTENs and waits on it
between polls; the poll stays as the safety net (a lost notification, a listener
reconnecting after a database restart), so the worst case is the poll interval.

Elsewhere (SQLite) the wait is a plain sleep: the embedded default runs its worker
in the web process, where the poll is short anyway.
"""

import logging
import time

from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "portal_tasks"


def notify(*, queue_name: str = "", using: str = "default") -> None:
    """Tell listening workers that work was enqueued (on commit, when in a transaction)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, queue_name])
    except Exception:  # noqa: BLE001 - the row is written; the poll finds it
        logger.warning("could not notify the workers; they poll", exc_info=True)


def on_task_enqueued(sender, task_result, **kwargs) -> None:
    """``django.tasks.signals.task_enqueued`` receiver (``PortalConfig.ready``)."""
    notify(queue_name=getattr(task_result.task, "queue_name", ""))


class Listener:
    """A LISTEN connection of its own; ``wait`` returns on a notification or timeout."""

    def __init__(self, using: str = "default"):
        self.using = using
        self._conn = None

    @property
    def enabled(self) -> bool:
        return connections[self.using].vendor == "postgresql"

    def _connect(self):
        import psycopg

        params = connections[self.using].get_connection_params()
        params = {
            key: value
            for key, value in params.items()
            if key in {"dbname", "user", "password", "host", "port", "sslmode"}
            or key in {"options", "application_name", "connect_timeout"}
        }
        params.setdefault("connect_timeout", 5)
        conn = psycopg.connect(autocommit=True, **params)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                logger.debug("closing the listener failed", exc_info=True)
            self._conn = None

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True when woken by a notification."""
        if not self.enabled:
            time.sleep(timeout)
            return False
        deadline = time.monotonic() + timeout
        try:
            if self._conn is None:
                self._conn = self._connect()
            woken = bool(list(self._conn.notifies(timeout=timeout, stop_after=1)))
            if woken:  # drain the burst: one wake-up per batch of enqueues is enough
                list(self._conn.notifies(timeout=0))
            return woken
        except Exception as error:  # noqa: BLE001 - the database restarted, say
            logger.warning("task wake-up listener lost (%s); polling", error)
            self.close()
            left = deadline - time.monotonic()
            if left > 0:
                time.sleep(left)
            return False
