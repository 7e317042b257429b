"""Wagtail admin set-up for marketing content, and the door dealers read it through."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import selectors, views
from cms.models import Banner
from cms.viewsets import product_chooser_viewset, promotion_chooser_viewset


@hooks.register("register_admin_viewset")
def register_promotion_chooser():
    return promotion_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    menu_label = _("Banners")
    menu_name = "banners"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "title",
        "promotion",
        "page",
        "display_from",
        "display_until",
        "priority",
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["live"]
    search_fields = ["title"]
    ordering = ["-priority", "-pk"]


register_snippet(BannerViewSet)


@hooks.register("before_serve_page")
def serve_inside_the_portal(page, request, serve_args, serve_kwargs):
    """Content is for logged-in dealers of the promotion (and staff); no public access.

    Anonymous readers go to the portal login; a dealer outside the audience gets a
    404, as if the page did not exist; a page found in the other language's tree
    sends the reader to their own language's version when it exists.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if selectors.can_preview(user=user):
        return None
    dealer = getattr(request, "dealer", None)
    if dealer is None or not selectors.page_visible(page=page, dealer=dealer):
        raise Http404
    translation = selectors.preferred_translation(
        page=page, language=selectors.language_of(request)
    )
    if translation is not None:
        url = translation.get_url(request)
        if (
            url
            and url != request.path
            and selectors.page_visible(page=translation, dealer=dealer)
        ):
            return redirect(url)
    return None


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/missing-translations/",
            views.MissingTranslationsView.as_view(),
            name="cms_missing_translations",
        ),
        path(
            "reports/missing-translations/results/",
            views.MissingTranslationsView.as_view(results_only=True),
            name="cms_missing_translations_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_missing_translations_menu_item():
    return MenuItem(
        _("Missing translations"),
        reverse("cms_missing_translations"),
        icon_name="globe",
        order=650,
    )
