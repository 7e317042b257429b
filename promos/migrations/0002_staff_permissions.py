"""Give the staff groups what they need of promotions: reps and managers work on
them (services still hold each to their org and role), marketing and finance read."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "sales rep": ["view_promotion", "change_promotion", "view_promotionversion"],
    "sales manager": [
        "view_promotion", "change_promotion", "view_promotionversion",
        "view_promotionapplication", "view_promotionbudget",
    ],
    "marketing": ["view_promotion", "view_promotionversion"],
    "finance": ["view_promotion", "view_promotionapplication", "view_promotionbudget"],
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
            *Permission.objects.filter(codename__in=codenames, content_type__app_label="promos")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("promos", "0001_initial"),
        ("dealers", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
