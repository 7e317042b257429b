"""Writes of the bot: linking chats, language, processed updates. (Its cart is the
portal's: ``orders.services`` cart_*.)"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import InvalidInput
from dealers import services as dealer_services
from notifications.telegram.models import (
    TelegramLink,
    TelegramLinkToken,
    TelegramUpdate,
)

logger = logging.getLogger(__name__)

TOKEN_TTL = timedelta(minutes=15)
MAX_QUANTITY = 100_000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Linking ----------------------------------------------------------------------------


@transaction.atomic
def link_token_create(*, user) -> str:
    """A fresh one-time code for ``user`` (15 minutes, single use); older unused
    codes of the user stop working. Only the hash is stored."""
    now = timezone.now()
    TelegramLinkToken.objects.filter(user=user, used_at__isnull=True).update(
        used_at=now
    )
    raw = secrets.token_urlsafe(18)
    TelegramLinkToken.objects.create(
        user=user, token_hash=_hash(raw), expires_at=now + TOKEN_TTL
    )
    return raw


def deep_link(*, token: str) -> str:
    """``https://t.me/<bot>?start=<token>`` (empty when the bot name is unknown)."""
    name = settings.TELEGRAM.get("BOT_USERNAME", "")
    return f"https://t.me/{name}?start={token}" if name else ""


@transaction.atomic
def link_consume(*, token: str, chat_id: int, username: str = "") -> TelegramLink:
    """Link ``chat_id`` to the user of ``token``. The token works once, within 15
    minutes; the chat's and the user's previous links are replaced."""
    now = timezone.now()
    invalid = InvalidInput(
        _("This code is not valid any more. Create a new one on the portal."),
        code="link_token_invalid",
    )
    if not token or len(token) > 100:
        raise invalid
    found = (
        TelegramLinkToken.objects.select_for_update()
        .filter(token_hash=_hash(token.strip()))
        .select_related("user")
        .first()
    )
    if found is None or found.used_at is not None or found.expires_at <= now:
        raise invalid
    claimed = TelegramLinkToken.objects.filter(
        pk=found.pk, used_at__isnull=True
    ).update(used_at=now)
    if not claimed:
        raise invalid
    user = found.user
    if not user.is_active or not hasattr(user, "dealer_user"):
        raise invalid
    TelegramLink.objects.filter(chat_id=chat_id).exclude(user=user).delete()
    link, _created = TelegramLink.objects.update_or_create(
        user=user,
        defaults={
            "chat_id": chat_id,
            "telegram_username": (username or "")[:64],
            "blocked_at": None,
        },
    )
    return link


@transaction.atomic
def link_remove(*, user=None, chat_id: int | None = None) -> bool:
    """Unlink (from the portal by user, from the chat by chat id)."""
    links = TelegramLink.objects.all()
    if user is not None:
        links = links.filter(user=user)
    elif chat_id is not None:
        links = links.filter(chat_id=chat_id)
    else:
        return False
    deleted, _detail = links.delete()
    return bool(deleted)


def link_mark_blocked(*, chat_id: int) -> None:
    """Telegram answered 403: the user blocked the bot; stop sending to this chat."""
    TelegramLink.objects.filter(chat_id=chat_id, blocked_at__isnull=True).update(
        blocked_at=timezone.now()
    )


def link_unblock(*, chat_id: int) -> None:
    """The user talks to the bot again: sending works again."""
    TelegramLink.objects.filter(chat_id=chat_id, blocked_at__isnull=False).update(
        blocked_at=None
    )


def language_set(*, dealer_user, language: str):
    """Remember the language the dealer user reads (portal, pushes and bot)."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Unknown language."), code="unknown_language")
    return dealer_services.dealer_user_set_language(
        dealer_user=dealer_user, language=language
    )


# --- Updates ----------------------------------------------------------------------------


def _update_window() -> timedelta:
    return timedelta(hours=settings.TELEGRAM.get("UPDATE_WINDOW_HOURS", 48))


@transaction.atomic
def update_record(
    *, update_id: int, payload: dict | None = None
) -> TelegramUpdate | None:
    """Remember an update Telegram sent; None when it was seen before (Telegram
    redelivers). A row still pending (its processing was cut short) is answered
    again, so polling finishes it.

    Ids are remembered for a bounded window only; an id far below the last one seen
    (``UPDATE_RESTART_GAP``) is Telegram restarting its numbering, and opens a new
    epoch instead of being dropped as a repeat.
    """
    now = timezone.now()
    latest = (
        TelegramUpdate.objects.filter(received_at__gte=now - _update_window())
        .order_by("-epoch", "-update_id")
        .values_list("epoch", "update_id")
        .first()
    )
    gap = settings.TELEGRAM.get("UPDATE_RESTART_GAP", 100_000)
    if latest is None or update_id < latest[1] - gap:
        # Nothing recent (a quiet week restarts the numbering too) or a restart:
        # rows of the old numbering, until purged, cannot collide with the new.
        newest = TelegramUpdate.objects.aggregate(epoch=Max("epoch"))["epoch"]
        epoch = 0 if newest is None else newest + 1
        if latest is not None:
            logger.warning(
                "telegram update %s is far below the last one (%s): numbering "
                "restarted, new epoch %s",
                update_id,
                latest[1],
                epoch,
            )
    else:
        epoch = latest[0]
    seen = TelegramUpdate.objects.filter(epoch=epoch, update_id=update_id).first()
    if seen is not None:
        return seen if seen.status == TelegramUpdate.Status.PENDING else None
    try:
        with transaction.atomic():
            return TelegramUpdate.objects.create(
                update_id=update_id, epoch=epoch, payload=payload or {}
            )
    except IntegrityError:  # the same update, recorded at the same moment
        return None


def update_done(*, pk: int, failed: bool = False) -> None:
    """The update was processed (or failed): forget its payload, keep its id."""
    TelegramUpdate.objects.filter(pk=pk).update(
        status=TelegramUpdate.Status.FAILED if failed else TelegramUpdate.Status.DONE,
        processed_at=timezone.now(),
        payload={},
    )


def updates_pending(*, limit: int = 100) -> list[TelegramUpdate]:
    return list(
        TelegramUpdate.objects.filter(status=TelegramUpdate.Status.PENDING).order_by(
            "epoch", "update_id"
        )[:limit]
    )


def updates_purge(*, now=None) -> int:
    """Forget updates older than the de-duplication window (the tick runs this).
    Returns how many rows were deleted."""
    now = now or timezone.now()
    deleted, _detail = TelegramUpdate.objects.filter(
        received_at__lt=now - _update_window()
    ).delete()
    return deleted
