"""Workers wake the moment a task is committed (PostgreSQL LISTEN/NOTIFY), not on
their next poll; a rolled-back enqueue wakes nobody."""

import threading
import time

import pytest
from django.db import connection, transaction

from portal.management.commands.worker import WakingWorker
from portal.ops import wake

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (run with DATABASE_URL)")


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "notifications", "reports"],
        }
    }


def _waiting(listener: wake.Listener, timeout: float):
    """Start ``listener.wait`` in a thread; returns (thread, result holder)."""
    result = {}

    def run():
        started = time.monotonic()
        result["woken"] = listener.wait(timeout)
        result["seconds"] = time.monotonic() - started

    listener.wait(0.01)  # connect and LISTEN before anything is sent
    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_a_committed_enqueue_wakes_a_listening_worker_at_once(db_tasks):
    from notifications import tasks

    listener = wake.Listener()
    try:
        thread, result = _waiting(listener, timeout=10)
        time.sleep(0.2)
        with transaction.atomic():
            tasks.deliver.enqueue()
            time.sleep(0.3)  # inside the transaction: nothing is delivered yet
            assert thread.is_alive()
        thread.join(5)
    finally:
        listener.close()

    assert result["woken"] is True
    assert result["seconds"] < 2


def test_a_rolled_back_enqueue_wakes_nobody(db_tasks):
    from notifications import tasks

    listener = wake.Listener()
    try:
        thread, result = _waiting(listener, timeout=1.0)

        def enqueue_then_fail():
            with transaction.atomic():
                tasks.deliver.enqueue()
                raise RuntimeError("roll back")

        with pytest.raises(RuntimeError):
            enqueue_then_fail()
        thread.join(5)
    finally:
        listener.close()

    assert result["woken"] is False
    assert result["seconds"] >= 0.9


def test_a_lost_listener_connection_falls_back_to_polling(db_tasks):
    listener = wake.Listener()
    try:
        listener.wait(0.01)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN portal_tasks%%' AND pid <> pg_backend_pid()"
            )
        started = time.monotonic()
        assert listener.wait(0.5) is False  # broken: waits out the poll, no crash
        assert time.monotonic() - started >= 0.4
        # …and reconnects by itself on the next wait.
        thread, result = _waiting(listener, timeout=10)
        wake.notify()
        thread.join(5)
        assert result["woken"] is True
    finally:
        listener.close()


def test_the_worker_runs_a_task_enqueued_while_it_waits(db_tasks):
    from django_tasks_db.models import DBTaskResult

    from notifications import tasks

    worker = WakingWorker(
        listener=wake.Listener(),
        queue_names=["*"],
        interval=30,  # the poll alone would take 30 s
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run)
    thread.start()
    time.sleep(1.0)  # the queue is empty: the worker waits on its listener
    started = time.monotonic()
    result = tasks.tick.enqueue()
    thread.join(20)
    worker.listener.close()

    assert not thread.is_alive()
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert time.monotonic() - started < 5
