"""Staff groups and orders: reps follow and release orders; finance handles money."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "sales rep": ["view_order", "change_order", "view_shipment", "view_receivable"],
    "sales manager": [
        "view_order",
        "change_order",
        "view_shipment",
        "view_receivable",
        "view_receipt",
        "view_statementconfirmation",
    ],
    "finance": [
        "view_order",
        "view_shipment",
        "view_receivable",
        "change_receivable",
        "view_receipt",
        "add_receipt",
        "view_writeoff",
        "change_writeoff",
        "view_statementconfirmation",
    ],
}


def grant(apps, schema_editor):
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
                codename__in=codenames, content_type__app_label="orders"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_lifecycle"),
        ("dealers", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
