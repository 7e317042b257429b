"""The push: a placed portal order becomes a K/3 sales order (SAL_SaleOrder).

Save with FBillNo = the portal's order number (K/3 refuses a duplicate number), then
Submit/Audit as configured. Before any write the bill is looked up, so a retry after a
timeout never makes a second bill. Failures retry with backoff and show on the order
("ERP: failed (reason)"); cancellations are pushed as K/3 allows (unaudit, then
delete an unaudited bill) or noted for the rep.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from erp import conf, invoices
from erp.client import K3BusinessError, K3Client, K3Error
from erp.conf import SYSTEM
from erp.models import OrderPush
from orders import selectors as order_selectors
from orders import services as order_services
from orders.models import Order
from promos.models import PromotionApplication

log = logging.getLogger(__name__)

FORM = "SAL_SaleOrder"


def order_push_pending(*, number: str) -> None:
    """Mark an order to be pushed (the caller's transaction: the order's own)."""
    OrderPush.objects.get_or_create(order_number=number)
    order_services.order_erp_mark(
        number=number, system=SYSTEM, status=Order.ErpStatus.PENDING
    )


def _promotion_codes(order: Order) -> list[str]:
    return sorted(
        set(
            PromotionApplication.objects.filter(order_number=order.number).values_list(
                "promotion__code", flat=True
            )
        )
    )


def sales_order_model(order: Order, *, config) -> dict:
    """The SAL_SaleOrder as K/3 takes it: goods lines, gift lines free at price 0,
    promotion codes in the remarks."""
    codes = _promotion_codes(order)
    note = " ".join(
        filter(None, [f"portal {order.number}", "; ".join(codes), order.note])
    )
    entries = []
    for line in order.lines.all():
        entry = {
            "FMaterialId": {"FNumber": line.sku},
            "FUnitID": {"FNumber": line.product.unit},
            "FQty": line.quantity,
            "FTaxPrice": 0 if line.is_gift else float(line.unit_price),
            "FIsFree": line.is_gift,
        }
        if line.is_gift:
            promotion = line.gift_version.promotion.code if line.gift_version else ""
            entry["FEntryNote"] = f"gift {promotion}".strip()
        elif discounts := [d.version.promotion.code for d in line.discounts.all()]:
            entry["FEntryNote"] = " ".join(sorted(set(discounts)))
            entry["FAllAmount"] = float(line.net_amount)
        entries.append(entry)
    return {
        "FBillTypeID": {"FNumber": config.order_bill_type},
        "FBillNo": order.number,
        "FDate": timezone.localtime(order.placed_at).date().isoformat(),
        "FSaleOrgId": {"FNumber": config.sale_org},
        "FCustId": {"FNumber": order.dealer.code},
        "FNote": note[:255],
        "FSaleOrderFinance": {
            "FSettleCurrId": {"FNumber": config.currency},
            "FIsIncludedTax": True,
        },
        "FSaleOrderEntry": entries,
    }


def _approve(client: K3Client, status: str, number: str) -> str:
    """Submit and audit as configured, from where the bill stands; its new status."""
    approval = client.config.order_approval
    if approval in ("submit", "audit") and status in ("A", "D", "Z"):
        client.operate("Submit", form_id=FORM, numbers=[number])
        status = "B"
    if approval == "audit" and status == "B":
        client.operate("Audit", form_id=FORM, numbers=[number])
        status = "C"
    return status


def order_push(*, client: K3Client, number: str) -> OrderPush:
    """Push one order (idempotent: a pushed order is left alone)."""
    push, _ = OrderPush.objects.get_or_create(order_number=number)
    if push.status == OrderPush.Status.PUSHED:
        return push
    order = order_selectors.order_get(number=number)
    if order.status == Order.Status.CREDIT_HOLD:
        return push  # K/3 gets it once the rep releases it (order.released)
    try:
        existing = client.view(form_id=FORM, number=number)
        if existing is None:
            _id, erp_number = client.save(
                form_id=FORM, model=sales_order_model(order, config=client.config)
            )
            erp_number = erp_number or number
            status = "A"
        else:  # an earlier attempt got through before it timed out
            erp_number = existing.get("BillNo") or existing.get("FBillNo") or number
            status = existing.get("FDocumentStatus") or "A"
        _approve(client, status, erp_number)
    except K3Error as exc:
        return _failed(push, number, exc)
    with transaction.atomic():
        push.status = OrderPush.Status.PUSHED
        push.next_attempt_at = None
        push.save()
        order_services.order_erp_mark(
            number=number,
            system=SYSTEM,
            status=Order.ErpStatus.PUSHED,
            erp_number=erp_number,
        )
    return push


def _failed(push: OrderPush, number: str, exc: K3Error) -> OrderPush:
    push.attempts += 1
    push.status = OrderPush.Status.FAILED
    push.next_attempt_at = conf.push_retry_at(push.attempts)
    push.save()
    order_services.order_erp_mark(
        number=number, system=SYSTEM, status=Order.ErpStatus.FAILED, error=exc.reason
    )
    log.warning("K/3 push of %s failed (%s): %s", number, push.attempts, exc.reason)
    return push


def order_cancel_push(*, client: K3Client, number: str) -> str:
    """Tell K/3 an order was cancelled: unaudit and delete the bill where K/3 allows;
    otherwise note the refusal on the order for the rep. Returns what happened."""
    order = Order.objects.get(number=number)
    if order.status != Order.Status.CANCELLED or not order.erp_number:
        return "nothing"
    try:
        bill = client.view(form_id=FORM, number=order.erp_number)
        if bill is None:
            return "gone"
        status = bill.get("FDocumentStatus")
        if status == "C" or status == "B":
            client.operate("UnAudit", form_id=FORM, numbers=[order.erp_number])
        client.operate("Delete", form_id=FORM, numbers=[order.erp_number])
    except K3BusinessError as exc:
        order_services.order_erp_mark(
            number=number,
            system=SYSTEM,
            status=order.erp_status,
            error=f"cancel: {exc.reason}",
        )
        return "refused"
    return "deleted"


def pushes_due(*, now: dt.datetime | None = None) -> list[str]:
    """Orders whose push waits for a (re)try now."""
    now = now or timezone.now()
    return list(
        OrderPush.objects.filter(
            status=OrderPush.Status.FAILED, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("order_number", flat=True)
    )


def pushes_run(*, client: K3Client) -> None:
    """Every push that is due: orders' retries, then dealers' invoice requests."""
    for number in pushes_due():
        order_push(client=client, number=number)
    for number in invoices.invoice_requests_due():
        invoices.invoice_request_push(client=client, number=number)
