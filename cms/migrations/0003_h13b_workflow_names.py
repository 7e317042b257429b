"""Name the content review workflow and its task in the site's language (Chinese):
Wagtail shows both names as stored, to every editor."""

from django.db import migrations

NAMES = [
    # Wagtail's own default workflow and task, on the root page
    ("Workflow", "Moderators approval", "版主审批"),
    ("Task", "Moderators approval", "版主审批"),
    ("Workflow", "Marketing content review", "营销内容审核"),
    ("Task", "Marketing lead or sales manager approval", "市场主管或销售经理审批"),
]


def rename(apps, schema_editor, *, backwards=False):
    for model, english, chinese in NAMES:
        old, new = (chinese, english) if backwards else (english, chinese)
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("cms", "0002_content_setup")]

    operations = [
        migrations.RunPython(
            rename, lambda apps, editor: rename(apps, editor, backwards=True)
        )
    ]
