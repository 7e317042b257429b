"""A dealer's own data bumps the dealer's cache scope in the database, whatever code
writes it (``common.triggers``): the pages keyed on it are never stale."""

from django.db import migrations

from common.triggers import VersionTrigger, dealer

ORDER = "(SELECT o.dealer_id FROM orders_order o WHERE o.id = {row}.%s)"


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("orders", "0021_credit_notes"),
    ]

    operations = [
        VersionTrigger("orders_order", dealer("{row}.dealer_id")),
        VersionTrigger("orders_orderline", dealer(ORDER % "order_id")),
        VersionTrigger(
            "orders_orderlinediscount",
            dealer(
                "(SELECT o.dealer_id FROM orders_orderline l JOIN orders_order o"
                " ON o.id = l.order_id WHERE l.id = {row}.line_id)"
            ),
        ),
        VersionTrigger("orders_orderevent", dealer(ORDER % "order_id")),
        VersionTrigger("orders_deliveryplanpart", dealer(ORDER % "order_id")),
        VersionTrigger("orders_shipment", dealer(ORDER % "order_id")),
        VersionTrigger(
            "orders_shipmentline",
            dealer(
                "(SELECT o.dealer_id FROM orders_shipment s JOIN orders_order o"
                " ON o.id = s.order_id WHERE s.id = {row}.shipment_id)"
            ),
        ),
        VersionTrigger("orders_accountmovement", dealer("{row}.dealer_id")),
        VersionTrigger("orders_cart", dealer("{row}.dealer_id")),
        VersionTrigger(
            "orders_cartitem",
            dealer(
                "(SELECT c.dealer_id FROM orders_cart c WHERE c.id = {row}.cart_id)"
            ),
        ),
        VersionTrigger("orders_receivable", dealer("{row}.dealer_id")),
        VersionTrigger("orders_receipt", dealer("{row}.dealer_id")),
        VersionTrigger(
            "orders_writeoff",
            dealer(
                "(SELECT r.dealer_id FROM orders_receivable r"
                " WHERE r.id = {row}.receivable_id)"
            ),
        ),
        VersionTrigger("orders_invoice", dealer("{row}.dealer_id")),
        VersionTrigger(
            "orders_invoiceallocation",
            dealer(
                "(SELECT i.dealer_id FROM orders_invoice i WHERE i.id = {row}.invoice_id)"
            ),
        ),
        VersionTrigger("orders_invoicerequest", dealer("{row}.dealer_id")),
    ]
