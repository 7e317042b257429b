"""Whatever writes a promotion, its versions or its targets moves ``promotions``
(``common.triggers``), as the services' own bump does: a write anywhere in their
transaction, not only before it."""

from django.db import migrations

from common.triggers import VersionTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("promos", "0008_version_triggers"),
    ]

    operations = [
        VersionTrigger("promos_promotion", "'promotions'"),
        VersionTrigger("promos_promotionversion", "'promotions'"),
        VersionTrigger("promos_promotiontarget", "'promotions'"),
    ]
