"""Back office for sales organisations: the promotion editor, lifecycle moves, versions,
budget used and remaining. Every move goes through promos.services with the user, so
the authority rules hold here as everywhere."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from dealers import selectors as dealer_selectors
from promos import selectors, services
from promos.forms import PromotionDefinitionForm
from promos.models import Promotion, PromotionVersion

MOVES = {
    "submit": (services.promotion_submit, _("Submit for approval")),
    "approve": (services.promotion_approve, _("Approve")),
    "pause": (services.promotion_pause, _("Pause")),
    "resume": (services.promotion_resume, _("Resume")),
    "end": (services.promotion_end, _("End")),
}


class VersionInline(admin.TabularInline):
    model = PromotionVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "status",
        "name",
        "starts_at",
        "ends_at",
        "created_by",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "sales_org",
        "status",
        "live",
        "budget_used",
        "summary",
    ]
    list_filter = ["status"]
    search_fields = ["code", "versions__name"]
    list_select_related = ["sales_org", "live_version", "budget"]
    readonly_fields = [
        "code",
        "sales_org",
        "status",
        "live_version",
        "summary",
        "budget_used",
        "definition_link",
    ]
    fields = readonly_fields
    inlines = [VersionInline]
    actions = [f"move_{verb}" for verb in MOVES]
    change_form_template = "admin/promos/promotion/change_form.html"
    change_list_template = "admin/promos/promotion/change_list.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        rep = dealer_selectors.sales_rep_for(user=request.user)
        if rep is None:
            return queryset.none()
        return queryset.filter(sales_org__path__startswith=rep.sales_org.path)

    @admin.display(description=_("Name"))
    def name(self, obj):
        version = obj.live_version or selectors.promotion_latest_version(promotion=obj)
        return version.name if version else ""

    @admin.display(description=_("Applies"))
    def live(self, obj):
        return f"v{obj.live_version.number}" if obj.live_version else "—"

    @admin.display(description=_("Budget used / limit"))
    def budget_used(self, obj):
        budget = obj.budget
        limit = "∞" if budget.limit is None else f"{budget.limit:,.2f}"
        return f"{budget.used:,.2f} / {limit} ({budget.applications})"

    @admin.display(description=_("In plain words"))
    def summary(self, obj):
        version = obj.live_version or selectors.promotion_latest_version(promotion=obj)
        if version is None:
            return ""
        zh, en = selectors.promotion_summary(version=version)
        return en if (get_language() or "").startswith("en") else zh

    @admin.display(description=_("Definition"))
    def definition_link(self, obj):
        url = reverse("admin:promos_promotion_definition", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>',
            url,
            _("Edit the definition (new version)"),
        )

    def has_add_permission(self, request):
        return False  # promotions are created through the definition editor

    def get_urls(self):
        urls = super().get_urls()
        custom = [
            path(
                "new/",
                self.admin_site.admin_view(self.definition_view),
                name="promos_promotion_new",
            ),
            path(
                "<int:pk>/definition/",
                self.admin_site.admin_view(self.definition_view),
                name="promos_promotion_definition",
            ),
            path(
                "<int:pk>/move/<str:verb>/",
                self.admin_site.admin_view(require_POST(self.move_view)),
                name="promos_promotion_move",
            ),
        ]
        return custom + urls

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "new_url": reverse("admin:promos_promotion_new"),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        moves = [(verb, label) for verb, (_fn, label) in MOVES.items()]
        extra_context = {**(extra_context or {}), "moves": moves}
        promotion = self.get_object(request, object_id)
        latest = (
            selectors.promotion_latest_version(promotion=promotion)
            if promotion
            else None
        )
        if latest is not None and latest.status in services.BACKTESTABLE:
            extra_context["backtest_url"] = reverse(
                "office:backtest-new", args=[latest.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def definition_view(self, request, pk=None):
        """Create a promotion, or change one's definition (a new version once approved)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        promotion = get_object_or_404(self.get_queryset(request), pk=pk) if pk else None
        initial = {}
        if promotion:
            latest = selectors.promotion_latest_version(promotion=promotion)
            initial = PromotionDefinitionForm.initial_from(latest.definition)
        form = PromotionDefinitionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            definition = form.to_definition()
            if form.is_valid():
                try:
                    result = services.promotion_save(data=definition, by=request.user)
                except DomainError as error:
                    form.add_error(None, error.message)
                    for item in error.errors:
                        form.add_error(
                            None, f"{item.get('field')}: {item.get('message')}"
                        )
                else:
                    messages.success(
                        request,
                        _("Saved as version %(n)s.") % {"n": result.version.number},
                    )
                    return redirect(
                        "admin:promos_promotion_change", result.promotion.pk
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Promotion definition"),
            "form": form,
            "promotion": promotion,
        }
        return TemplateResponse(
            request, "admin/promos/promotion/definition.html", context
        )

    def move_view(self, request, pk, verb):
        promotion = get_object_or_404(self.get_queryset(request), pk=pk)
        self._move(request, promotion, verb)
        return redirect("admin:promos_promotion_change", promotion.pk)

    def _move(self, request, promotion, verb):
        if verb not in MOVES:
            raise PermissionDenied
        move, label = MOVES[verb]
        try:
            move(code=promotion.code, by=request.user)
        except DomainError as error:
            self.message_user(
                request, f"{promotion.code}: {error.message}", messages.ERROR
            )
        else:
            self.message_user(request, f"{promotion.code}: {label}", messages.SUCCESS)


def _action(verb, label):
    def action(modeladmin, request, queryset):
        for promotion in queryset:
            modeladmin._move(request, promotion, verb)

    action.__name__ = f"move_{verb}"
    return admin.action(description=label)(action)


for _verb, (_fn, _label) in MOVES.items():
    setattr(PromotionAdmin, f"move_{_verb}", _action(_verb, _label))
