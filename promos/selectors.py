"""Reads about promotions, and the bridge from rows to the engine's dataclasses."""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db.models import F, Min, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import Product
from common import versions as cache_versions
from common.errors import InvalidInput, NotFound
from dealers.models import Dealer, Region, SalesOrg, Tier
from promos import engine
from promos.engine import audience, texts
from promos.engine.money import ceil_div
from promos.engine.rules import AddonReward, GiftReward
from promos.models import (
    BacktestRun,
    OrgBudget,
    Promotion,
    PromotionApplication,
    PromotionBudget,
    PromotionDealerUsage,
    PromotionTarget,
    PromotionVersion,
)

MAX_LINE_QUANTITY = 100_000


@lru_cache(maxsize=8192)
def _parsed(version_id: int, definition_json: str) -> engine.Rule:
    return engine.parse_definition(json.loads(definition_json))


def rule_of(version: PromotionVersion) -> engine.Rule:
    """The engine rule of a version; versions are immutable, so parse once per process."""
    return _parsed(version.pk, json.dumps(version.definition, sort_keys=True))


def promotion_get(*, code: str) -> Promotion:
    try:
        return Promotion.objects.select_related(
            "sales_org", "live_version", "budget"
        ).get(code=code)
    except Promotion.DoesNotExist:
        raise NotFound(
            f"Unknown promotion {code!r}.", code="unknown_promotion"
        ) from None


def promotion_latest_version(*, promotion: Promotion) -> PromotionVersion | None:
    return promotion.versions.order_by("-number").first()


def promotion_list(
    *, sales_orgs: Iterable[SalesOrg] | None = None
) -> QuerySet[Promotion]:
    """Promotions, optionally only those owned inside some org subtrees (a manager's view)."""
    queryset = Promotion.objects.select_related("sales_org", "live_version", "budget")
    if sales_orgs is not None:
        condition = Q(pk__in=[])
        for org in sales_orgs:
            condition |= Q(sales_org__path__startswith=org.path)
        queryset = queryset.filter(condition)
    return queryset.order_by("-updated_at")


def live_versions(*, at: datetime) -> QuerySet[PromotionVersion]:
    """Approved versions that apply at ``at`` (promotion approved, inside the window)."""
    return PromotionVersion.objects.filter(
        promotion__live_version=F("pk"),
        promotion__status=Promotion.Status.APPROVED,
        starts_at__lte=at,
        ends_at__gt=at,
    ).select_related("promotion", "promotion__budget")


# --- Engine inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything the engine needs for one dealer and one cart, read in bounded queries."""

    cart: engine.Cart
    dealer: engine.DealerContext
    versions: tuple[PromotionVersion, ...]
    gifts: Mapping[str, engine.GiftProduct]
    products: Mapping[str, Product]
    names: Mapping[str, tuple[str, str]]
    at: datetime
    warnings: tuple[str, ...] = field(default=())


def _unit_labels() -> dict[str, tuple[str, str]]:
    return catalog_selectors.unit_names()


def _item(
    product: Product,
    paths: Mapping[int, tuple[str, ...]],
    units: Mapping[str, tuple[str, str]],
) -> engine.Item:
    unit_zh, unit_en = units.get(product.unit, (product.unit, product.unit))
    return engine.Item(
        sku=product.sku,
        name=product.name,
        name_en=product.name_en or product.name,
        category_path=paths.get(product.category_id, ()),
        unit=unit_zh,
        unit_en=unit_en,
        gift_only=product.gift_only,
    )


