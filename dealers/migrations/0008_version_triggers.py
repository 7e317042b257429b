"""A dealer's row and logins bump the dealer's scope; tier and region names (which
promotions quote as audiences) bump ``orgs`` (``common.triggers``)."""

from django.db import migrations

from common.triggers import VersionTrigger, dealer


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("dealers", "0007_dealer_user_change"),
    ]

    operations = [
        VersionTrigger("dealers_dealer", dealer("{row}.id")),
        VersionTrigger("dealers_dealeruser", dealer("{row}.dealer_id")),
        VersionTrigger("dealers_tier", "'orgs'"),
        VersionTrigger("dealers_region", "'orgs'"),
    ]
