"""StreamField blocks of promotion and news pages.

Product cards and calls to action read the catalogue for the viewing dealer when the
page renders (``request.dealer``), so prices and stock are never copied into content.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms import cards, links
from cms.viewsets import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.blocks"
)

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


def _request(parent_context):
    return (parent_context or {}).get("request")


def _dealer(parent_context):
    return getattr(_request(parent_context), "dealer", None)


def _can_order(parent_context) -> bool:
    dealer_user = getattr(_request(parent_context), "dealer_user", None)
    return bool(dealer_user and dealer_user.can_order)


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=200,
        help_text=_("Also read aloud as the image description."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(
        ImageChooserBlock(label=_("Image")), label=_("Images"), min_num=2, max_num=12
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "cms/blocks/gallery.html"


class VideoBlock(blocks.StructBlock):
    """A link to a video (no embedded player: the page stays light on a phone)."""

    url = blocks.URLBlock(label=_("Video address"))
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    poster = ImageChooserBlock(label=_("Cover picture"), required=False)

    class Meta:
        icon = "media"
        label = _("Video link")
        template = "cms/blocks/video.html"


class ProductCardBlock(blocks.StructBlock):
    """A product with the viewing dealer's own price and live stock."""

    product = ProductChooserBlock(label=_("Product"))
    note = blocks.CharBlock(
        label=_("Note"),
        required=False,
        max_length=120,
        help_text=_("One line under the price, e.g. “Counts towards the gift”."),
    )

    class Meta:
        icon = "tag"
        label = _("Product card")
        template = "cms/blocks/product_card.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        product = value.get("product")
        context["card"] = (
            cards.product_card(dealer=_dealer(parent_context), sku=product.sku)
            if product is not None
            else None
        )
        context["cart_add_url"] = (
            links.cart_add_url() if _can_order(parent_context) else None
        )
        return context


class CallToActionBlock(blocks.StructBlock):
    """One tap to order: adds a product to the cart, or opens the promotion's items."""

    label = blocks.CharBlock(label=_("Button text"), max_length=40)
    product = ProductChooserBlock(
        label=_("Product to add"),
        required=False,
        help_text=_(
            "Leave empty to open the promotion in the portal, where the dealer "
            "sees all its items."
        ),
    )
    quantity = blocks.IntegerBlock(
        label=_("Quantity"), min_value=1, max_value=100000, default=1
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        promotion = getattr(page, "promotion", None)
        product = value.get("product")
        add_url = links.cart_add_url() if _can_order(parent_context) else None
        context["add_url"] = add_url if product is not None else None
        context["detail_url"] = (
            links.promotion_detail_url(promotion.code)
            if promotion is not None
            else links.promotions_url()
        )
        return context


class BodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/text.html"
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    product = ProductCardBlock()
    video = VideoBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"call_to_action": {"max_num": 3}}
