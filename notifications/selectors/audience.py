"""Who a push reaches: a rep's scope, a promotion's eligible dealers in bulk, a
segment, dealers close to a promotion's next reward, and the best fits of an
automatic recommendation.

Eligibility is the engine's own (``promos.engine.audience``): the database narrows
the candidates with the audience's plain criteria (org subtree, tier, region, named
dealers, tenure), then the engine checks each, reading purchase history only when
the audience asks for it. So a campaign never reaches a dealer the promotion itself
would refuse.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import DealerPurchase
from dealers import groups
from dealers import selectors as dealer_selectors
from dealers.models import Dealer, SalesOrg, SalesRep
from orders.models import CartItem
from promos import engine
from promos import selectors as promo_selectors
from promos.engine import audience as engine_audience
from promos.models import Promotion, PromotionVersion

ELIGIBLE = "eligible"
SEGMENT = "segment"
NEAR_REWARD = "near_reward"
PICKED = "picked"
AUDIENCE_TYPES = (ELIGIBLE, SEGMENT, NEAR_REWARD, PICKED)


# --- Scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepContext:
    """A staff user acting as a rep: their profile and whether they manage an org."""

    rep: SalesRep
    manager: bool

    @property
    def org(self) -> SalesOrg:
        return self.rep.sales_org


def rep_context(*, user) -> RepContext | None:
    """The rep behind a staff user who may push to dealers; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return None
    if not user.has_perm("notifications.add_campaign"):
        return None
    rep = dealer_selectors.sales_rep_for(user=user)
    if rep is None:
        return None
    manager = user.groups.filter(name=groups.SALES_MANAGER).exists()
    return RepContext(rep=rep, manager=manager)


def rep_scope(*, context: RepContext) -> QuerySet[Dealer]:
    """The active dealers a rep reaches: those they serve; a manager, the org subtree."""
    condition = Q(reps=context.rep)
    if context.manager:
        condition |= Q(sales_org__path__startswith=context.org.path)
    return (
        Dealer.objects.filter(condition, active=True)
        .distinct()
        .select_related("tier", "region", "sales_org")
    )


def rep_promotions(*, context: RepContext, at: datetime | None = None) -> list:
    """Live promotions a rep may link: owned by their org, above it or below it."""
    at = at or timezone.now()
    org = context.org
    ancestors = [a.pk for a in org.get_ancestors()] + [org.pk]
    versions = (
        promo_selectors.live_versions(at=at)
        .filter(
            Q(promotion__sales_org__in=ancestors)
            | Q(promotion__sales_org__path__startswith=org.path)
        )
        .order_by("-priority", "promotion__code")
    )
    return list(versions)


def promotion_for_rep(*, context: RepContext, code: str) -> PromotionVersion | None:
    """The live version of a promotion the rep may link, or None."""
    for version in rep_promotions(context=context):
        if version.promotion.code == code:
            return version
    return None


# --- Eligibility in bulk ----------------------------------------------------------------


