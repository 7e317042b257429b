"""Reads of conversations, always scoped to who asks: a dealer's user sees its
dealer's threads, a rep those of the dealers they serve (a manager, the org subtree)."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotFound
from common.i18n import pick_name
from conversations.models import (
    Attachment,
    Message,
    ReadMark,
    Side,
    TelegramMessage,
    Thread,
)
from dealers import groups
from dealers import selectors as dealer_selectors
from dealers.models import Dealer, DealerUser, SalesRep
from notifications import selectors as notification_selectors
from notifications.models import Channel, Delivery
from notifications.selectors import RepContext
from orders.models import Order, Shipment
from promos.models import Promotion


@dataclass(frozen=True)
class Participant:
    """Who writes: a dealer's user (``dealer``) or a rep (``rep``)."""

    user: object
    side: str
    dealer: Dealer | None = None
    rep: RepContext | None = None

    @property
    def is_dealer(self) -> bool:
        return self.side == Side.DEALER


def dealer_side(dealer_user) -> Participant:
    """A dealer's user, writing on the dealer's side."""
    return Participant(
        user=dealer_user.user, side=Side.DEALER, dealer=dealer_user.dealer
    )


def participant_for(*, user) -> Participant | None:
    """The side ``user`` writes on, or None (anonymous, other staff)."""
    dealer_user = dealer_selectors.dealer_user_for(user=user)
    if dealer_user is not None:
        return dealer_side(dealer_user)
    rep = notification_selectors.rep_context(user=user)
    if rep is not None:
        return Participant(user=user, side=Side.REP, rep=rep)
    return None


def person_name(user) -> str:
    """How a message's author is named to the other side."""
    return (user.get_full_name() or user.get_username()) if user else "—"


def visible_threads(*, participant: Participant) -> QuerySet[Thread]:
    if participant.is_dealer:
        return Thread.objects.filter(dealer=participant.dealer)
    dealers = notification_selectors.rep_scope(context=participant.rep)
    return Thread.objects.filter(dealer__in=dealers.values("pk"))


def thread_get(*, participant: Participant, pk) -> Thread:
    """One thread the participant may read, else ``NotFound`` (never "forbidden":
    another dealer's thread does not exist for them)."""
    thread = (
        visible_threads(participant=participant)
        .select_related("dealer", "dealer__region", "region", "promotion", "order")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if thread is None:
        raise NotFound(_("No such conversation."))
    return thread


def _with_unread(queryset: QuerySet[Thread], participant: Participant):
    """Annotate ``unread``: the other side wrote after this person last read."""
    other_last = (
        "last_rep_message_at" if participant.is_dealer else "last_dealer_message_at"
    )
    read = ReadMark.objects.filter(
        thread=OuterRef("pk"), user=participant.user, read_at__gte=OuterRef(other_last)
    )
    return queryset.annotate(
        unread=Q(**{f"{other_last}__isnull": False}) & ~Exists(read)
    )


def thread_list(
    *, participant: Participant, view: str = "all", limit: int = 50, offset: int = 0
) -> list[Thread]:
    """Threads for the list page: a dealer's newest first; a rep's ``waiting`` view
    puts the longest wait first (the rep console inbox), ``feedback`` keeps market
    feedback only. ``offset`` pages on (older threads stay reachable)."""
    queryset = visible_threads(participant=participant).select_related(
        "dealer", "region"
    )
    if view == "waiting":
        queryset = queryset.filter(waiting_since__isnull=False).order_by(
            "waiting_since", "pk"
        )
    elif view == "feedback":
        queryset = queryset.exclude(feedback="").order_by("-created_at")
    else:
        queryset = queryset.order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    last_id = Subquery(
        Message.objects.filter(thread=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    )
    threads = list(
        _with_unread(queryset, participant).annotate(last_id=last_id)[
            offset : offset + limit
        ]
    )
    last = {
        message.thread_id: message
        for message in Message.objects.filter(
            pk__in=[t.last_id for t in threads if t.last_id]
        ).annotate(photos=Count("attachments"))
    }
    for thread in threads:
        thread.last_message = last.get(thread.pk)
    return threads


def unread_count(*, participant: Participant) -> int:
    """Threads with something new from the other side (the nav badge)."""
    return (
        _with_unread(visible_threads(participant=participant), participant)
        .filter(unread=True)
        .count()
    )


def waiting_count(*, participant: Participant) -> int:
    """Threads where a dealer waits for an answer (the rep console's badge)."""
    return (
        visible_threads(participant=participant)
        .filter(waiting_since__isnull=False)
        .count()
    )


def thread_messages(*, thread: Thread, limit: int) -> list[Message]:
    """The newest ``limit`` messages, oldest first, with authors and photos."""
    messages = (
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.all()))
        .order_by("-pk")[:limit]
    )
    return list(reversed(messages))


