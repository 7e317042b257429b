"""Background work (Django's Tasks API; django-tasks-db by default).

Every task is safe to run twice and to lose: the rows are the truth, and the
periodic ``tick`` redoes whatever a lost task left.
"""

from django.tasks import task

from notifications import queue, services


@queue.register
@task()
def deliver() -> dict:
    """Send every due delivery, batch after batch."""
    report = services.deliveries_dispatch_all()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


@queue.register
@task()
def campaign_send(campaign_id: int) -> dict:
    """Fan a campaign out to its dealers, showing progress as it goes."""
    campaign = services.campaign_run(campaign_id=campaign_id)
    return {"status": campaign.status if campaign else "missing"}


@queue.register
@task()
def tick() -> dict:
    """The safety-net sweep: due retries, quiet hours ended, lost work."""
    report = services.tick()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}
