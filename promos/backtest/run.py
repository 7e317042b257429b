"""The task's entry point: claim a queued run, replay, store the figures or the error."""

import logging

from django.utils import timezone

from promos.backtest.replayer import replay
from promos.models import BacktestRun

logger = logging.getLogger(__name__)


def backtest_run(*, run_id: int) -> BacktestRun | None:
    """Run a queued back-test, recording progress, then the figures or the error.

    Claims the run with one conditional UPDATE (queued → running), so a task delivered
    twice runs it once; a run that is not queued is left alone (None is returned).
    Any failure ends the run ``failed`` with the error, never stuck ``running``.
    """
    now = timezone.now()
    claimed = BacktestRun.objects.filter(
        pk=run_id, status=BacktestRun.Status.QUEUED
    ).update(status=BacktestRun.Status.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        return None
    run = BacktestRun.objects.select_related(
        "version__promotion__sales_org", "version__promotion__budget"
    ).get(pk=run_id)
    # Once the sweep has ended a run (its heartbeat stopped), nothing here revives it.
    running = BacktestRun.objects.filter(pk=run_id, status=BacktestRun.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        running.update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )

    try:
        result = replay(
            version=run.version,
            first=run.period_start,
            last=run.period_end,
            progress=progress,
        )
    except Exception as error:  # noqa: BLE001 -- any failure must end the run visibly
        logger.exception("back-test %s failed", run_id)
        message = f"{type(error).__name__}: {error}"[:2000]
        running.update(
            status=BacktestRun.Status.FAILED, error=message, finished_at=timezone.now()
        )
    else:
        running.update(
            status=BacktestRun.Status.DONE,
            result=result,
            progress_done=result["carts"],
            progress_total=result["carts"],
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run
