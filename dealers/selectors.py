"""Reads about dealers, always scoped."""

from django.db.models import QuerySet

from common.errors import NotFound
from dealers import groups
from dealers.models import Dealer, DealerUser, SalesOrg, SalesRep


def dealer_user_for(*, user) -> DealerUser | None:
    """The dealer login behind ``user``; None for anonymous, staff and inactive dealers."""
    if (
        not getattr(user, "is_authenticated", False)
        or user.is_staff
        or user.is_superuser
    ):
        return None
    if user.__class__.dealer_user.is_cached(user):
        # The auth backend joined it to the user: no query.
        dealer_user = getattr(user, "dealer_user", None)
        if dealer_user is None:
            return None
    else:
        try:
            dealer_user = DealerUser.objects.select_related(
                "dealer", "dealer__tier", "dealer__region", "dealer__sales_org"
            ).get(user=user)
        except DealerUser.DoesNotExist:
            return None
    return dealer_user if dealer_user.dealer.active else None


def dealer_get(*, code: str) -> Dealer:
    """One dealer by code, with what every screen shows."""
    try:
        return Dealer.objects.select_related("tier", "region", "sales_org").get(
            code=code
        )
    except Dealer.DoesNotExist:
        raise NotFound(f"Unknown dealer {code!r}.", code="unknown_dealer") from None


def dealer_users_list(*, dealer: Dealer) -> QuerySet[DealerUser]:
    """The logins of one dealer."""
    return dealer.users.select_related("user").order_by("role", "user__username")


def sales_org_get(*, code: str) -> SalesOrg:
    try:
        return SalesOrg.objects.get(code=code)
    except SalesOrg.DoesNotExist:
        raise NotFound(
            f"Unknown sales organisation {code!r}.", code="unknown_sales_org"
        ) from None


def sales_org_subtree(*, org: SalesOrg) -> QuerySet[SalesOrg]:
    """``org`` and every org below it."""
    return SalesOrg.objects.filter(path__startswith=org.path)


def sales_org_covers(*, ancestor: SalesOrg, org: SalesOrg) -> bool:
    """True when ``org`` is ``ancestor`` or lies below it."""
    return org.path.startswith(ancestor.path)


def dealer_list_for_rep(*, rep: SalesRep) -> QuerySet[Dealer]:
    """The dealers a rep serves."""
    return rep.dealers.select_related("tier", "region", "sales_org").order_by("code")


def dealer_list_for_org(*, org: SalesOrg) -> QuerySet[Dealer]:
    """Dealers in an org subtree (what a manager oversees)."""
    return Dealer.objects.filter(sales_org__path__startswith=org.path).select_related(
        "tier", "region", "sales_org"
    )


def sales_rep_for(*, user) -> SalesRep | None:
    """The rep profile of a staff user, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SalesRep.objects.select_related("sales_org").filter(user=user).first()


def org_authority(*, user, org: SalesOrg, approve: bool) -> str | None:
    """Why ``user`` may not act for ``org`` (``outside_org`` / ``not_manager``), or None.

    The integration (user None) and superusers may do anything; people are held to
    their org: reps draft and submit inside their subtree, managers also approve.
    Promotions and agreements share this rule.
    """
    if user is None or user.is_superuser:
        return None
    rep = sales_rep_for(user=user)
    if rep is None or not sales_org_covers(ancestor=rep.sales_org, org=org):
        return "outside_org"
    if approve and not user.groups.filter(name=groups.SALES_MANAGER).exists():
        return "not_manager"
    return None
