"""The database connection drops under a web request: a clear 503, no half-written
order, and the retry with the same Idempotency-Key places it once."""

from django.db import OperationalError, connection

from orders.models import Order, OrderLine
from tests.api.test_orders_api import LINES_25
from tests.world import gift_promotion


def test_a_dropped_connection_mid_order_is_503_and_writes_nothing(api, world, approve):
    approve(gift_promotion())
    injected = []

    def drop_on_lines(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "orders_orderline" in sql:
            injected.append(sql[:40])
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_on_lines):
        dropped = api.post(
            "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-drop"
        )
    orders_after_drop = Order.objects.count()
    retried = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-drop"
    )
    again = api.post(
        "/api/v1/dealers/D1/orders", LINES_25, HTTP_IDEMPOTENCY_KEY="k-drop"
    )

    print(  # noqa: T201
        f"\ninjected: OperationalError on {injected}; saw: {dropped.status_code} "
        f"{dropped.json()['code']}, orders after the drop {orders_after_drop}, "
        f"retry {retried.status_code}, repeat {again.status_code}"
    )
    assert injected
    assert dropped.status_code == 503
    assert dropped.json()["code"] == "unavailable"
    assert dropped["Retry-After"]
    assert orders_after_drop == 0
    assert retried.status_code == 201
    assert again.status_code == 200
    assert Order.objects.count() == 1
    assert OrderLine.objects.filter(order__number=retried.json()["number"]).exists()
