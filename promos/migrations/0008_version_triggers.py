"""How often a dealer used a promotion is the dealer's own data (``common.triggers``)."""

from django.db import migrations

from common.triggers import VersionTrigger, dealer


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("promos", "0007_version_name_en"),
    ]

    operations = [
        VersionTrigger("promos_promotiondealerusage", dealer("{row}.dealer_id")),
    ]