def normalise_lines(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Merge lines of one SKU and refuse quantities a person could not mean."""
    merged: dict[str, int] = {}
    errors = []
    for index, (sku, quantity) in enumerate(lines):
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            errors.append(
                {
                    "field": f"lines[{index}].quantity",
                    "message": "must be a whole number above 0",
                }
            )
            continue
        merged[sku] = merged.get(sku, 0) + quantity
        if merged[sku] > MAX_LINE_QUANTITY:
            errors.append(
                {
                    "field": f"lines[{index}].quantity",
                    "message": f"at most {MAX_LINE_QUANTITY} units a line",
                }
            )
    if errors:
        raise InvalidInput(
            "Some quantities are not valid.", code="invalid_quantity", errors=errors
        )
    return merged


def dealer_context(
    *,
    dealer: Dealer,
    requirements: Iterable,
    at: datetime,
    achievement: Mapping[str, Decimal] | None = None,
) -> engine.DealerContext:
    """The dealer facts the audiences of ``requirements`` need; ``achievement`` (the
    agreement facts) comes from the caller, promos does not read agreements."""
    on = timezone.localdate(at)
    totals = catalog_selectors.dealer_history_totals(
        dealer_id=dealer.pk, requirements=requirements, on=on
    )
    return engine.DealerContext(
        code=dealer.code,
        sales_org_path=dealer.sales_org.code_path,
        tier=dealer.tier.code,
        region=dealer.region.code,
        customer_since=dealer.customer_since,
        history={
            key: engine.HistoryTotal(t.quantity, t.amount) for key, t in totals.items()
        },
        achievement=dict(achievement or {}),
    )


def evaluation_inputs(
    *,
    dealer: Dealer,
    lines: Iterable[tuple[str, int]],
    at: datetime | None = None,
    prices: Mapping[str, Decimal] | None = None,
    versions: Iterable[PromotionVersion] | None = None,
    achievement: Callable[[], Mapping[str, Decimal]] | None = None,
) -> EvaluationInputs:
    """Read the cart's products, the candidate promotions and the dealer's facts.

    A bounded number of queries whatever the number of promotions: candidates come from
    the target index (SKUs and categories the cart touches, plus order-scope ones).
    Re-pricing a placed order passes the ``prices`` it was placed at and the
    ``versions`` that priced it instead. ``achievement`` answers the dealer's agreement
    facts; it is only called when a candidate's audience asks for them.
    """
    at = at or timezone.now()
    quantities = normalise_lines(lines)
    tier = dealer.tier.code
    products = catalog_selectors.products_by_sku(skus=quantities, tier_code=tier)
    errors = []
    for index, sku in enumerate(quantities):
        product = products.get(sku)
        if prices is not None and product is not None:
            continue  # a placed order keeps its lines even if the product was retired
        if product is None or not product.active:
            errors.append(
                {
                    "field": f"lines[{index}].sku",
                    "message": f"unknown or inactive product {sku}",
                }
            )
        # A gift-only product is let through here: promotion_quote takes it only
        # as the add-on a promotion earns (addon_lines_check).
    if errors:
        raise InvalidInput(
            "Some products cannot be ordered.", code="invalid_product", errors=errors
        )
    index = catalog_selectors.category_index()
    paths, names, units = index.paths, index.names, _unit_labels()
    cart = engine.Cart(
        lines=tuple(
            engine.CartLine(
                item=_item(products[sku], paths, units),
                quantity=quantity,
                unit_price=(
                    prices[sku]
                    if prices is not None
                    else catalog_selectors.dealer_price(products[sku])
                ),
            )
            for sku, quantity in sorted(quantities.items())
        )
    )
    if versions is not None:
        versions = tuple(sorted(versions, key=lambda v: v.pk))
    else:
        versions = _candidate_versions(at=at, skus=list(quantities), cart=cart)
    rules = [rule_of(v) for v in versions]
    requirements = (
        set().union(*(r.history_requirements for r in rules)) if rules else set()
    )
    facts = (
        achievement()
        if achievement is not None and any(r.audience.agreement for r in rules)
        else None
    )
    context = dealer_context(
        dealer=dealer, requirements=requirements, at=at, achievement=facts
    )
    gift_skus = set()
    for rule in rules:
        reward = rule.reward
        if isinstance(reward, GiftReward):
            gift_skus.update(option.sku for option in reward.options)
        elif isinstance(reward, AddonReward):
            gift_skus.add(reward.sku)
    gift_products = (
        catalog_selectors.products_by_sku(skus=gift_skus, tier_code=tier)
        if gift_skus
        else {}
    )
    in_stock = catalog_selectors.skus_in_stock(skus=gift_skus) if gift_skus else set()
    gifts = {
        sku: engine.GiftProduct(
            item=_item(product, paths, units),
            value=product.gift_value,
            in_stock=sku in in_stock,
        )
        for sku, product in gift_products.items()
    }
    return EvaluationInputs(
        cart=cart,
        dealer=context,
        versions=versions,
        gifts=gifts,
        products={**gift_products, **products},
        names=names,
        at=at,
    )


def _candidate_versions(*, at: datetime, skus: list[str], cart: engine.Cart) -> tuple:
    category_codes = {code for line in cart.lines for code in line.item.category_path}
    return tuple(
        live_versions(at=at)
        .filter(
            Q(order_scope=True)
            | Q(targets__kind=PromotionTarget.Kind.SKU, targets__code__in=skus)
            | Q(
                targets__kind=PromotionTarget.Kind.CATEGORY,
                targets__code__in=list(category_codes),
            )
        )
        .distinct()
        .order_by("pk")
    )


def applied_versions(*, order_number: str) -> list[PromotionVersion]:
    """The versions an order's active ledger rows point at."""
    return list(
        PromotionVersion.objects.filter(
            applications__order_number=order_number,
            applications__status=PromotionApplication.Status.ACTIVE,
        ).select_related("promotion", "promotion__budget")
    )


def usage_for(
    *, dealer: Dealer, versions: Iterable[PromotionVersion]
) -> dict[int, engine.Usage]:
    """Budget left and times left for this dealer, per promotion id (one query + joins)."""
    versions = list(versions)
    promotion_ids = [v.promotion_id for v in versions]
    dealer_times = dict(
        PromotionDealerUsage.objects.filter(
            dealer=dealer, promotion_id__in=promotion_ids
        ).values_list("promotion_id", "times")
    )
    return {
        v.promotion_id: _usage(
            v, v.promotion.budget, dealer_times.get(v.promotion_id, 0)
        )
        for v in versions
    }


def _usage(
    version: PromotionVersion, budget: PromotionBudget, dealer_times: int
) -> engine.Usage:
    rule = rule_of(version)
    per_dealer = rule.limits.max_applications_per_dealer
    return engine.Usage(
        budget_remaining=None
        if budget.limit is None
        else max(budget.limit - budget.used, Decimal("0.00")),
        dealer_times_remaining=None
        if per_dealer is None
        else max(per_dealer - dealer_times, 0),
    )


def usage_from_locked(
    *,
    versions: Iterable[PromotionVersion],
    budgets: Mapping[int, PromotionBudget],
    dealer_times: Mapping[int, int],
) -> dict[int, engine.Usage]:
    """Usage computed from budget rows the caller holds locked."""
    return {
        v.promotion_id: _usage(
            v, budgets[v.promotion_id], dealer_times.get(v.promotion_id, 0)
        )
        for v in versions
    }


def evaluate(
    *,
    inputs: EvaluationInputs,
    usage: Mapping[int, engine.Usage],
    gift_choices: Mapping[str, int | None] | None = None,
) -> engine.Quote:
    """Run the engine over inputs read by ``evaluation_inputs``."""
    candidates = [
        engine.Candidate(rule=rule_of(v), version=v.number, usage=usage[v.promotion_id])
        for v in inputs.versions
    ]
    return engine.evaluate(
        cart=inputs.cart,
        dealer=inputs.dealer,
        candidates=candidates,
        gifts=inputs.gifts,
        at=inputs.at,
        gift_choices=dict(gift_choices or {}),
        names=inputs.names,
    )


def promotion_quote(
    *,
    dealer: Dealer,
    lines: Iterable[tuple[str, int]],
    gift_choices: Mapping[str, int | None] | None = None,
    at: datetime | None = None,
    achievement: Callable[[], Mapping[str, Decimal]] | None = None,
) -> tuple[engine.Quote, EvaluationInputs]:
    """Price a cart for a dealer with every promotion it can earn; stores nothing."""
    inputs = evaluation_inputs(
        dealer=dealer, lines=lines, at=at, achievement=achievement
    )
    usage = usage_for(dealer=dealer, versions=inputs.versions)
    quote = evaluate(inputs=inputs, usage=usage, gift_choices=gift_choices)
    addon_lines_check(quote=quote, inputs=inputs)
    return quote, inputs


def addon_lines_check(*, quote: engine.Quote, inputs: EvaluationInputs) -> None:
    """A gift-only product is ordered only as the add-on a promotion earns ("buy 10
    tea, add a cup for ¥1"): up to the units earned, at the promotion's price. Any
    more, or with no promotion earning it, is refused (every channel quotes here)."""
    earned: dict[str, int] = {}
    for offer in quote.addon_offers:
        earned[offer.sku] = earned.get(offer.sku, 0) + offer.quantity_earned
    errors = []
    for index, line in enumerate(quote.lines):
        product = inputs.products.get(line.sku)
        if product is None or not product.gift_only:
            continue
        allowed = earned.get(line.sku, 0)
        if line.quantity <= allowed:
            continue
        if allowed:
            message = _(
                "Only %(n)s × %(sku)s can be added at the promotion's price."
            ) % {"n": allowed, "sku": line.sku}
        else:
            message = _("%(sku)s is a gift and cannot be ordered.") % {"sku": line.sku}
        errors.append(
            {"field": f"lines[{index}].sku", "message": str(message), "sku": line.sku}
        )
    if errors:
        raise InvalidInput(
            errors[0]["message"]
            if len(errors) == 1
            else _("Some products cannot be ordered."),
            code="invalid_product",
            errors=errors,
        )


# --- What a dealer can get ---------------------------------------------------------------


@dataclass(frozen=True)
class DealerOffer:
    """A live promotion as one dealer sees it: eligible, or why not."""

    version: PromotionVersion
    rule: engine.Rule
    eligible: bool
    reason_zh: str = ""
    reason_en: str = ""
    hints: tuple[engine.Hint, ...] = ()

    @property
    def code(self) -> str:
        return self.rule.code

    def to_dict(self) -> dict:
        data = {
            "promotion": self.rule.code,
            "name": self.rule.name,
            "name_en": self.rule.name_en,
            "version": self.version.number,
            "type": self.rule.reward.type,
            "starts_at": self.rule.starts_at.isoformat(),
            "ends_at": self.rule.ends_at.isoformat(),
            "priority": self.rule.priority,
            "exclusive": self.rule.exclusive,
            "eligible": self.eligible,
            "definition": self.version.definition,
            "hints": [h.to_dict() for h in self.hints],
        }
        if not self.eligible:
            data["reason"] = "audience"
            data["message"] = self.reason_en
            data["message_zh"] = self.reason_zh
        return data


def _org_chain(dealer: Dealer) -> list[SalesOrg]:
    return list(dealer.sales_org.get_ancestors()) + [dealer.sales_org]


OFFERS_TIMEOUT = 300  # seconds an entry lives at most (a window boundary comes first)


def dealer_promotions(
    *,
    dealer: Dealer,
    at: datetime | None = None,
    lines: Iterable[tuple[str, int]] = (),
    include_ineligible: bool = False,
) -> list[DealerOffer]:
    """Live promotions for a dealer: those it can get now (with hints for ``lines``),
    and with ``include_ineligible`` those visible to it that it cannot get, with why.

    Only promotions owned by the dealer's org or one above it can reach the dealer
    (audiences stay inside the owner's subtree), so this reads that slice only. Who
    can get what is cached now (not for another ``at``), keyed on the dealer's facts,
    the day and the versions of promotions, history, catalogue and orgs
    (``common.versions``), until the next promotion starts or ends; hints for
    ``lines`` are always quoted live.
    """
    if at is None:
        at = timezone.now()
        offers = _cached_audience_offers(
            dealer=dealer, at=at, include_ineligible=include_ineligible
        )[0]
    else:
        offers = _audience_offers(
            dealer=dealer, at=at, include_ineligible=include_ineligible
        )[0]
    lines = list(lines)
    if not lines:
        return offers
    quote, _inputs = promotion_quote(dealer=dealer, lines=lines, at=at)
    hints: dict[str, tuple[engine.Hint, ...]] = {}
    for hint in quote.hints:
        hints[hint.promotion] = hints.get(hint.promotion, ()) + (hint,)
    return [
        replace(offer, hints=hints.get(offer.code, ())) if offer.eligible else offer
        for offer in offers
    ]


def _cached_audience_offers(
    *, dealer: Dealer, at: datetime, include_ineligible: bool
) -> tuple[list[DealerOffer], datetime]:
    """``_audience_offers`` cached on the dealer's facts, the day and the versions,
    until the next promotion starts or ends."""
    key = "offers:" + _offers_key(dealer, at, include_ineligible)
    return cache_versions.cached(
        key,
        lambda: _audience_offers(
            dealer=dealer, at=at, include_ineligible=include_ineligible
        ),
        # Until a promotion starts or ends, when the answer changes by itself.
        timeout=lambda value: _until(value[1], at),
    )


def _offers_key(dealer: Dealer, at: datetime, include_ineligible: bool) -> str:
    facts = (
        dealer.pk,
        dealer.code,
        dealer.tier.code,
        dealer.region.code,
        dealer.sales_org.path,
        dealer.customer_since,
        timezone.localdate(at),
        include_ineligible,
    )
    scopes = (
        cache_versions.PROMOTIONS,
        cache_versions.HISTORY,
        cache_versions.CATALOG,
        cache_versions.ORGS,
    )
    return ":".join(map(str, facts)) + ":" + cache_versions.current(scopes)


def _until(boundary: datetime, at: datetime) -> float:
    return min(OFFERS_TIMEOUT, (boundary - at).total_seconds())


def offers_signature(*, dealer: Dealer) -> tuple[tuple[str, int, bool], ...]:
    """(code, version id, whether it can get it) of each live promotion the dealer
    sees now: what a cached page keys on to move when one starts or ends, which no
    write announces. Cached apart from the offers (a small tuple to read), until
    the same moment they expire."""
    at = timezone.now()

    def compute():
        offers, boundary = _cached_audience_offers(
            dealer=dealer, at=at, include_ineligible=True
        )
        return tuple((o.code, o.version.pk, o.eligible) for o in offers), boundary

    signature, _boundary = cache_versions.cached(
        "offers-signature:" + _offers_key(dealer, at, True),
        compute,
        timeout=lambda value: _until(value[1], at),
    )
    return signature


def _audience_offers(
    *, dealer: Dealer, at: datetime, include_ineligible: bool
) -> tuple[list[DealerOffer], datetime]:
    """Who can get what at ``at`` (no hints), and the next moment a promotion of the
    dealer's orgs starts or ends, when the answer may change by itself."""
    chain = _org_chain(dealer)
    versions_now = list(
        live_versions(at=at)
        .select_related(None)
        .select_related("promotion")
        .filter(promotion__sales_org__in=chain)
        .order_by("-priority", "starts_at", "promotion__code")
    )
    upcoming = PromotionVersion.objects.filter(
        promotion__live_version=F("pk"),
        promotion__status=Promotion.Status.APPROVED,
        promotion__sales_org__in=chain,
        starts_at__gt=at,
    ).aggregate(first=Min("starts_at"))["first"]
    boundary = min(
        [v.ends_at for v in versions_now] + ([upcoming] if upcoming else []),
        default=at + timedelta(seconds=OFFERS_TIMEOUT),
    )
    rules = {v.pk: rule_of(v) for v in versions_now}
    requirements = (
        set().union(*(r.history_requirements for r in rules.values()))
        if rules
        else set()
    )
    context = dealer_context(dealer=dealer, requirements=requirements, at=at)
    names = catalog_selectors.category_index().names
    on = timezone.localdate(at)
    offers = []
    for version in versions_now:
        rule = rules[version.pk]
        failures = audience.audience_failures(rule.audience, context, on)
        if not failures:
            offers.append(DealerOffer(version=version, rule=rule, eligible=True))
        elif include_ineligible and audience.is_visible(rule.audience, context):
            named = {
                kind: set(failure.detail.get("required", ()))
                for failure in failures
                for kind in ("tier", "region")
                if failure.criterion == kind
            }
            zh, en = texts.audience_text(
                failures,
                texts.Namer(
                    items={},
                    gifts={},
                    names=names
                    | audience_names(
                        tiers=named.get("tier", ()), regions=named.get("region", ())
                    ),
                ),
            )
            offers.append(
                DealerOffer(
                    version=version,
                    rule=rule,
                    eligible=False,
                    reason_zh=zh,
                    reason_en=en,
                )
            )
    return offers, boundary


def audience_names(
    *, tiers: Iterable[str] = (), regions: Iterable[str] = ()
) -> dict[str, tuple[str, str]]:
    """(zh, en) names of tiers and regions as ``tier:<code>`` / ``region:<code>``
    (one query for each kind asked about, none otherwise)."""
    names: dict[str, tuple[str, str]] = {}
    for prefix, model, codes in (("tier", Tier, tiers), ("region", Region, regions)):
        codes = set(codes)
        if not codes:
            continue
        for code, name, name_en in model.objects.filter(code__in=codes).values_list(
            "code", "name", "name_en"
        ):
            names[f"{prefix}:{code}"] = (name, name_en or name)
    return names


def promotion_names(*, rules: Iterable[engine.Rule]) -> dict[str, tuple[str, str]]:
    """(zh, en) names of every category, product, org, tier and region the rules
    mention (3 queries, one more for each of tiers and regions when named)."""
    rules = list(rules)
    names = dict(catalog_selectors.category_index().names)
    skus, orgs = set(), set()
    for rule in rules:
        skus |= set(rule.touched_skus)
        if isinstance(rule.reward, GiftReward):
            skus |= {option.sku for option in rule.reward.options}
        orgs |= set(rule.audience.sales_orgs) | {rule.sales_org}
    names |= audience_names(
        tiers={code for rule in rules for code in rule.audience.tiers},
        regions={code for rule in rules for code in rule.audience.regions},
    )
    for sku, name, name_en in Product.objects.filter(sku__in=skus).values_list(
        "sku", "name", "name_en"
    ):
        names[sku] = (name, name_en or name)
    for code, name, name_en in SalesOrg.objects.filter(code__in=orgs).values_list(
        "code", "name", "name_en"
    ):
        names[code] = (name, name_en or name)
    return names


def promotion_summary(
    *, version: PromotionVersion, with_limits: bool = True
) -> tuple[str, str]:
    """The version's rules in plain words, (zh, en)."""
    rule = rule_of(version)
    return engine.describe(rule, promotion_names(rules=[rule]), with_limits=with_limits)


# --- Back-tests ------------------------------------------------------------------------------


def backtest_versions(*, org: SalesOrg) -> QuerySet[PromotionVersion]:
    """Draft and submitted versions of promotions owned in ``org``'s subtree, newest
    first: what a manager may back-test before approving."""
    return (
        PromotionVersion.objects.filter(
            status__in=[
                PromotionVersion.Status.DRAFT,
                PromotionVersion.Status.PENDING_APPROVAL,
            ],
            promotion__sales_org__path__startswith=org.path,
        )
        .select_related("promotion", "promotion__sales_org")
        .order_by("-created_at", "-pk")
    )


def backtest_version_get(*, org: SalesOrg, pk: int) -> PromotionVersion:
    """One back-testable version inside ``org``'s subtree, else ``NotFound``."""
    version = backtest_versions(org=org).filter(pk=pk).first()
    if version is None:
        raise NotFound("No such draft promotion here.", code="unknown_version")
    return version


def backtest_list(*, org: SalesOrg) -> QuerySet[BacktestRun]:
    """Back-tests of promotions owned in ``org``'s subtree, newest first."""
    return (
        BacktestRun.objects.filter(
            version__promotion__sales_org__path__startswith=org.path
        )
        .select_related("version", "version__promotion", "requested_by")
        .defer("result")
        .order_by("-created_at", "-pk")
    )


def backtest_get(*, org: SalesOrg, pk: int) -> BacktestRun:
    """One back-test of a promotion owned in ``org``'s subtree, else ``NotFound``."""
    run = (
        BacktestRun.objects.filter(
            pk=pk, version__promotion__sales_org__path__startswith=org.path
        )
        .select_related("version", "version__promotion", "requested_by")
        .first()
    )
    if run is None:
        raise NotFound("No such back-test here.", code="unknown_backtest")
    return run


FILL_QUOTES = 4  # quotes tried at most to find what earns a promotion
FILL_CANDIDATES = 20  # products of a category considered for order-now


def _fill_candidates(dealer: Dealer, items) -> list[Product]:
    """Sellable products a condition component selects: in stock first, then the
    cheapest for this dealer (fewest yuan to earn the promotion)."""
    found: dict[str, Product] = {
        p.sku: p
        for p in catalog_selectors.products_by_sku(
            skus=sorted(items.skus), tier_code=dealer.tier.code
        ).values()
        if p.active and not p.gift_only
    }
    categories = []
    for category_code in sorted(items.categories):
        try:
            categories.append(catalog_selectors.category_get(code=category_code))
        except NotFound:
            continue
    for category in categories or ([None] if items.matches_all else []):
        for product in catalog_selectors.product_list(dealer=dealer, category=category)[
            :FILL_CANDIDATES
        ]:
            found.setdefault(product.sku, product)
    in_stock = catalog_selectors.skus_in_stock(skus=list(found))
    return sorted(
        found.values(),
        key=lambda p: (p.sku not in in_stock, catalog_selectors.dealer_price(p), p.sku),
    )


def promotion_fill(
    *,
    dealer: Dealer,
    code: str,
    lines: Iterable[tuple[str, int]] = (),
    at: datetime | None = None,
    ensure: bool = False,
) -> dict[str, int]:
    """What to add to ``lines`` so that promotion ``code`` applies once more (with
    ``ensure``: at all, so nothing when the cart already earns it): the "order now"
    of a pushed recommendation.

    Each condition component gets what it still misses, no more: its minimum (times
    the applications wanted) less what the cart already holds of it, added to a SKU
    of that component the cart already holds, else the cheapest one in stock. A
    combo of 5 tea + 5 drinks adds 5 of one tea and 5 of one drink. Empty when
    nothing the dealer can buy earns it (or it cannot be earned once more); NotFound
    unless the dealer can get it now."""
    base: dict[str, int] = {}
    for sku, quantity in lines:
        base[sku] = base.get(sku, 0) + int(quantity)
    offers = dealer_promotions(dealer=dealer, at=at, lines=list(base.items()))
    offer = next((o for o in offers if o.code == code and o.eligible), None)
    if offer is None:
        raise NotFound(
            translation.gettext("That promotion is not available to you."),
            code="unknown_promotion",
        )
    rule = offer.rule
    condition = rule.condition

    def times(quote) -> int:
        return sum(a.times for a in quote.applied if a.promotion == code)

    added: dict[str, int] = {}

    def cart():
        merged = dict(base)
        for sku, quantity in added.items():
            merged[sku] = merged.get(sku, 0) + quantity
        return list(merged.items())

    quote, inputs = (
        promotion_quote(dealer=dealer, lines=cart(), at=at) if base else (None, None)
    )
    before = times(quote) if quote is not None else 0
    if ensure and before:
        return {}
    target = before + 1
    cap = rule.max_applications_per_order
    if (before and not rule.repeat) or (cap is not None and target > cap):
        return {}
    candidates = [_fill_candidates(dealer, c.items) for c in condition.components]
    if not all(candidates):
        return {}
    for _try in range(FILL_QUOTES):
        if quote is not None and times(quote) >= target:
            return added
        cart_lines = inputs.cart.lines if inputs is not None else ()
        nets = {line.sku: line.net_amount for line in quote.lines} if quote else {}
        grew = False
        for component, products in zip(condition.components, candidates, strict=True):
            held = [ln for ln in cart_lines if component.items.matches(ln.item)]
            choice = next(
                (p for p in products if p.sku in {ln.item.sku for ln in held}),
                products[0],
            )
            if condition.type == "amount":
                have = sum((nets.get(ln.item.sku, 0) for ln in held), Decimal(0))
                missing = component.min * target - have
                price = catalog_selectors.dealer_price(choice)
                units = ceil_div(missing, price) if missing > 0 and price > 0 else 0
            else:
                units = component.min * target - sum(ln.quantity for ln in held)
            if units > 0:
                added[choice.sku] = added.get(choice.sku, 0) + int(units)
                grew = True
        if isinstance(rule.reward, AddonReward):
            # The add-on is earned by taking it: its units at the promotion's price.
            reward = rule.reward
            held = sum(ln.quantity for ln in cart_lines if ln.item.sku == reward.sku)
            units = reward.quantity * target - held - added.get(reward.sku, 0)
            if units > 0 and not grew:
                added[reward.sku] = added.get(reward.sku, 0) + units
                grew = True
        if not grew:
            return {}  # the condition holds but something else (a limit) stops it
        quote, inputs = promotion_quote(dealer=dealer, lines=cart(), at=at)
    return added if quote is not None and times(quote) >= target else {}


@dataclass(frozen=True)
class OrgBudgetFigures:
    amount: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed

    def __add__(self, other: "OrgBudgetFigures") -> "OrgBudgetFigures":
        return OrgBudgetFigures(
            self.amount + other.amount,
            self.committed + other.committed,
            self.spent + other.spent,
        )

    def to_dict(self) -> dict:
        return {
            "amount": f"{self.amount:.2f}",
            "committed": f"{self.committed:.2f}",
            "spent": f"{self.spent:.2f}",
            "available": f"{self.available:.2f}",
        }


def org_budget_figures(
    *, org: SalesOrg, period: str
) -> tuple[OrgBudgetFigures | None, OrgBudgetFigures]:
    """The org's own budget for ``period`` (None when it has none) and the roll-up over
    its subtree; spent is what the promotions holding it have used."""
    zero = Decimal("0.00")
    budgets = (
        OrgBudget.objects.filter(sales_org__path__startswith=org.path, period=period)
        .annotate(spent=Sum("reservations__promotion__budget__used", default=zero))
        .order_by("pk")
    )
    own, rollup = None, OrgBudgetFigures(zero, zero, zero)
    for budget in budgets:
        figures = OrgBudgetFigures(budget.amount, budget.committed, budget.spent)
        rollup = rollup + figures
        if budget.sales_org_id == org.pk:
            own = figures
    return own, rollup
