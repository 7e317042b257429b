"""Writes of the bot: linking chats, drafts, language, processed updates."""

import hashlib
import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from common.errors import Conflict, Forbidden, InvalidInput, NotFound
from dealers import services as dealer_services
from notifications.telegram.models import (
    TelegramDraft,
    TelegramDraftLine,
    TelegramLink,
    TelegramLinkToken,
    TelegramUpdate,
)
from orders import selectors as order_selectors
from orders import services as order_services
from orders.models import Order
from promos import selectors as promo_selectors

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


# --- Drafts -----------------------------------------------------------------------------


def _require_ordering(dealer_user) -> None:
    if not dealer_user.can_order:
        raise Forbidden(_("Your role can browse but not order."), code="cannot_order")


def _open_draft(dealer_user, *, lock: bool = True) -> TelegramDraft:
    drafts = TelegramDraft.objects.filter(
        user_id=dealer_user.user_id,
        dealer_id=dealer_user.dealer_id,
        status=TelegramDraft.Status.OPEN,
    )
    if lock:
        drafts = drafts.select_for_update()
    draft = drafts.order_by("-pk").first()
    if draft is None:
        draft = TelegramDraft.objects.create(
            user_id=dealer_user.user_id,
            dealer_id=dealer_user.dealer_id,
            idempotency_key=f"tg-{uuid.uuid4().hex}",
        )
    return draft


def _changed(draft: TelegramDraft) -> None:
    draft.quoted_total = None
    draft.save(update_fields=["quoted_total", "updated_at"])


@transaction.atomic
def draft_open(*, dealer_user) -> TelegramDraft:
    """The dealer user's open draft, created when there is none."""
    _require_ordering(dealer_user)
    return _open_draft(dealer_user)


def _quantity(value) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Quantity must be a whole number."), code="invalid_quantity"
        ) from None
    if not 0 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            _("Quantity must be between 0 and 100000."), code="invalid_quantity"
        )
    return quantity


@transaction.atomic
def draft_set_lines(
    *, dealer_user, lines: list[tuple[str, int]], add: bool = False
) -> TelegramDraft:
    """Set (or with ``add`` increase) quantities of SKUs in the open draft; a
    quantity of 0 removes the line. Unknown and gift-only SKUs are refused."""
    _require_ordering(dealer_user)
    wanted: dict[str, int] = {}
    for sku, quantity in lines:
        wanted[sku.strip().upper()] = _quantity(quantity) if not add else int(quantity)
    products = catalog_selectors.products_by_sku(
        skus=wanted, tier_code=dealer_user.dealer.tier.code
    )
    unknown = [
        sku
        for sku in wanted
        if sku not in products or not products[sku].active or products[sku].gift_only
    ]
    if unknown:
        raise InvalidInput(
            _("Unknown product: %(skus)s.") % {"skus": ", ".join(unknown)},
            code="unknown_product",
        )
    draft = _open_draft(dealer_user)
    current = {line.sku: line for line in draft.lines.all()}
    for sku, quantity in wanted.items():
        line = current.get(sku)
        target = (line.quantity if line else 0) + quantity if add else quantity
        target = _quantity(max(target, 0))
        if target == 0:
            if line:
                line.delete()
        elif line:
            line.quantity = target
            line.save(update_fields=["quantity"])
        else:
            TelegramDraftLine.objects.create(draft=draft, sku=sku, quantity=target)
    _changed(draft)
    return draft


@transaction.atomic
def draft_line_adjust(*, dealer_user, line_id: int, delta: int) -> TelegramDraft:
    """Change one line of the dealer user's own open draft by ``delta``."""
    _require_ordering(dealer_user)
    draft = _open_draft(dealer_user)
    line = draft.lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("That line is no longer in your draft."), code="unknown_line")
    target = line.quantity + int(delta)
    if target <= 0:
        line.delete()
    else:
        line.quantity = _quantity(target)
        line.save(update_fields=["quantity"])
    _changed(draft)
    return draft