def attachment_get(*, participant: Participant, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(
            pk=pk,
            message__thread__in=visible_threads(participant=participant).values("pk"),
        )
        .select_related("message")
        .first()
    )
    if attachment is None:
        raise NotFound(_("No such photo."))
    return attachment


def participants_of(*, thread: Thread) -> list[tuple[int, str]]:
    """(user id, side) of everyone who sees the thread: the dealer's active users,
    its reps, and the managers of its org and the orgs above."""
    dealer = thread.dealer
    people = [
        (user_id, Side.DEALER)
        for user_id in DealerUser.objects.filter(
            dealer=dealer, user__is_active=True
        ).values_list("user_id", flat=True)
    ]
    reps = set(
        dealer.reps.filter(user__is_active=True).values_list("user_id", flat=True)
    )
    path = dealer.sales_org.path
    managers = SalesRep.objects.filter(
        user__groups__name=groups.SALES_MANAGER, user__is_active=True
    ).values_list("user_id", "sales_org__path")
    reps |= {user_id for user_id, org_path in managers if path.startswith(org_path)}
    return people + [(user_id, Side.REP) for user_id in sorted(reps)]


# --- What a thread is about -------------------------------------------------------------


@dataclass(frozen=True)
class About:
    kind: str
    subject: str
    reference: str = ""
    promotion: Promotion | None = None
    order: Order | None = None
    campaign: object | None = None

    def lookup(self) -> dict:
        """How to find the thread about the same thing."""
        if self.kind == Thread.About.CAMPAIGN:
            return {"campaign": self.campaign}
        if self.kind == Thread.About.PROMOTION:
            return {"promotion": self.promotion}
        return {"reference": self.reference}


def about_resolve(*, dealer: Dealer, spec: str, language: str = "") -> About:
    """``order:SO-1``, ``shipment:SH-1``, ``promotion:CODE``, ``campaign:7`` or
    ``statement:2026-11-01:2026-11-30`` as the dealer may ask about it, else
    ``NotFound`` (another dealer's order does not exist here)."""
    kind, _sep, value = (spec or "").partition(":")
    missing = NotFound(_("There is nothing like that to ask about."))
    if not value:
        raise missing
    if kind == "order":
        order = Order.objects.filter(dealer=dealer, number=value).first()
        if order is None:
            raise missing
        return About(
            kind=Thread.About.ORDER,
            subject=_("Order %(order)s") % {"order": order.number},
            reference=order.number,
            order=order,
        )
    if kind == "shipment":
        shipment = (
            Shipment.objects.filter(order__dealer=dealer, number=value)
            .select_related("order")
            .first()
        )
        if shipment is None:
            raise missing
        return About(
            kind=Thread.About.SHIPMENT,
            subject=_("Shipment %(shipment)s of order %(order)s")
            % {"shipment": shipment.number, "order": shipment.order.number},
            reference=shipment.number,
            order=shipment.order,
        )
    if kind == "promotion":
        promotion = (
            Promotion.objects.filter(code=value).select_related("live_version").first()
        )
        if promotion is None or promotion.live_version is None:
            raise missing
        version = promotion.live_version
        return About(
            kind=Thread.About.PROMOTION,
            subject=pick_name(version.name, version.name_en, language),
            promotion=promotion,
        )
    if kind == "campaign":
        campaign = (
            notification_selectors.campaign_for_dealer(dealer=dealer, pk=value)
            if value.isdigit()
            else None
        )
        if campaign is None:
            raise missing
        title = pick_name(campaign.title_zh, campaign.title_en, language)
        return About(
            kind=Thread.About.CAMPAIGN,
            subject=title or _("Your recommendation"),
            promotion=campaign.promotion,
            campaign=campaign,
        )
    if kind == "statement":
        start, _sep, end = value.partition(":")
        try:
            first = datetime.date.fromisoformat(start)
            last = datetime.date.fromisoformat(end)
        except ValueError:
            raise missing from None
        return About(
            kind=Thread.About.STATEMENT,
            subject=_("Statement %(start)s to %(end)s")
            % {"start": first.isoformat(), "end": last.isoformat()},
            reference=f"{first.isoformat()}:{last.isoformat()}",
        )
    raise missing


