"""Publishing, unpublishing or moving a page or a banner bumps ``cms``
(``common.triggers``): the pages that show them are keyed on it."""

from django.db import migrations

from common.triggers import VersionTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("cms", "0003_h13b_workflow_names"),
    ]

    operations = [
        VersionTrigger("wagtailcore_page", "'cms'"),
        VersionTrigger("cms_banner", "'cms'"),
    ]
