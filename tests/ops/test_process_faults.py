"""The Procfile's long-running processes outlive a database restart."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from notifications import services
from portal.management.commands.worker import WakingWorker


class _Listener:
    waits = 0

    def wait(self, timeout):
        self.waits += 1
        return False

    def close(self):
        pass


def test_tick_reconnects_after_a_database_error(monkeypatch):
    calls = []

    def tick():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        raise SystemExit(0)  # the second sweep ran: stop here

    monkeypatch.setattr(services, "tick", tick)

    with pytest.raises(SystemExit):
        call_command("tick", every=0.01)

    assert len(calls) == 2


def test_worker_reconnects_after_a_database_error(monkeypatch):
    runs = []

    def run(self):
        runs.append(1)
        if len(runs) == 1:
            raise OperationalError(
                "terminating connection due to administrator command"
            )
        self.running = False

    monkeypatch.setattr(Worker, "run", run)
    listener = _Listener()
    worker = WakingWorker(
        listener=listener,
        queue_names=["*"],
        interval=0.01,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )

    worker.run()

    assert len(runs) == 2
    assert listener.waits == 1
