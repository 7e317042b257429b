"""Conversations of the demo: the rep's push of a promotion to D00001 (the demo
login replies to it from the phone, the rep answers from the rep console), a
question about the first order that the rep has answered, and market feedback with
a shelf photo for the manager's weekly summary."""

import io

from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from common.errors import DomainError
from conversations import selectors, services
from conversations.models import Thread
from dealers.models import Dealer, DealerUser
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.models import Campaign
from orders.models import Order
from portal.demo import data
from portal.demo.context import SeedContext


def _shelf_photo() -> bytes:
    """A drawn shop shelf: the competitor's price tag in red."""
    image = Image.new("RGB", (1200, 900), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    for row, y in enumerate((120, 420, 720)):
        draw.rectangle((60, y + 120, 1140, y + 140), fill=(120, 90, 60))
        for n in range(8):
            x = 80 + n * 132
            colour = (40, 120, 60) if (n + row) % 3 else (200, 160, 40)
            draw.rectangle((x, y, x + 100, y + 118), fill=colour)
    draw.rectangle((820, 300, 1100, 400), fill=(200, 16, 46))
    draw.text((850, 330), "-30%  59.9", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _push(rep_user, dealer: Dealer) -> Campaign | None:
    """The rep pushes a live promotion D00001 can get, sent at once."""
    context = notification_selectors.rep_context(user=rep_user)
    for version in notification_selectors.rep_promotions(context=context):
        try:
            campaign = notification_services.campaign_create(
                user=rep_user,
                audience={"type": "picked", "dealers": [dealer.pk]},
                promotion_code=version.promotion.code,
                title_zh=f"本周推荐：{version.name}",
                title_en=f"This week: {version.name_en or version.name}",
                body_zh="库存充足，本周下单三天内发货。有问题直接回复我。",
                body_en="In stock; ordered this week, shipped within three days. "
                "Reply here with any question.",
            )
        except DomainError:
            continue
        notification_services.campaign_run(campaign_id=campaign.pk)
        return campaign
    return None


def seed_conversations(ctx: SeedContext) -> None:
    dealer = Dealer.objects.filter(code=data.DEMO_DEALER).first()
    rep_user = ctx.users.get("rep")
    owner = ctx.users.get("demo")
    if dealer is None or rep_user is None or owner is None:
        return
    dealer_side = selectors.dealer_side(DealerUser.objects.get(user=owner))
    rep_side = selectors.participant_for(user=rep_user)
    campaign = _push(rep_user, dealer)
    order = Order.objects.filter(dealer=dealer).order_by("pk").first()
    threads = 0
    if order is not None:
        about = selectors.about_resolve(
            dealer=dealer, spec=f"order:{order.number}", language="zh-hans"
        )
        question = services.thread_start(
            participant=dealer_side,
            about=about,
            text="这单的赠品茶杯收到了，能再多要两个给门店陈列用吗？",
        )
        services.message_post(
            participant=rep_side,
            thread_id=question.thread_id,
            text="可以，我跟仓库说了，下一批随货发两个陈列杯，不计入促销。",
        )
        threads += 1
    services.thread_start(
        participant=dealer_side,
        subject="对面超市的竞品在做七折",
        text="XX 茶业同款礼盒标价 59.9，写着七折，周末到期。照片是今天拍的。",
        photos=[_shelf_photo()],
        feedback=Thread.Feedback.COMPETITOR_PROMOTION,
    )
    threads += 1
    ctx.count("conversations", threads)
    if campaign is not None:
        ctx.count("pushes to the demo dealer", 1)
        ctx.notes.append(
            "Conversations: log in as demo on a phone, open the bell, reply to the "
            "rep's push; the rep (rep) sees it live at /office/conversations/."
        )


def flush_conversations() -> None:
    Thread.objects.all().delete()
    Campaign.objects.filter(
        created_by__in=get_user_model().objects.filter(
            username__in=data.LOGIN_USERNAMES
        )
    ).delete()
