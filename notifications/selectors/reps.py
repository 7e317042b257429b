"""Reads for the rep console: my dealers at a glance, my campaigns and their funnel."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.errors import NotFound
from dealers.models import Dealer
from notifications import conf
from notifications.models import Campaign, CampaignRecipient, Delivery, Notification
from notifications.selectors.audience import (
    NearReward,
    RepContext,
    cart_hints,
    rep_scope,
)
from orders import evaluation as order_evaluation
from orders import models as order_models
from promos.models import PromotionApplication

ZERO = Decimal("0.00")


@dataclass
class DealerRow:
    """One line of "my dealers": what a rep checks before calling."""

    dealer: Dealer
    orders_this_month: int
    overdue: Decimal
    near: list[NearReward] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _overdue_subquery(today):
    receivable = getattr(order_models, "Receivable", None)
    if receivable is None:  # receivables arrive with the order lifecycle
        return Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
    overdue = (
        receivable.objects.filter(
            dealer=OuterRef("pk"), open_amount__gt=0, due_date__lt=today
        )
        .values("dealer")
        .annotate(total=Sum("open_amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(overdue, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2)),
    )


def rep_dealer_rows(
    *, context: RepContext, search: str = "", page: int | str = 1, per_page: int = 20
) -> tuple[Page, list[DealerRow]]:
    """The rep's dealers, one page: orders this month, overdue amount, the
    promotions each one's open cart is close to earning, and the abuse guard's flags
    (``orders.evaluation.dealer_flags``, one call for the page's dealers)."""
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    orders = (
        order_models.Order.objects.filter(
            dealer=OuterRef("pk"), placed_at__gte=month_start
        )
        .exclude(status=order_models.Order.Status.CANCELLED)
        .values("dealer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Dealer.objects.filter(pk__in=rep_scope(context=context).values("pk"))
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name__icontains=search)
        )
    queryset = (
        queryset.select_related("tier", "region", "sales_org")
        .annotate(
            orders_this_month=Coalesce(
                Subquery(orders, output_field=IntegerField()), Value(0)
            ),
            overdue=_overdue_subquery(now.date()),
        )
        .order_by("-overdue", "-orders_this_month", "code")
    )
    result = Paginator(queryset, per_page).get_page(page)
    dealers = list(result.object_list)
    hints = cart_hints(dealers=dealers)
    flags = order_evaluation.dealer_flags(dealers=dealers)
    rows = [
        DealerRow(
            dealer=dealer,
            orders_this_month=dealer.orders_this_month,
            overdue=dealer.overdue or ZERO,
            near=sorted(
                hints.get(dealer.pk, []), key=lambda h: h.missing_quantity or 0
            ),
            flags=flags.get(dealer.pk, []),
        )
        for dealer in dealers
    ]
    return result, rows


# --- Campaigns ---------------------------------------------------------------------------


def campaign_list(*, context: RepContext) -> QuerySet[Campaign]:
    """Campaigns the rep may follow: their own; a manager, their org's reps' and the
    automatic ones for promotions their org owns."""
    condition = Q(rep=context.rep)
    if context.manager:
        path = context.org.path
        condition |= Q(rep__sales_org__path__startswith=path) | Q(
            kind=Campaign.Kind.AUTOMATIC, promotion__sales_org__path__startswith=path
        )
    return (
        Campaign.objects.filter(condition)
        .select_related("promotion", "rep__user")
        .order_by("-created_at", "-pk")
    )


def campaign_get(*, context: RepContext, pk: int) -> Campaign:
    campaign = campaign_list(context=context).filter(pk=pk).first()
    if campaign is None:
        raise NotFound("Unknown campaign.", code="unknown_campaign")
    return campaign


@dataclass(frozen=True)
class Funnel:
    """Dealers reached by a campaign, and how many of them went each step further."""

    recipients: int
    sent: int
    read: int
    clicked: int
    converted: int | None  # None: no linked promotion to convert on

    def percent(self, value: int | None) -> int:
        if not self.recipients or value is None:
            return 0
        return round(100 * value / self.recipients)

    @property
    def steps(self) -> list[tuple[str, int | None, int]]:
        return [
            ("recipients", self.recipients, 100 if self.recipients else 0),
            ("sent", self.sent, self.percent(self.sent)),
            ("read", self.read, self.percent(self.read)),
            ("clicked", self.clicked, self.percent(self.clicked)),
            ("converted", self.converted, self.percent(self.converted)),
        ]


def campaign_funnel(*, campaign: Campaign) -> Funnel:
    """Sent, read, clicked and converted, counted per dealer (one query).

    Converted: the dealer placed an order that uses the campaign's promotion within
    ``CONVERSION_DAYS`` (7) days of the push, and the order still uses it.
    """
    notes = Notification.objects.filter(campaign=campaign, dealer=OuterRef("dealer_id"))
    annotations = {
        "was_sent": Exists(
            Delivery.objects.filter(
                notification__campaign=campaign,
                notification__dealer=OuterRef("dealer_id"),
                status__in=(
                    Delivery.Status.SENT,
                    Delivery.Status.READ,
                    Delivery.Status.CLICKED,
                ),
            )
        ),
        "was_read": Exists(notes.filter(read_at__isnull=False)),
        "was_clicked": Exists(notes.filter(clicked_at__isnull=False)),
    }
    if campaign.promotion_id:
        window = timedelta(days=conf.get("CONVERSION_DAYS"))
        annotations["was_converted"] = Exists(
            PromotionApplication.objects.filter(
                dealer=OuterRef("dealer_id"),
                promotion_id=campaign.promotion_id,
                status=PromotionApplication.Status.ACTIVE,
                created_at__gte=OuterRef("created_at"),
                created_at__lt=OuterRef("created_at") + window,
            )
        )
    counts = (
        CampaignRecipient.objects.filter(campaign=campaign)
        .annotate(**annotations)
        .aggregate(
            recipients=Count("pk"),
            sent=Count("pk", filter=Q(was_sent=True)),
            read=Count("pk", filter=Q(was_read=True)),
            clicked=Count("pk", filter=Q(was_clicked=True)),
            **(
                {"converted": Count("pk", filter=Q(was_converted=True))}
                if campaign.promotion_id
                else {}
            ),
        )
    )
    return Funnel(
        recipients=counts["recipients"],
        sent=counts["sent"],
        read=counts["read"],
        clicked=counts["clicked"],
        converted=counts.get("converted"),
    )


def promotion_funnel(*, promotion_id: int) -> Funnel:
    """The push funnel of every campaign linked to a promotion, counted per dealer
    (one query): a dealer reached by two campaigns counts once, and a step counts when
    any campaign's push got that far; converted as in ``campaign_funnel``."""
    recipients = CampaignRecipient.objects.filter(campaign__promotion_id=promotion_id)
    notes = Notification.objects.filter(
        campaign__promotion_id=promotion_id, dealer=OuterRef("dealer_id")
    )
    window = timedelta(days=conf.get("CONVERSION_DAYS"))
    counts = recipients.annotate(
        was_sent=Exists(
            Delivery.objects.filter(
                notification__campaign__promotion_id=promotion_id,
                notification__dealer=OuterRef("dealer_id"),
                status__in=(
                    Delivery.Status.SENT,
                    Delivery.Status.READ,
                    Delivery.Status.CLICKED,
                ),
            )
        ),
        was_read=Exists(notes.filter(read_at__isnull=False)),
        was_clicked=Exists(notes.filter(clicked_at__isnull=False)),
        was_converted=Exists(
            PromotionApplication.objects.filter(
                dealer=OuterRef("dealer_id"),
                promotion_id=promotion_id,
                status=PromotionApplication.Status.ACTIVE,
                created_at__gte=OuterRef("created_at"),
                created_at__lt=OuterRef("created_at") + window,
            )
        ),
    ).aggregate(
        recipients=Count("dealer", distinct=True),
        sent=Count("dealer", filter=Q(was_sent=True), distinct=True),
        read=Count("dealer", filter=Q(was_read=True), distinct=True),
        clicked=Count("dealer", filter=Q(was_clicked=True), distinct=True),
        converted=Count("dealer", filter=Q(was_converted=True), distinct=True),
    )
    return Funnel(
        recipients=counts["recipients"],
        sent=counts["sent"],
        read=counts["read"],
        clicked=counts["clicked"],
        converted=counts["converted"],
    )


def campaign_for_dealer(*, dealer, pk) -> Campaign | None:
    """A campaign (or automatic recommendation) that reached ``dealer``, else None."""
    reached = Notification.objects.filter(campaign=OuterRef("pk"), dealer=dealer)
    return (
        Campaign.objects.filter(Exists(reached), pk=pk)
        .select_related("promotion")
        .first()
    )
