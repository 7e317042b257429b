"""Background work of promotions (Django's Tasks API; django-tasks-db by default)."""

from django.tasks import task

from promos import backtest as backtest_module


@task()
def backtest(run_id: int) -> dict:
    """Replay a draft against recent sales history, showing progress as it goes.

    Safe to deliver twice: only a queued run is started.
    """
    run = backtest_module.backtest_run(run_id=run_id)
    return {"status": run.status if run else "skipped"}