def thread_about(*, dealer: Dealer, about: About) -> Thread | None:
    """The dealer's thread about the same thing, to continue instead of a new one."""
    return (
        Thread.objects.filter(dealer=dealer, about=about.kind, **about.lookup())
        .order_by("-pk")
        .first()
    )


# --- Telegram ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyTarget:
    """Where a Telegram reply goes: an existing thread, or what a new one is about."""

    thread: Thread | None = None
    about: About | None = None


def telegram_reply_target(
    *, participant: Participant, chat_id: int, message_id: int, language: str = ""
) -> ReplyTarget | None:
    """The thread a reply to bot message ``message_id`` continues: a message of a
    thread (the bot's confirmation, a rep's answer), or a pushed notification (a
    recommendation or a rep's campaign starts a thread about it; an order event,
    one about the order). None: the reply answers nothing we know."""
    mine = visible_threads(participant=participant)
    ref = (
        TelegramMessage.objects.filter(
            chat_id=chat_id, message_id=message_id, thread__in=mine.values("pk")
        )
        .select_related("thread")
        .first()
    )
    if ref is not None:
        return ReplyTarget(thread=ref.thread)
    delivery = (
        Delivery.objects.filter(
            channel=Channel.TELEGRAM,
            address=str(chat_id),
            external_id=str(message_id),
            notification__recipient=participant.user,
        )
        .select_related("notification")
        .first()
    )
    if delivery is None:
        return None
    notification = delivery.notification
    data = notification.data or {}
    if data.get("thread"):
        thread = mine.filter(pk=data["thread"]).first()
        return ReplyTarget(thread=thread) if thread else None
    spec = ""
    if notification.campaign_id:
        spec = f"campaign:{notification.campaign_id}"
    elif data.get("order"):
        spec = f"order:{data['order']}"
    elif data.get("promotion"):
        spec = f"promotion:{data['promotion']}"
    if not spec:
        return ReplyTarget(about=None)
    try:
        about = about_resolve(dealer=participant.dealer, spec=spec, language=language)
    except NotFound:
        return ReplyTarget(about=None)
    return ReplyTarget(
        thread=thread_about(dealer=participant.dealer, about=about), about=about
    )


def latest_thread_of(
    *, participant: Participant, since: datetime.datetime
) -> Thread | None:
    """The thread this person wrote in last, if after ``since`` (a bare photo in
    the bot joins it)."""
    message = (
        Message.objects.filter(
            author=participant.user,
            created_at__gte=since,
            thread__in=visible_threads(participant=participant).values("pk"),
        )
        .select_related("thread")
        .order_by("-pk")
        .first()
    )
    return message.thread if message else None


