"""A dealer user's notifications (the bell's count) are the dealer's own data: writing
one bumps the dealer's scope (``common.triggers``); a rep's bump nothing."""

from django.db import migrations

from common.triggers import VersionTrigger, dealer


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("dealers", "0008_version_triggers"),
        ("notifications", "0007_delivery_external_id"),
    ]

    operations = [
        VersionTrigger(
            "notifications_notification",
            dealer(
                "(SELECT du.dealer_id FROM dealers_dealeruser du"
                " WHERE du.user_id = {row}.recipient_id)"
            ),
        ),
    ]
