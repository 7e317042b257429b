"""What marketing writes in Wagtail: promotion pages, news and homepage banners.

Each page lives in two trees, one per content language (zh-hans, en), under a
``ContentHomePage`` that is the site root. Dealers read the pages at ``/cms/…`` inside
the portal's layout and login; who may see what follows the promotion's audience
(``cms.selectors``, enforced in the ``before_serve_page`` hook).
"""

from collections.abc import Callable

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from cms import blocks, links

PHONE_PREVIEW_SIZES = [
    {
        "name": "mobile",
        "icon": "mobile-alt",
        "device_width": 375,
        "label": _("Preview at phone size (375 px)"),
    },
    {
        "name": "large-phone",
        "icon": "mobile-alt",
        "device_width": 430,
        "label": _("Preview at large phone size (430 px)"),
    },
    {
        "name": "tablet",
        "icon": "tablet-alt",
        "device_width": 768,
        "label": _("Preview at tablet size"),
    },
]

RULES_HELP = _(
    "Rules, budgets and audiences belong to the sales organisation and are set in the "
    "back office. This page only tells dealers about the promotion; it is shown to "
    "exactly the dealers the promotion is for."
)


def _window_panel():
    return MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("display_from"), FieldPanel("display_until")]),
        ],
        heading=_("Display window"),
        help_text=_("Empty: the promotion's own window."),
    )


def _clean_window(instance) -> None:
    if (
        instance.display_from
        and instance.display_until
        and instance.display_from >= instance.display_until
    ):
        raise ValidationError(
            {"display_until": _("The display window must end after it starts.")}
        )


# What each page (and the banner's preview) reads to show itself: the lists, facts
# and banners of ``cms.selectors``, registered by ``cms.contexts`` (AppConfig.ready),
# which sits above both, so the models import no selector.
_READS: dict[type, Callable] = {}


def reads(model: type) -> Callable:
    """Register ``func(instance, request) -> dict`` as what ``model`` reads."""

    def register(func: Callable) -> Callable:
        _READS[model] = func
        return func

    return register


def _reads_for(model: type, instance, request) -> dict:
    func = _READS.get(model)
    return func(instance, request) if func is not None else {}


class PortalPage(Page):
    """A page served inside the portal's layout, previewed at phone size first."""

    active_tab = "home"

    class Meta:
        abstract = True

    @property
    def preview_sizes(self):
        return PHONE_PREVIEW_SIZES

    def get_back_url(self) -> str | None:
        """Where the top bar's back arrow leads."""
        return links.home_url()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["active_tab"] = self.active_tab
        context["back_url"] = self.get_back_url()
        context["promotions_url"] = links.promotions_url()
        context.update(_reads_for(type(self), self, request))
        return context


class ContentHomePage(PortalPage):
    """The root of one language's content tree (the Wagtail site root)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.PromotionIndexPage", "cms.NewsIndexPage"]

    class Meta:
        verbose_name = _("content home")
        verbose_name_plural = _("content homes")

    def route(self, request, path_components):
        """Find the page in this language's tree, else in another language's tree.

        The two trees mirror each other, so a link works whatever the reader's
        language: a page not (yet) translated falls back to the language it has.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
        for home in self.get_translations().live().specific():
            try:
                return Page.route(home, request, path_components)
            except Http404:
                continue
        raise Http404


class PromotionIndexPage(PortalPage):
    """Lists the promotion pages the reader may see, in their language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.ContentHomePage"]
    subpage_types = ["cms.PromotionPage"]
    max_count_per_parent = 1
    active_tab = "promotions"

    def get_back_url(self) -> str | None:
        return links.promotions_url()

    class Meta:
        verbose_name = _("promotion index")
        verbose_name_plural = _("promotion indexes")


class PromotionPage(PortalPage):
    """What marketing says about one promotion; the promotion itself is only linked."""

    promotion = models.ForeignKey(
        "promos.Promotion",
        verbose_name=_("promotion"),
        null=True,  # a promotion removed later leaves the page, hidden from dealers
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("Two lines for lists, pushes and the bot."),
    )
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("body"), blank=True)
    display_from = models.DateTimeField(_("show from"), null=True, blank=True)
    display_until = models.DateTimeField(_("show until"), null=True, blank=True)

    content_panels = Page.content_panels + [
        HelpPanel(content=RULES_HELP),
        FieldPanel("promotion"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        _window_panel(),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.PromotionIndexPage"]
    subpage_types = []
    active_tab = "promotions"

    class Meta:
        verbose_name = _("promotion page")
        verbose_name_plural = _("promotion pages")
        indexes = [models.Index(fields=["display_from", "display_until"])]

    def clean(self):
        super().clean()
        _clean_window(self)
        if self.promotion_id is None:
            raise ValidationError({"promotion": _("Choose the promotion.")})
        if self.locale_id is None:
            return  # Wagtail sets the locale from the parent before saving
        clash = (
            PromotionPage.objects.filter(
                promotion_id=self.promotion_id, locale_id=self.locale_id
            )
            .exclude(translation_key=self.translation_key)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "promotion": _(
                        "“%(title)s” already describes this promotion in this language."
                    )
                    % {"title": clash.title}
                }
            )

    def get_back_url(self) -> str | None:
        return links.promotions_url()

    @property
    def promotion_code(self) -> str | None:
        return self.promotion.code if self.promotion_id else None

    @property
    def portal_url(self) -> str | None:
        """The address inside the portal (relative), for pushes and the bot."""
        return self.get_url()


class NewsIndexPage(PortalPage):
    """Lists news and announcements, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.ContentHomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")


class NewsPage(PortalPage):
    """An announcement for every dealer, or, linked to a promotion, for its audience."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=300)
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promotion = models.ForeignKey(
        "promos.Promotion",
        verbose_name=_("about promotion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: only the promotion's dealers then see this news."),
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("promotion"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    def get_back_url(self) -> str | None:
        return self.get_parent().get_url()

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")


class Banner(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    models.Model,
):
    """A picture on the portal's home that links to a promotion or a page.

    Its audience is the linked promotion's (or the linked page's); its window
    defaults to the promotion's.
    """

    title = models.CharField(
        _("title"),
        max_length=80,
        help_text=_("Shown on the picture and read aloud by screen readers."),
    )
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promotion = models.ForeignKey(
        "promos.Promotion",
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    display_from = models.DateTimeField(_("show from"), null=True, blank=True)
    display_until = models.DateTimeField(_("show until"), null=True, blank=True)
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Higher shows first.")
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="banner")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="banner",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldPanel("promotion"), FieldPanel("page")],
            heading=_("Link"),
            help_text=_(
                "Link to a promotion (its dealers see the banner) or to a page."
            ),
        ),
        _window_panel(),
        FieldPanel("priority"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("banner")
        verbose_name_plural = _("banners")
        # Wagtail adds these after migrate; declared here so a data migration can
        # grant them to the editors' groups.
        permissions = [
            ("publish_banner", "Can publish banner"),
            ("lock_banner", "Can lock banner"),
            ("unlock_banner", "Can unlock banner"),
        ]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def preview_sizes(self):
        return PHONE_PREVIEW_SIZES

    def clean(self):
        super().clean()
        _clean_window(self)
        if bool(self.promotion_id) == bool(self.page_id):
            raise ValidationError(
                _("Link the banner to either a promotion or a page (one of them).")
            )

    def get_preview_template(self, request, mode_name):
        return "cms/previews/banner.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context.update(_reads_for(type(self), self, request))
        return context
