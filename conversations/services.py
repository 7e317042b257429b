"""Writes of conversations: start a thread, post a message (with photos), read a
thread, mark market feedback. Each is one transaction; what the other side should
see goes out after commit (live over the WebSocket; to a dealer also through the
notification channels, Telegram and the inbox, which respect quiet hours)."""

import time
import uuid
from collections.abc import Sequence

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import outbox
from common.errors import DomainError, Forbidden, InvalidInput
from conversations import conf, images, live, selectors
from conversations.models import (
    Attachment,
    Message,
    ReadMark,
    TelegramMessage,
    Thread,
)
from conversations.selectors import About, Participant
from dealers.models import Region
from notifications.models import Notification
from notifications.texts import REPLY

MAX_TEXT = 2000


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


def _rate_limit(user) -> None:
    """At most ``MESSAGES_PER_MINUTE`` per person (portal and bot together). The
    counter lives in the cache, shared by every process; with the cache away the
    limit is not enforced rather than the message lost."""
    limit = conf.get("MESSAGES_PER_MINUTE")
    key = f"conversations:rate:{user.pk}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage must not lose a message
        return
    if count > limit:
        raise RateLimited(
            _(
                "You are sending messages very fast: at most %(limit)s a minute. "
                "Wait a moment and send it again; nothing you sent was lost."
            )
            % {"limit": limit}
        )


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("A message holds at most %(max)s characters; this one has %(n)s.")
            % {"max": MAX_TEXT, "n": len(text)},
            code="too_long",
        )
    return text


def _clean_photos(photos: Sequence[bytes]) -> list[images.Photo]:
    if len(photos) > conf.get("PHOTOS_PER_MESSAGE"):
        raise InvalidInput(
            _("Send at most %(n)s photos in one message.")
            % {"n": conf.get("PHOTOS_PER_MESSAGE")},
            code="too_many_photos",
        )
    return [images.photo_clean(data) for data in photos]


def _posted_before(user, client_key) -> Message | None:
    if client_key is None:
        return None
    return Message.objects.filter(author=user, client_key=client_key).first()


def _region(code: str | None, thread: Thread | None, dealer) -> Region | None:
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise InvalidInput(_("Choose a region from the list."), code="bad_region")
        return region
    if thread is not None and thread.region_id:
        return thread.region
    return dealer.region


def thread_start(
    *,
    participant: Participant,
    text: str,
    subject: str = "",
    about: About | None = None,
    photos: Sequence[bytes] = (),
    feedback: str = "",
    region: str | None = None,
    client_key: uuid.UUID | None = None,
    via: str = "portal",
) -> Message:
    """A dealer's user asks: a new thread, or the dealer's thread about the same
    order, shipment, promotion, statement or recommendation (asking twice about
    one order continues one conversation). Returns the message posted."""
    if not participant.is_dealer:
        raise Forbidden(_("Dealers start conversations; answer one of theirs."))
    if feedback and feedback not in Thread.Feedback.values:
        raise InvalidInput(_("Choose a kind of market feedback."), code="bad_feedback")
    if (earlier := _posted_before(participant.user, client_key)) is not None:
        return earlier
    text = _clean_text(text)  # names a thread without a subject; _post checks it
    dealer = participant.dealer
    thread = selectors.thread_about(dealer=dealer, about=about) if about else None
    subject = (subject or "").strip()[:120] or (about.subject if about else "")
    if thread is None and not subject:
        subject = text.splitlines()[0][:60] if text else _("Photo")
    with transaction.atomic():
        if thread is None:
            thread = Thread.objects.create(
                dealer=dealer,
                subject=subject,
                about=about.kind if about else Thread.About.GENERAL,
                reference=about.reference if about else "",
                promotion=about.promotion if about else None,
                order=about.order if about else None,
                campaign=about.campaign if about else None,
                created_by=participant.user,
            )
        if feedback:
            thread.feedback = feedback
            thread.region = _region(region, thread, dealer)
            thread.save(update_fields=["feedback", "region"])
        return _post(
            thread=thread,
            participant=participant,
            text=text,
            photos=photos,
            client_key=client_key,
            via=via,
        )


def message_post(
    *,
    participant: Participant,
    thread_id: int,
    text: str,
    photos: Sequence[bytes] = (),
    client_key: uuid.UUID | None = None,
    via: str = "portal",
) -> Message:
    """Write in a thread the participant sees (another dealer's: ``NotFound``).
    A message sent again with the same ``client_key`` is posted once."""
    if (earlier := _posted_before(participant.user, client_key)) is not None:
        return earlier
    thread = selectors.thread_get(participant=participant, pk=thread_id)
    with transaction.atomic():
        return _post(
            thread=thread,
            participant=participant,
            text=text,
            photos=photos,
            client_key=client_key,
            via=via,
        )


