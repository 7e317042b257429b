"""Invoice requests to K/3: a dealer's request (the receivables it names) is pushed
down (下推) from K/3's receivable bills to a draft sales invoice, 专票 by rule
``IV_ReceivableToSalesIC_Entry`` or 普票 by ``IV_ReceivableToSalesOC_Entry``;
finance completes and audits it in K/3, and the pull of IV_SALESIC / IV_SALESOC
records the invoice, which closes the request (its status comes back).

A request waits while one of its receivables is not matched to a K/3 bill yet (the
receivable pull does that) and is tried again on the next tick; a refusal retries
with backoff, then waits for the rep (``erp_sync`` admin shows it).
"""

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from erp import conf
from erp.client import K3Client, K3Error
from erp.models import InvoiceRequestPush
from orders.models import Invoice, InvoiceRequest

log = logging.getLogger(__name__)

SOURCE_FORM = "AR_receivable"
RULES = {
    Invoice.Kind.VAT_SPECIAL: "IV_ReceivableToSalesIC_Entry",
    Invoice.Kind.VAT_NORMAL: "IV_ReceivableToSalesOC_Entry",
}


def invoice_requests_due(*, now: dt.datetime | None = None) -> list[str]:
    """Open requests not pushed yet whose (next) try is due."""
    now = now or timezone.now()
    not_due = InvoiceRequestPush.objects.filter(
        Q(status=InvoiceRequestPush.Status.PUSHED)
        | Q(next_attempt_at__gt=now)
        | Q(status=InvoiceRequestPush.Status.FAILED, next_attempt_at__isnull=True)
    ).values("request_number")
    return list(
        InvoiceRequest.objects.filter(status=InvoiceRequest.Status.OPEN)
        .exclude(number__in=not_due)
        .order_by("created_at", "pk")
        .values_list("number", flat=True)
    )


def invoice_request_push(*, client: K3Client, number: str) -> InvoiceRequestPush:
    """Push one request down to a draft K/3 invoice (once: a pushed one is left)."""
    push, _ = InvoiceRequestPush.objects.get_or_create(request_number=number)
    if push.status == InvoiceRequestPush.Status.PUSHED:
        return push
    request = InvoiceRequest.objects.prefetch_related("receivables").get(number=number)
    receivables = list(request.receivables.all())
    unmatched = [r.number for r in receivables if not r.erp_number]
    if unmatched:
        push.status = InvoiceRequestPush.Status.WAITING
        push.error = f"not in K/3 yet: {', '.join(unmatched)}"
        push.save()
        return push
    try:
        made = client.push_down(
            form_id=SOURCE_FORM,
            rule_id=RULES[request.kind],
            numbers=sorted({r.erp_number for r in receivables}),
        )
    except K3Error as exc:
        push.attempts += 1
        push.status = InvoiceRequestPush.Status.FAILED
        push.error = exc.reason[:2000]
        push.next_attempt_at = conf.push_retry_at(push.attempts)
        push.save()
        log.warning("K/3 push of invoice request %s failed: %s", number, exc.reason)
        return push
    push.status = InvoiceRequestPush.Status.PUSHED
    push.erp_numbers = [str(bill_number) for _id, bill_number in made]
    push.error = ""
    push.next_attempt_at = None
    push.save()
    return push
