"""Posting Wagtail's page editor as an editor's browser would."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)


def page_form(
    *, promotion, title, summary, slug, text="", blocks=None, **extra
) -> dict:
    """The fields of the promotion page editor (with optional go_live_at etc.);
    the body is ``text`` as one paragraph, or ``blocks`` (type, form value) pairs."""
    if blocks is None:
        blocks = [("text", rich_text(f"<p>{text}</p>"))] if text else []
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "promotion": promotion.pk,
            "summary": summary,
            "hero_image": "",
            "body": streamfield(blocks),
            "display_from": "",
            "display_until": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def add_url(parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=["cms", "promotionpage", parent.pk])


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def approve_url(page: Page) -> str:
    task_state = page.current_workflow_task_state
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", task_state.pk],
    )
