"""Where an order stands in the ERP, as the ERP connector reports it."""

from django.db import transaction

from orders.models import Order, OrderEvent


@transaction.atomic
def order_erp_mark(
    *, number: str, system: str, status: str, erp_number: str = "", error: str = ""
) -> Order:
    """Record the order's ERP system, bill number, push status and last error.

    A failure is also written to the order's history, so the rep sees it there.
    """
    order = Order.objects.select_for_update().get(number=number)
    order.erp_system = system
    order.erp_status = status
    if erp_number:
        order.erp_number = erp_number
    order.erp_error = error[:500]
    order.save(
        update_fields=[
            "erp_system",
            "erp_number",
            "erp_status",
            "erp_error",
            "updated_at",
        ]
    )
    if status == Order.ErpStatus.FAILED and error:
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.ERP_FAILED, data={"error": error[:500]}
        )
    return order
