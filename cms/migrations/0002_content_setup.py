"""Set up marketing content: locales, the two content trees, the review workflow and
what each staff group may do in Wagtail.

- Locales zh-hans and en; a content home per language (the zh-hans one is the site
  root, replacing Wagtail's untouched welcome page) with a promotion index and a news
  index under each, as translations of each other.
- Groups: marketing drafts (add/change pages and banners, images, translations; no
  publishing, and nothing of promos — the promotion admin is closed to them); a new
  "marketing lead" group and the sales managers approve and publish.
- Workflow "Marketing content review": one group-approval task for marketing lead and
  sales manager, on both content trees and on banners. While a page is in review it is
  locked for everyone but the approvers.
"""

import uuid

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F
from django.utils import timezone

MARKETING = "marketing"
MARKETING_LEAD = "marketing lead"
SALES_MANAGER = "sales manager"

HOMES = {"zh-hans": ("经销商内容", "home"), "en": ("Dealer content", "home-en")}
INDEXES = [
    ("promotionindexpage", "promotions", {"zh-hans": "促销活动", "en": "Promotions"}),
    ("newsindexpage", "news", {"zh-hans": "新闻公告", "en": "News"}),
]

PAGE_PERMISSIONS = {
    MARKETING: ["add_page", "change_page"],
    MARKETING_LEAD: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    SALES_MANAGER: ["change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    MARKETING: [
        ("wagtailadmin", "access_admin"),
        ("cms", "add_banner"),
        ("cms", "change_banner"),
        ("simple_translation", "submit_translation"),
    ],
    MARKETING_LEAD: [
        ("wagtailadmin", "access_admin"),
        ("cms", "add_banner"),
        ("cms", "change_banner"),
        ("cms", "delete_banner"),
        ("cms", "publish_banner"),
        ("cms", "lock_banner"),
        ("cms", "unlock_banner"),
        ("simple_translation", "submit_translation"),
        ("catalog", "view_product"),
        ("catalog", "view_category"),
    ],
    SALES_MANAGER: [
        ("wagtailadmin", "access_admin"),
        ("cms", "change_banner"),
        ("cms", "publish_banner"),
        ("cms", "lock_banner"),
        ("cms", "unlock_banner"),
    ],
}
# Marketing reads promotions through the page editor's chooser, never the back office.
REVOKED = {MARKETING: [("promos", "view_promotion"), ("promos", "view_promotionversion")]}
IMAGE_PERMISSIONS = {
    MARKETING: ["add_image", "change_image", "choose_image"],
    MARKETING_LEAD: ["add_image", "change_image", "delete_image", "choose_image"],
    SALES_MANAGER: ["choose_image"],
}

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _encode(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _add_child(apps, parent, model_name, *, title, slug, locale, translation_key):
    """treebeard's add_child, by hand: historical models do not have it."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model("cms", model_name)
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    content_type, _created = ContentType.objects.get_or_create(
        app_label="cms", model=model_name
    )
    now = timezone.now()
    page = model.objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        path=parent.path + _encode(number),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        content_type=content_type,
        locale=locale,
        translation_key=translation_key,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    parent.refresh_from_db()
    return page


def _content_trees(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentHomePage = apps.get_model("cms", "ContentHomePage")
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in HOMES
    }
    if ContentHomePage.objects.exists():
        return list(ContentHomePage.objects.all())
    root = Page.objects.get(depth=1)
    plain_page = ContentType.objects.filter(
        app_label="wagtailcore", model="page"
    ).first()
    # Wagtail's "Welcome" page, if nobody has touched it (its site goes with it).
    Page.objects.filter(
        depth=2, numchild=0, slug="home", content_type=plain_page
    ).delete()
    Page.objects.filter(pk=root.pk).update(
        numchild=Page.objects.filter(depth=2).count()
    )
    root.refresh_from_db()
    home_key = uuid.uuid4()
    index_keys = {name: uuid.uuid4() for name, _slug, _titles in INDEXES}
    homes = []
    for code, (title, slug) in HOMES.items():
        home = _add_child(
            apps,
            root,
            "contenthomepage",
            title=title,
            slug=slug,
            locale=locales[code],
            translation_key=home_key,
        )
        homes.append(home)
        for model_name, index_slug, titles in INDEXES:
            _add_child(
                apps,
                home,
                model_name,
                title=titles[code],
                slug=index_slug,
                locale=locales[code],
                translation_key=index_keys[model_name],
            )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name="Dealer portal",
            root_page_id=homes[0].pk,
            is_default_site=True,
        )
    else:
        site.root_page_id = homes[0].pk
        site.save()
    return homes


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }


def set_up(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    homes = _content_trees(apps)
    permissions = _permissions(apps)
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (MARKETING, MARKETING_LEAD, SALES_MANAGER)
    }
    for name, codenames in PAGE_PERMISSIONS.items():
        for home in homes:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page_id=home.pk,
                    permission=permissions[("wagtailcore", codename)],
                )
    for name, keys in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*(permissions[key] for key in keys))
    for name, keys in REVOKED.items():
        groups[name].permissions.remove(
            *(permissions[key] for key in keys if key in permissions)
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for name, codenames in IMAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=permissions[("wagtailimages", codename)],
                )

    task_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, created = GroupApprovalTask.objects.get_or_create(
        name="Marketing lead or sales manager approval",
        defaults={"content_type": task_type, "active": True},
    )
    if created:
        task.groups.set([groups[MARKETING_LEAD], groups[SALES_MANAGER]])
    workflow, created = Workflow.objects.get_or_create(
        name="Marketing content review", defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for home in homes:
        WorkflowPage.objects.update_or_create(
            page_id=home.pk, defaults={"workflow": workflow}
        )
    banner_type, _created = ContentType.objects.get_or_create(
        app_label="cms", model="banner"
    )
    WorkflowContentType.objects.update_or_create(
        content_type=banner_type, defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("dealers", "0002_staff_groups"),
        ("promos", "0002_staff_permissions"),
        ("catalog", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
