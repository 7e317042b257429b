"""Background work for the ERP connector (Django's Tasks API).

Safe to run twice and to lose: the push looks the bill up before writing, and the
scheduled ``tick`` retries what is due and pulls what changed.
"""

from django.tasks import task

from erp import conf, push, sync
from erp.client import K3Client


@task()
def order_push(number: str) -> dict:
    """Push one placed order to the ERP (enqueued once the order commits)."""
    config = conf.config()
    if config is None:
        return {"status": "off"}
    with K3Client(config) as client:
        result = push.order_push(client=client, number=number)
    return {"status": result.status}


@task()
def order_cancel(number: str) -> dict:
    config = conf.config()
    if config is None:
        return {"status": "off"}
    with K3Client(config) as client:
        return {"status": push.order_cancel_push(client=client, number=number)}


@task()
def tick() -> dict:
    """The scheduled run: due push retries and invoice requests, then an incremental
    pull (skipped when another pull holds the lock)."""
    config = conf.config()
    if config is None:
        return {"status": "off"}
    with K3Client(config) as client:
        push.pushes_run(client=client)
        try:
            outcome = sync.sync_run(client=client, trigger="schedule")
        except sync.SyncBusy:
            return {"status": "busy"}
    return {"status": outcome.run.status, "run": outcome.run.pk}