# --- Office: feedback and service level ---------------------------------------------------


@dataclass
class FeedbackSummary:
    """Market feedback of one week: counts by sales org, region and kind."""

    start: datetime.date
    end: datetime.date
    kinds: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)  # org, region, counts{kind}, total
    totals: dict = field(default_factory=dict)
    total: int = 0
    items: list[Thread] = field(default_factory=list)


def week_bounds(value: str | None, *, today: datetime.date | None = None):
    """Monday and Sunday of ISO week ``2026-W49`` (this week when absent or bad)."""
    today = today or timezone.localdate()
    try:
        year, week = (value or "").upper().split("-W")
        monday = datetime.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def feedback_threads(
    *, participant: Participant, start, end, kind: str = "", region: str = ""
) -> QuerySet[Thread]:
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    queryset = (
        visible_threads(participant=participant)
        .exclude(feedback="")
        .filter(created_at__gte=since, created_at__lt=until)
        .select_related("dealer", "dealer__sales_org", "region")
        .annotate(photos=Count("messages__attachments"))
        .order_by("-created_at", "-pk")
    )
    if kind:
        queryset = queryset.filter(feedback=kind)
    if region:
        queryset = queryset.filter(region__code=region)
    return queryset


def feedback_summary(
    *, participant: Participant, week: str = "", kind: str = "", region: str = ""
) -> FeedbackSummary:
    start, end = week_bounds(week)
    items = list(
        feedback_threads(
            participant=participant, start=start, end=end, kind=kind, region=region
        )
    )
    kinds = list(Thread.Feedback.choices)
    rows: dict[tuple, dict] = {}
    totals = dict.fromkeys([k for k, _l in kinds], 0)
    for thread in items:
        org = thread.dealer.sales_org
        place = thread.region
        key = (org.pk, place.pk if place else 0)
        row = rows.setdefault(
            key,
            {
                "org": org.display_name,
                "region": place.display_name if place else "—",
                "counts": dict.fromkeys([k for k, _l in kinds], 0),
                "total": 0,
            },
        )
        row["counts"][thread.feedback] = row["counts"].get(thread.feedback, 0) + 1
        row["total"] += 1
        totals[thread.feedback] = totals.get(thread.feedback, 0) + 1
    ordered = sorted(rows.values(), key=lambda r: (r["org"], r["region"]))
    for row in ordered:
        row["cells"] = [row["counts"][k] for k, _l in kinds]
    return FeedbackSummary(
        start=start,
        end=end,
        kinds=kinds,
        rows=ordered,
        totals=totals,
        total=len(items),
        items=items,
    )


@dataclass
class ServiceLevel:
    """One rep's answers over a period: how fast the first answer came."""

    rep: str
    answered: int
    median_seconds: int | None
    average_seconds: int | None
    slowest_seconds: int | None


def service_levels(*, participant: Participant, days: int = 30) -> list[ServiceLevel]:
    """First-response time per rep over the last ``days`` (each answer that ended
    a dealer's wait), for the threads the participant sees."""
    since = timezone.now() - datetime.timedelta(days=days)
    answers = (
        Message.objects.filter(
            side=Side.REP,
            response_seconds__isnull=False,
            created_at__gte=since,
            thread__in=visible_threads(participant=participant).values("pk"),
        )
        .select_related("author")
        .order_by("author_id", "response_seconds")
    )
    by_rep: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for answer in answers:
        key = answer.author_id or 0
        by_rep.setdefault(key, []).append(answer.response_seconds)
        names[key] = person_name(answer.author)
    levels = []
    for key, seconds in by_rep.items():
        levels.append(
            ServiceLevel(
                rep=names[key],
                answered=len(seconds),
                median_seconds=int(statistics.median(seconds)),
                average_seconds=sum(seconds) // len(seconds),
                slowest_seconds=seconds[-1],
            )
        )
    return sorted(levels, key=lambda level: (level.median_seconds, level.rep))
