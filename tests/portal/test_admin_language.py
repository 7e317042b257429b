"""The Django admin reads in Chinese: model and column names are translated."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.utils.translation import override

OUR_APPS = {"dealers", "catalog", "orders", "promos", "notifications", "cms"}
# Names that are the same in both languages.
SAME_IN_BOTH = {"SKU", "Telegram", "ERP"}


def _untranslated() -> list[str]:
    found = []
    with override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in OUR_APPS:
                continue
            names = [str(model._meta.verbose_name_plural)]
            names += [
                str(label_for_field(name, model, model_admin))
                for name in model_admin.list_display
                if name != "__str__"
            ]
            found += [
                f"{model.__name__}: {name}"
                for name in names
                if name.isascii() and name not in SAME_IN_BOTH
            ]
    return found


def test_admin_model_and_column_names_are_translated():
    """Receipts, Receivables, Statement confirmations, STATUS, CREATED BY… are never
    shown in English to a Chinese back office."""
    assert _untranslated() == []


@pytest.mark.django_db
def test_the_content_workflow_is_named_in_the_sites_language():
    """Wagtail shows the workflow and task names as stored: in Chinese."""
    from wagtail.models import Task, Workflow

    assert "营销内容审核" in Workflow.objects.values_list("name", flat=True)
    assert "市场主管或销售经理审批" in Task.objects.values_list("name", flat=True)
    names = [*Workflow.objects.values_list("name", flat=True)]
    names += Task.objects.values_list("name", flat=True)
    assert [name for name in names if name.isascii()] == []
