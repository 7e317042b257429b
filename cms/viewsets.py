"""Choosers over promotions and products for the page editor.

Plain chooser viewsets (not snippets): marketing picks a promotion or a product, and
Wagtail offers no view that could change either.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class _SearchForm(BaseFilterForm):
    """A search box over the fields named in ``lookups``."""

    lookups: tuple[str, ...] = ()
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            condition = Q()
            for lookup in self.lookups:
                condition |= Q(**{f"{lookup}__icontains": query})
            objects = objects.filter(condition).distinct()
            self.is_searching = True
            self.search_query = query
        return objects


class PromotionSearchForm(_SearchForm):
    lookups = ("code", "versions__name")


class ProductSearchForm(_SearchForm):
    lookups = ("sku", "name", "name_en")


def _promotion_name(promotion) -> str:
    version = promotion.live_version
    return version.name if version else ""


def _promotion_window(promotion) -> str:
    version = promotion.live_version
    if version is None:
        return "—"
    return f"{version.starts_at:%Y-%m-%d} – {version.ends_at:%Y-%m-%d}"


class _PromotionColumns:
    filter_form_class = PromotionSearchForm

    @property
    def columns(self):
        return [
            self.title_column,
            Column("name", label=_("Name"), accessor=_promotion_name),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("window", label=_("Window"), accessor=_promotion_window),
        ]


class PromotionChooseView(_PromotionColumns, ChooseView):
    pass


class PromotionChooseResultsView(_PromotionColumns, ChooseResultsView):
    pass


class PromotionChooserViewSet(ChooserViewSet):
    """Choose the one promotion a content page or banner is about (read-only)."""

    model = "promos.Promotion"
    icon = "tag"
    choose_one_text = _("Choose a promotion")
    choose_another_text = _("Choose another promotion")
    edit_item_text = _("View")
    choose_view_class = PromotionChooseView
    choose_results_view_class = PromotionChooseResultsView
    per_page = 20

    def get_object_list(self):
        from promos.models import Promotion

        return Promotion.objects.select_related("live_version").order_by("-updated_at")


class _ProductColumns:
    filter_form_class = ProductSearchForm

    @property
    def columns(self):
        return [
            self.title_column,
            Column("category", label=_("Category"), accessor="category"),
            Column("list_price", label=_("List price"), accessor="list_price"),
        ]


class ProductChooseView(_ProductColumns, ChooseView):
    pass


class ProductChooseResultsView(_ProductColumns, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    """Choose a catalogue product for a product card or a call to action."""

    model = "catalog.Product"
    icon = "pick"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20

    def get_object_list(self):
        from catalog.models import Product

        return Product.objects.filter(active=True).select_related("category")


promotion_chooser_viewset = PromotionChooserViewSet("promotion_chooser")
product_chooser_viewset = ProductChooserViewSet("product_chooser")
