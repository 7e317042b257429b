"""Reads for the bot and the Telegram channel, always scoped to one dealer user."""

from collections.abc import Collection

from dealers.models import DealerUser
from notifications.telegram.models import TelegramLink


def dealer_user_for_chat(*, chat_id: int) -> DealerUser | None:
    """The active dealer user this chat is linked to, or None."""
    link = (
        TelegramLink.objects.filter(
            chat_id=chat_id,
            user__is_active=True,
            user__dealer_user__dealer__active=True,
        )
        .select_related(
            "user__dealer_user__dealer__tier",
            "user__dealer_user__dealer__sales_org",
            "user__dealer_user__dealer__region",
            "user__dealer_user__user",
        )
        .first()
    )
    return link.user.dealer_user if link else None


def link_for_user(*, user) -> TelegramLink | None:
    """The chat a portal user linked, if any."""
    return TelegramLink.objects.filter(user=user).first()


def chat_addresses(*, user_ids: Collection[int]) -> dict[int, str]:
    """Of ``user_ids``, those with a linked chat that has not blocked the bot."""
    rows = TelegramLink.objects.filter(
        user_id__in=list(user_ids), blocked_at__isnull=True
    ).values_list("user_id", "chat_id")
    return {user_id: str(chat_id) for user_id, chat_id in rows}
