"""Give the sales groups what the rep console needs: reps compose and follow their
campaigns (services still hold each to the dealers they serve), managers too, and
both can look at notifications and deliveries in the back office."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "sales rep": [
        "add_campaign", "view_campaign", "change_campaign", "view_campaignrecipient",
        "view_notification", "view_delivery",
    ],
    "sales manager": [
        "add_campaign", "view_campaign", "change_campaign", "view_campaignrecipient",
        "view_notification", "view_delivery", "view_preference",
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
                codename__in=codenames, content_type__app_label="notifications"
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="notifications")
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("dealers", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
