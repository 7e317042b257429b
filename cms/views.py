"""Admin report: content that is not yet in every language."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from cms.models import Banner, NewsPage, PromotionPage


@dataclass(frozen=True)
class MissingTranslation:
    """One piece of content and the languages it still lacks."""

    title: str
    kind: str
    languages: str
    missing: str
    edit_url: str
    translate_url: str | None


def _names(codes) -> str:
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes)


def missing_translations(*, can_translate: bool) -> list[MissingTranslation]:
    """Promotion pages, news pages and banners lacking a content language."""
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    rows = []
    sources = [
        (
            Page.objects.type(PromotionPage, NewsPage)
            .select_related("locale", "content_type")
            .order_by("-latest_revision_created_at", "pk"),
            Page,
        ),
        (Banner.objects.select_related("locale").order_by("-pk"), Banner),
    ]
    for queryset, model in sources:
        items = list(queryset)
        have: dict = {}
        for key, code in model.objects.filter(
            translation_key__in={item.translation_key for item in items}
        ).values_list("translation_key", "locale__language_code"):
            have.setdefault(key, set()).add(code)
        seen = set()
        for item in items:
            if item.translation_key in seen:
                continue
            seen.add(item.translation_key)
            present = [code for code in languages if code in have[item.translation_key]]
            absent = [code for code in languages if code not in present]
            if not absent:
                continue
            rows.append(_row(item, present, absent, can_translate))
    return rows


def _row(item, present, absent, can_translate) -> MissingTranslation:
    if isinstance(item, Page):
        kind = item.content_type.model_class()._meta.verbose_name
        edit_url = reverse("wagtailadmin_pages:edit", args=[item.pk])
        translate_url = reverse(
            "simple_translation:submit_page_translation", args=[item.pk]
        )
        title = item.get_admin_display_title()
    else:
        kind = Banner._meta.verbose_name
        edit_url = reverse(
            Banner.snippet_viewset.get_url_name("edit"), args=[quote(item.pk)]
        )
        translate_url = reverse(
            "simple_translation:submit_snippet_translation",
            args=["cms", "banner", quote(item.pk)],
        )
        title = str(item)
    return MissingTranslation(
        title=title,
        kind=str(kind),
        languages=_names(present),
        missing=_names(absent),
        edit_url=edit_url,
        translate_url=translate_url if can_translate else None,
    )


class MissingTranslationsView(ReportView):
    """Which pages and banners an editor still has to translate."""

    page_title = _("Missing translations")
    header_icon = "globe"
    index_url_name = "cms_missing_translations"
    index_results_url_name = "cms_missing_translations_results"
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 50
    list_export = ["title", "kind", "languages", "missing"]
    export_headings = {
        "title": _("Title"),
        "kind": _("Type"),
        "languages": _("Written in"),
        "missing": _("Missing"),
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda row: row.edit_url),
        Column("kind", label=_("Type")),
        Column("languages", label=_("Written in")),
        Column("missing", label=_("Missing")),
        TitleColumn(
            "translate",
            label=_("Translate"),
            accessor=lambda row: _("Translate") if row.translate_url else "",
            get_url=lambda row: row.translate_url,
        ),
    ]

    def get_filename(self):
        return "missing-translations"

    def get_queryset(self):
        return missing_translations(
            can_translate=self.request.user.has_perm(
                "simple_translation.submit_translation"
            )
        )