@transaction.atomic
def draft_set_gift(*, dealer_user, promotion: str, option: int | None):
    """Choose a gift option of a promotion the draft earns (checked on quote)."""
    _require_ordering(dealer_user)
    draft = _open_draft(dealer_user)
    draft.gift_choices = {**draft.gift_choices, promotion: option}
    draft.quoted_total = None
    draft.save(update_fields=["gift_choices", "quoted_total", "updated_at"])
    return draft


@transaction.atomic
def draft_fill(*, dealer_user, promotion: str) -> dict[str, int]:
    """ "Order now" / "order this": add to the open draft what earns ``promotion``
    (the engine's own hints decide how much). Answers what was added (empty when
    nothing the dealer can buy earns it)."""
    _require_ordering(dealer_user)
    draft = _open_draft(dealer_user)
    lines = [(line.sku, line.quantity) for line in draft.lines.all()]
    added = promo_selectors.promotion_fill(
        dealer=dealer_user.dealer, code=promotion, lines=lines
    )
    if added:
        draft_set_lines(dealer_user=dealer_user, lines=list(added.items()), add=True)
    return added


@transaction.atomic
def draft_reorder(*, dealer_user) -> TelegramDraft:
    """Fill the draft with the goods of the dealer's last order."""
    _require_ordering(dealer_user)
    last = order_selectors.order_list(dealer=dealer_user.dealer).first()
    if last is None:
        raise NotFound(_("There is no earlier order to repeat."), code="no_order")
    order = order_selectors.order_get(number=last.number, dealer=dealer_user.dealer)
    lines = {}
    for line in order.lines.all():
        if not line.is_gift and line.product.active and not line.product.gift_only:
            lines[line.sku] = lines.get(line.sku, 0) + line.quantity
    if not lines:
        raise NotFound(_("There is no earlier order to repeat."), code="no_order")
    return draft_set_lines(dealer_user=dealer_user, lines=list(lines.items()))


@transaction.atomic
def draft_discard(*, dealer_user) -> None:
    TelegramDraft.objects.filter(
        user_id=dealer_user.user_id,
        dealer_id=dealer_user.dealer_id,
        status=TelegramDraft.Status.OPEN,
    ).update(status=TelegramDraft.Status.DISCARDED)


def draft_quote(*, dealer_user, draft: TelegramDraft):
    """The live quote of the draft (stores the total the dealer was shown)."""
    lines = [(line.sku, line.quantity) for line in draft.lines.all()]
    if not lines:
        return None
    quote = order_services.order_quote(
        dealer=dealer_user.dealer,
        lines=lines,
        gift_choices=draft.gift_choices or None,
    )
    TelegramDraft.objects.filter(pk=draft.pk, status="open").update(
        quoted_total=quote.total
    )
    return quote


@transaction.atomic
def draft_confirm(*, dealer_user, draft_id: int) -> tuple[Order, bool]:
    """Place the draft as an order, once: pressing confirm again (or a retried
    update) answers the same order. Returns (order, created)."""
    _require_ordering(dealer_user)
    draft = (
        TelegramDraft.objects.select_for_update()
        .filter(
            pk=draft_id, user_id=dealer_user.user_id, dealer_id=dealer_user.dealer_id
        )
        .first()
    )
    if draft is None:
        raise NotFound(_("That draft is not yours or is gone."), code="unknown_draft")
    if draft.status == TelegramDraft.Status.PLACED:
        order = order_selectors.order_get(
            number=draft.order_number, dealer=dealer_user.dealer
        )
        return order, False
    if draft.status != TelegramDraft.Status.OPEN:
        raise Conflict(_("This draft was discarded."), code="draft_discarded")
    lines = [(line.sku, line.quantity) for line in draft.lines.all()]
    if not lines:
        raise InvalidInput(_("Your draft is empty."), code="empty_draft")
    placement = order_services.order_place(
        dealer=dealer_user.dealer,
        lines=lines,
        idempotency_key=draft.idempotency_key,
        gift_choices=draft.gift_choices or None,
        expected_total=draft.quoted_total,
        placed_by=dealer_user.user,
        source=Order.Source.BOT,
    )
    draft.status = TelegramDraft.Status.PLACED
    draft.order_number = placement.order.number
    draft.save(update_fields=["status", "order_number", "updated_at"])
    return placement.order, placement.created