def _anniversary_cutoff(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _org_paths(codes: Iterable[str]) -> list[str]:
    return list(
        SalesOrg.objects.filter(code__in=list(codes)).values_list("path", flat=True)
    )


def eligible_dealers(
    *, version: PromotionVersion, among: QuerySet[Dealer], at: datetime | None = None
) -> list[Dealer]:
    """Of ``among``, the dealers the promotion's live rule accepts at ``at``."""
    at = at or timezone.now()
    on = timezone.localdate(at)
    rule = promo_selectors.rule_of(version)
    spec = rule.audience
    owner = version.promotion.sales_org
    candidates = among.filter(sales_org__path__startswith=owner.path)
    if spec.sales_orgs:
        condition = Q(pk__in=[])
        for path in _org_paths(spec.sales_orgs):
            condition |= Q(sales_org__path__startswith=path)
        candidates = candidates.filter(condition)
    if spec.tiers:
        candidates = candidates.filter(tier__code__in=spec.tiers)
    if spec.regions:
        candidates = candidates.filter(region__code__in=spec.regions)
    if spec.dealers:
        candidates = candidates.filter(code__in=spec.dealers)
    if spec.min_tenure_years:
        candidates = candidates.filter(
            customer_since__lte=_anniversary_cutoff(on, spec.min_tenure_years)
        )
    dealers = list(candidates.select_related("tier", "region", "sales_org"))
    codes_by_path = dict(SalesOrg.objects.values_list("path", "code"))
    step = SalesOrg.steplen
    accepted = []
    for dealer in dealers:
        path = dealer.sales_org.path
        history = {}
        if rule.history_requirements:
            totals = catalog_selectors.dealer_history_totals(
                dealer_id=dealer.pk, requirements=rule.history_requirements, on=on
            )
            history = {
                key: engine.HistoryTotal(t.quantity, t.amount)
                for key, t in totals.items()
            }
        context = engine.DealerContext(
            code=dealer.code,
            sales_org_path=tuple(
                codes_by_path[path[: i * step]] for i in range(1, len(path) // step + 1)
            ),
            tier=dealer.tier.code,
            region=dealer.region.code,
            customer_since=dealer.customer_since,
            history=history,
        )
        if not engine_audience.audience_failures(spec, context, on):
            accepted.append(dealer)
    return accepted


# --- Close to the next reward ------------------------------------------------------------


@dataclass(frozen=True)
class NearReward:
    """A dealer's cart is ``missing`` units (or money) short of a promotion's reward."""

    promotion: str
    message_zh: str
    message_en: str
    missing_quantity: int | None
    missing_amount: object = None


def cart_hints(*, dealers: Iterable[Dealer]) -> dict[int, list[NearReward]]:
    """What each dealer's open carts are close to earning (dealers without a cart are
    left out): the engine's hints on each cart, the closest per promotion."""
    dealers = {d.pk: d for d in dealers}
    carts: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for dealer_id, user_id, sku, quantity in CartItem.objects.filter(
        cart__dealer_id__in=list(dealers),
        product__active=True,
        product__gift_only=False,
    ).values_list("cart__dealer_id", "cart__user_id", "product__sku", "quantity"):
        carts.setdefault((dealer_id, user_id), []).append((sku, quantity))
    result: dict[int, dict[str, NearReward]] = {}
    for (dealer_id, _user_id), lines in carts.items():
        try:
            quote, _inputs = promo_selectors.promotion_quote(
                dealer=dealers[dealer_id], lines=lines
            )
        except Exception:  # noqa: BLE001 - a cart that no longer quotes has no hint
            continue
        best = result.setdefault(dealer_id, {})
        for hint in quote.hints:
            near = NearReward(
                promotion=hint.promotion,
                message_zh=hint.message_zh,
                message_en=hint.message_en,
                missing_quantity=hint.missing_quantity,
                missing_amount=hint.missing_amount,
            )
            known = best.get(hint.promotion)
            if known is None or (near.missing_quantity or 0) < (
                known.missing_quantity or 0
            ):
                best[hint.promotion] = near
    return {dealer_id: list(hints.values()) for dealer_id, hints in result.items()}


def dealers_near_reward(
    *, code: str, units: int, among: QuerySet[Dealer]
) -> list[Dealer]:
    """Dealers whose cart is at most ``units`` units short of the promotion's next
    reward (only carts can be short of something: a dealer without one is not)."""
    with_carts = among.filter(
        pk__in=CartItem.objects.values("cart__dealer_id")
    ).select_related("tier", "region", "sales_org")
    hints = cart_hints(dealers=with_carts)
    return [
        dealer
        for dealer in with_carts
        if any(
            h.promotion == code
            and h.missing_quantity is not None
            and h.missing_quantity <= units
            for h in hints.get(dealer.pk, [])
        )
    ]


# --- Resolving a campaign's audience ------------------------------------------------------


@dataclass
class Audience:
    """The dealers a campaign reaches, best first, with what was left out and why."""

    dealers: list[Dealer] = field(default_factory=list)
    not_eligible: int = 0  # matched the audience but the promotion refuses them
    out_of_scope: int = 0  # picked, but not served by this rep

    @property
    def count(self) -> int:
        return len(self.dealers)


def audience_resolve(
    *,
    context: RepContext,
    spec: dict,
    version: PromotionVersion | None,
    at: datetime | None = None,
) -> Audience:
    """The dealers ``spec`` names, always inside the rep's scope; with a linked
    promotion, only those it accepts (a push never points at a closed door)."""
    scope = rep_scope(context=context)
    kind = spec.get("type")
    out_of_scope = 0
    if kind == ELIGIBLE:
        if version is None:
            return Audience()
        matched = scope
    elif kind == SEGMENT:
        matched = _segment(scope, spec, at)
    elif kind == NEAR_REWARD:
        if version is None:
            return Audience()
        near = dealers_near_reward(
            code=version.promotion.code,
            units=int(spec.get("units") or 0),
            among=scope,
        )
        matched = Dealer.objects.filter(pk__in=[d.pk for d in near])
    elif kind == PICKED:
        wanted = {int(pk) for pk in spec.get("dealers", [])}
        matched = scope.filter(pk__in=wanted)
        out_of_scope = len(wanted) - matched.count()
    else:
        return Audience()
    if version is None:
        # Only what a sample and the fan-out need: a campaign may reach 100,000.
        dealers = matched.select_related(None).only("pk", "code", "name")
        return Audience(
            dealers=list(dealers.order_by("code")), out_of_scope=out_of_scope
        )
    # A subquery, not a list of ids: a manager's scope may hold 100,000 dealers.
    accepted = eligible_dealers(
        version=version, among=Dealer.objects.filter(pk__in=matched.values("pk")), at=at
    )
    return Audience(
        dealers=sorted(accepted, key=lambda d: d.code),
        not_eligible=matched.count() - len(accepted),
        out_of_scope=out_of_scope,
    )


def _segment(scope: QuerySet[Dealer], spec: dict, at: datetime | None):
    on = timezone.localdate(at or timezone.now())
    queryset = scope
    if spec.get("tiers"):
        queryset = queryset.filter(tier__code__in=spec["tiers"])
    if spec.get("regions"):
        queryset = queryset.filter(region__code__in=spec["regions"])
    if spec.get("min_tenure_years"):
        queryset = queryset.filter(
            customer_since__lte=_anniversary_cutoff(on, int(spec["min_tenure_years"]))
        )
    if spec.get("org"):
        path = SalesOrg.objects.filter(code=spec["org"]).values_list("path", flat=True)
        queryset = queryset.filter(sales_org__path__startswith=path.first() or "-")
    return queryset


# --- Automatic recommendations ------------------------------------------------------------


def recommendation_candidates(
    *, version: PromotionVersion, at: datetime | None = None, days: int = 90
) -> list[tuple[Dealer, float]]:
    """Eligible dealers who bought the promotion's items or categories in the last
    ``days`` days, with their fit (what they spent on them), best fit first."""
    at = at or timezone.now()
    rule = promo_selectors.rule_of(version)
    keys = [f"sku:{sku}" for sku in sorted(rule.touched_skus)] + [
        f"category:{code}" for code in sorted(rule.touched_categories)
    ]
    since = (timezone.localdate(at) - timedelta(days=days)).replace(day=1)
    purchases = DealerPurchase.objects.filter(month__gte=since, amount__gt=0)
    purchases = (
        purchases.filter(key__in=keys)
        if keys
        else purchases.filter(key__startswith="sku:")
    )
    fit = dict(
        purchases.values("dealer_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("dealer_id", "total")
    )
    if not fit:
        return []
    eligible = eligible_dealers(
        version=version,
        among=Dealer.objects.filter(pk__in=purchases.values("dealer_id"), active=True),
        at=at,
    )
    ranked = sorted(eligible, key=lambda d: (-fit[d.pk], d.code))
    return [(dealer, float(fit[dealer.pk])) for dealer in ranked]


def promotion_live_version(*, code: str, at: datetime | None = None):
    """The version of ``code`` that applies at ``at``, or None."""
    at = at or timezone.now()
    return (
        promo_selectors.live_versions(at=at)
        .filter(promotion__code=code)
        .select_related("promotion__sales_org")
        .first()
    )


def promotion_approved_version(*, code: str) -> PromotionVersion | None:
    """The approved version of ``code`` (live now or later), or None."""
    promotion = (
        Promotion.objects.filter(code=code, status=Promotion.Status.APPROVED)
        .select_related("live_version", "sales_org")
        .first()
    )
    return promotion.live_version if promotion else None