def _post(*, thread, participant, text, photos, client_key, via) -> Message:
    text = _clean_text(text)
    if not text and not photos:
        raise InvalidInput(_("Write a message or add a photo."), code="empty")
    cleaned = _clean_photos(photos)
    _rate_limit(participant.user)
    thread = (
        Thread.objects.select_for_update().select_related("dealer").get(pk=thread.pk)
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                thread=thread,
                side=participant.side,
                author=participant.user,
                text=text,
                via=via,
                client_key=client_key,
            )
    except IntegrityError:  # the same form, sent twice at the same moment
        earlier = _posted_before(participant.user, client_key)
        if earlier is None:
            raise
        return earlier
    for photo in cleaned:
        attachment = Attachment(
            message=message,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
        )
        attachment.image.save(
            f"{uuid.uuid4().hex}.jpg", ContentFile(photo.content), save=False
        )
        attachment.save()
    now = message.created_at
    fields = ["last_message_at"]
    thread.last_message_at = now
    if participant.is_dealer:
        thread.last_dealer_message_at = now
        thread.dealer_read_at = now
        fields += ["last_dealer_message_at", "dealer_read_at"]
        if thread.waiting_since is None:
            thread.waiting_since = now
            fields.append("waiting_since")
    else:
        thread.last_rep_message_at = now
        thread.rep_read_at = now
        fields += ["last_rep_message_at", "rep_read_at"]
        if thread.waiting_since is not None:
            message.response_seconds = int((now - thread.waiting_since).total_seconds())
            message.save(update_fields=["response_seconds"])
            thread.waiting_since = None
            fields.append("waiting_since")
    thread.save(update_fields=fields)
    ReadMark.objects.update_or_create(
        thread=thread, user=participant.user, defaults={"read_at": now}
    )
    if not participant.is_dealer:
        outbox.announce(
            outbox.Event(
                kind=REPLY,
                dealer_ids=(thread.dealer_id,),
                data={
                    "thread": thread.pk,
                    "message": message.pk,
                    "subject": thread.subject,
                    "author": selectors.person_name(participant.user),
                    "text": text[:500],
                    "photos": len(cleaned),
                },
            )
        )
    transaction.on_commit(
        lambda: live.message_posted(thread=thread, message=message, photos=len(cleaned))
    )
    return message


def thread_read(*, participant: Participant, thread: Thread) -> bool:
    """The participant has seen the thread: their unread mark goes, the other side
    sees "read" on what it sent (live), and the notifications announcing its
    answers leave the inbox (a push not yet sent is not sent any more). Returns
    whether anything was new."""
    now = timezone.now()
    other_last = (
        thread.last_rep_message_at
        if participant.is_dealer
        else thread.last_dealer_message_at
    )
    mark = ReadMark.objects.filter(thread=thread, user=participant.user).first()
    if other_last is None or (mark is not None and mark.read_at >= other_last):
        return False
    with transaction.atomic():
        ReadMark.objects.update_or_create(
            thread=thread, user=participant.user, defaults={"read_at": now}
        )
        field = "dealer_read_at" if participant.is_dealer else "rep_read_at"
        Thread.objects.filter(pk=thread.pk).update(**{field: now})
        setattr(thread, field, now)
        if participant.is_dealer:
            Notification.objects.filter(
                recipient=participant.user,
                kind=REPLY,
                data__thread=thread.pk,
                read_at__isnull=True,
            ).update(read_at=now)
        transaction.on_commit(
            lambda: live.thread_read(thread=thread, side=participant.side)
        )
    return True


def thread_feedback_set(
    *, participant: Participant, thread_id: int, feedback: str, region: str = ""
) -> Thread:
    """Mark a thread as market feedback of a kind and region (either side may), or
    unmark it (``feedback=""``)."""
    if feedback and feedback not in Thread.Feedback.values:
        raise InvalidInput(_("Choose a kind of market feedback."), code="bad_feedback")
    thread = selectors.thread_get(participant=participant, pk=thread_id)
    thread.feedback = feedback
    thread.region = _region(region, thread, thread.dealer) if feedback else None
    thread.save(update_fields=["feedback", "region"])
    return thread


def telegram_message_remember(*, thread: Thread, chat_id: int, message_id: int) -> None:
    """A bot message belongs to ``thread``: a reply to it continues the thread."""
    TelegramMessage.objects.get_or_create(
        chat_id=chat_id, message_id=message_id, defaults={"thread": thread}
    )


__all__ = [
    "RateLimited",
    "message_post",
    "telegram_message_remember",
    "thread_feedback_set",
    "thread_read",
    "thread_start",
]
