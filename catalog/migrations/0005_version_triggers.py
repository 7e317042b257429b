"""Whatever writes the catalogue or stock (services, the admin, the ERP sync, a seed)
moves ``catalog`` or ``stock`` (``common.triggers``): the pages and lookups cached
on them are never stale."""

from django.db import migrations

from common.triggers import VersionTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("catalog", "0004_merge_20261203_1720"),
    ]

    operations = [
        VersionTrigger("catalog_category", "'catalog'"),
        VersionTrigger("catalog_product", "'catalog'"),
        VersionTrigger("catalog_tierprice", "'catalog'"),
        VersionTrigger("catalog_unit", "'catalog'"),
        VersionTrigger("catalog_stock", "'stock'"),
        VersionTrigger("catalog_warehouse", "'stock'"),
    ]
