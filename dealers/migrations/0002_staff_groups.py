"""Create the staff groups with the permissions of the apps that exist so far.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "sales rep": ["view_dealer", "view_dealeruser", "view_salesorg", "view_product", "view_stock"],
    "sales manager": [
        "view_dealer", "change_dealer", "view_dealeruser", "view_salesorg", "view_salesrep",
        "view_product", "view_stock", "view_saleshistory",
    ],
    "marketing": ["view_product", "view_category"],
    "finance": ["view_dealer", "change_dealer", "view_saleshistory"],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                codename__in=codenames, content_type__app_label__in=["dealers", "catalog"]
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dealers", "0001_initial"),
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
