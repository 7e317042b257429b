"""Reads about orders and a dealer's money, always scoped to one dealer."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from common.errors import NotFound
from dealers.models import Dealer
from orders.models import AccountMovement, Order, OrderLine, OrderLineDiscount

ZERO = Decimal("0.00")
EXPOSED_STATUSES = (Order.Status.PLACED, Order.Status.CONFIRMED)


@dataclass(frozen=True)
class Credit:
    limit: Decimal
    prepayment: Decimal
    open_receivables: Decimal
    unshipped_orders: Decimal

    @property
    def available(self) -> Decimal:
        """Credit limit + prepayment − open receivables − unshipped order value."""
        return (
            self.limit + self.prepayment - self.open_receivables - self.unshipped_orders
        )


def account_balance(*, dealer: Dealer, account: str) -> Decimal:
    """The balance of one funds account (sum of its movements)."""
    return AccountMovement.objects.filter(dealer=dealer, account=account).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]


def open_receivables_total(*, dealer: Dealer) -> Decimal:
    """What the dealer owes on shipped goods (receivables arrive with the lifecycle)."""
    return ZERO


def credit_get(*, dealer: Dealer) -> Credit:
    """The dealer's credit position now."""
    unshipped = Order.objects.filter(
        dealer=dealer, status__in=EXPOSED_STATUSES
    ).aggregate(total=Sum("unshipped_value", default=ZERO))["total"]
    return Credit(
        limit=dealer.credit_limit,
        prepayment=account_balance(
            dealer=dealer, account=AccountMovement.Account.PREPAYMENT
        ),
        open_receivables=open_receivables_total(dealer=dealer),
        unshipped_orders=unshipped,
    )


def order_list(
    *, dealer: Dealer, status: str | None = None, search: str = ""
) -> QuerySet[Order]:
    """A dealer's orders, newest first."""
    queryset = Order.objects.filter(dealer=dealer)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(number__icontains=search)
    return queryset.order_by("-placed_at", "-pk")


def order_get(*, number: str, dealer: Dealer | None = None) -> Order:
    """One order with its lines, discounts and history. ``dealer`` scopes it (a dealer
    asking for another dealer's order gets NotFound, not Forbidden)."""
    queryset = Order.objects.select_related("dealer", "dealer__tier").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine.objects.select_related(
                "product", "gift_version__promotion"
            ).prefetch_related(
                Prefetch(
                    "discounts",
                    queryset=OrderLineDiscount.objects.select_related(
                        "version__promotion"
                    ),
                )
            ),
        ),
        "events",
    )
    if dealer is not None:
        queryset = queryset.filter(dealer=dealer)
    order = queryset.filter(number=number).first()
    if order is None:
        raise NotFound(f"Unknown order {number!r}.", code="unknown_order")
    return order
