"""Promotions for one dealer: cards, recommendations, one promotion in words."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from cms import selectors as cms_selectors
from common.errors import NotFound
from common.i18n import pick_name
from orders import selectors as order_selectors
from orders import services
from portal.presenters.cart import cart_view, summary
from portal.presenters.common import (
    ZERO,
    Names,
    hint_view,
    last_day,
    names_for,
    pick,
)
from promos import engine
from promos import selectors as promo_selectors
from promos.engine.rules import (
    AddonReward,
    AmountOffReward,
    GiftReward,
    PercentOffReward,
    Rule,
)

KINDS = ("gift", "discount", "addon", "expense_credit")


def reward_kind(rule: Rule) -> str:
    """The filter a promotion falls under: gift, discount, add-on or expense credit."""
    reward = rule.reward
    if isinstance(reward, GiftReward):
        return "gift"
    if isinstance(reward, PercentOffReward | AmountOffReward):
        return "discount"
    if isinstance(reward, AddonReward):
        return "addon"
    return "expense_credit"


def kind_label(kind: str) -> str:
    return {
        "gift": _("Gift"),
        "discount": _("Discount"),
        "addon": _("Add-on deal"),
        "expense_credit": _("Expense credit"),
    }.get(kind, kind)


def describe(rule: Rule, names: Mapping[str, tuple[str, str]]) -> list[str]:
    """The rules of a promotion as short sentences, in the engine's own words (the
    back office and the bot read the same), split at its clauses for a phone."""
    sentence = pick(*engine.describe(rule, names)).rstrip("。.")
    parts = [p.strip() for p in sentence.replace("；", ";").split(";") if p.strip()]
    return [p[:1].upper() + p[1:] for p in parts]


def headline(rule: Rule, names: Mapping[str, tuple[str, str]]) -> str:
    """One line for a card: what to buy and what it brings."""
    return describe(rule, names)[0]


@dataclass
class OfferCard:
    """A promotion as the list and the home page show it."""

    code: str
    name: str
    kind: str
    kind_label: str
    headline: str
    starts_at: object
    ends_at: object
    eligible: bool
    reason: str = ""
    last_day: object = None
    hints: list = field(default_factory=list)
    score: tuple = ()


def offer_cards(
    offers: Sequence, names: Mapping[str, tuple[str, str]]
) -> list[OfferCard]:
    cards = []
    for offer in offers:
        rule = offer.rule
        kind = reward_kind(rule)
        cards.append(
            OfferCard(
                code=rule.code,
                name=pick_name(rule.name, rule.name_en),
                kind=kind,
                kind_label=kind_label(kind),
                headline=headline(rule, names),
                starts_at=rule.starts_at,
                ends_at=rule.ends_at,
                eligible=offer.eligible,
                reason=pick(offer.reason_zh, offer.reason_en),
                last_day=last_day(rule),
                hints=[
                    hint_view(
                        h, Names(categories=names), pick_name(rule.name, rule.name_en)
                    )
                    for h in offer.hints
                ],
            )
        )
    return cards


def recommend(
    offers: Sequence,
    purchases: Mapping[str, object],
    names: Mapping[str, tuple[str, str]],
    *,
    limit: int = 3,
) -> list[OfferCard]:
    """Eligible promotions ranked by fit: a reward the cart is close to first, then
    how much the dealer has bought of what the promotion touches, then priority."""
    cards = []
    for offer, card in zip(offers, offer_cards(offers, names), strict=True):
        if not offer.eligible:
            continue
        rule = offer.rule
        keys = [f"sku:{s}" for s in rule.touched_skus] + [
            f"category:{c}" for c in rule.touched_categories
        ]
        bought = sum((purchases[key].amount for key in keys if key in purchases), ZERO)
        card.score = (bool(offer.hints), bought, rule.priority)
        cards.append(card)
    cards.sort(key=lambda c: c.score, reverse=True)
    return cards[:limit]


def promotions_context(dealer_user, kind: str | None) -> dict:
    """The promotions a dealer can get now, filtered by kind; then those it can see
    but not get yet, each with the engine's reason. The cart's hints are left to
    ``promotions_hints`` (after first paint): this much is cached."""
    offers = promo_selectors.dealer_promotions(
        dealer=dealer_user.dealer, include_ineligible=True
    )
    names = promo_selectors.promotion_names(rules=[o.rule for o in offers])
    every = offer_cards(offers, names)
    cards = [c for c in every if c.eligible]
    counts = {k: sum(1 for c in cards if c.kind == k) for k in KINDS}
    return {
        "cards": [c for c in cards if not kind or c.kind == kind],
        "not_yet": [
            c for c in every if not c.eligible and (not kind or c.kind == kind)
        ],
        "kinds": [(k, kind_label(k), counts[k]) for k in KINDS],
        "kind": kind or "",
        "total_count": len(cards),
    }


def promotions_hints(dealer_user) -> dict:
    """What the cart lacks for each promotion the dealer can get ("add 2 more"),
    quoted now: every eligible card's hints, empty where there are none."""
    lines = order_selectors.cart_lines(dealer_user=dealer_user)
    offers = [
        offer
        for offer in promo_selectors.dealer_promotions(
            dealer=dealer_user.dealer, lines=lines
        )
        if offer.eligible
    ]
    names = promo_selectors.promotion_names(rules=[o.rule for o in offers])
    return {"hinted": offer_cards(offers, names)}


def _items_of(rule: Rule, dealer, limit: int = 24) -> list:
    """Products a promotion applies to (its SKUs, then its categories), priced."""
    items: dict[str, object] = {}
    skus = {s for c in rule.condition.components for s in c.items.skus}
    if skus:
        for product in catalog_selectors.products_by_sku(
            skus=skus, tier_code=dealer.tier.code
        ).values():
            if product.active and not product.gift_only:
                items[product.sku] = product
    categories = [
        code for c in rule.condition.components for code in c.items.categories
    ]
    for code in categories:
        try:
            category = catalog_selectors.category_get(code=code)
        except NotFound:  # a category since removed just lists nothing
            continue
        for product in catalog_selectors.product_list(dealer=dealer, category=category)[
            :limit
        ]:
            items.setdefault(product.sku, product)
    if isinstance(rule.reward, AddonReward):
        for product in catalog_selectors.products_by_sku(
            skus=[rule.reward.sku], tier_code=dealer.tier.code
        ).values():
            if product.active and not product.gift_only:
                items.setdefault(product.sku, product)
    products = list(items.values())[:limit]
    for product in products:
        product.dealer_price = catalog_selectors.dealer_price(product)
        product.availability = catalog_selectors.availability_of(
            getattr(product, "stock_total", 0) or 0
        )
    return products


def order_now_lines(dealer_user, added: dict[str, int]) -> list[dict]:
    """Lines "order now" adds (or added), with their products for names and units."""
    products = catalog_selectors.products_by_sku(
        skus=added, tier_code=dealer_user.dealer.tier.code
    )
    return [
        {"sku": sku, "quantity": quantity, "product": products.get(sku)}
        for sku, quantity in added.items()
    ]


def _order_now(dealer_user, code: str, in_cart: dict) -> list[dict]:
    """What "order now" adds to this cart (nothing when it already earns it)."""
    added = promo_selectors.promotion_fill(
        dealer=dealer_user.dealer, code=code, lines=list(in_cart.items()), ensure=True
    )
    return order_now_lines(dealer_user, added)


def _offer(dealer, code: str):
    """The live promotion ``code`` as this dealer sees it (eligible or not)."""
    offers = promo_selectors.dealer_promotions(dealer=dealer, include_ineligible=True)
    offer = next((o for o in offers if o.code == code), None)
    if offer is None:
        raise NotFound(f"Unknown promotion {code!r}.", code="unknown_promotion")
    return offer


def promotion_context(
    dealer_user, code: str, *, can_order: bool, order_now: bool = False
) -> dict:
    """One promotion for this dealer: rules in words, items, gifts, and either the
    cart's progress towards it or why it is not for this dealer. The cart's quote
    (most of the page's cost) is left to the progress card and the summary bar,
    which fetch it after the first paint (``promotion_progress_context``); the
    items still say what the cart holds (one query). With ``order_now`` (a pushed
    recommendation's button) the quote is here, with what one tap adds to earn it."""
    dealer = dealer_user.dealer
    offer = _offer(dealer, code)
    rule = offer.rule
    names = names_for(rules=[rule], tier_code=dealer.tier.code)
    gift_options = []
    if isinstance(rule.reward, GiftReward):
        skus = [o.sku for o in rule.reward.options]
        in_stock = catalog_selectors.skus_in_stock(skus=skus)
        gift_options = [
            {
                "index": index,
                "product": names.products.get(o.sku),
                "sku": o.sku,
                "quantity": o.quantity,
                "in_stock": o.sku in in_stock,
            }
            for index, o in enumerate(rule.reward.options)
        ]
    context = {
        "offer": offer,
        "rule": rule,
        "name": pick_name(rule.name, rule.name_en),
        "kind": reward_kind(rule),
        "kind_label": kind_label(reward_kind(rule)),
        "sentences": describe(rule, promo_selectors.promotion_names(rules=[rule])),
        "gift_options": gift_options,
        "reason": pick(offer.reason_zh, offer.reason_en),
        "last_day": last_day(rule),
        "marketing": cms_selectors.promotion_content(
            dealer=dealer,
            promotion_code=code,
            language=get_language(),
            eligible_codes={offer.code} if offer.eligible else (),
        ),
    }
    if offer.eligible:
        context["items"] = _items_of(rule, dealer)
    if can_order and offer.eligible:
        if order_now:
            context.update(progress_context(dealer_user, rule))
            context["order_now"] = _order_now(dealer_user, code, context["in_cart"])
        else:
            context["progress_later"] = True
            context["in_cart"] = dict(
                order_selectors.cart_lines(dealer_user=dealer_user)
            )
        for product in context["items"]:
            product.in_cart = context["in_cart"].get(product.sku, 0)
    return context


def promotion_progress_context(dealer_user, code: str) -> dict:
    """The progress card alone (what the page fetches after first paint and on every
    cart change): the cart's quote for one promotion the dealer can get, without
    the rest of the page's reads."""
    offer = _offer(dealer_user.dealer, code)
    if not offer.eligible or not dealer_user.can_order:
        raise NotFound(f"No progress on {code!r}.", code="unknown_promotion")
    return progress_context(dealer_user, offer.rule)


def progress_context(dealer_user, rule: Rule) -> dict:
    """Where the cart stands on one promotion: applied (with its gift), a hint, or why
    not; plus the sticky summary and what the cart holds of each item."""
    state = services.cart_quote(dealer_user=dealer_user)
    in_cart = dict(state.lines)
    progress = {"applied": None, "gift": None, "hints": [], "reason": ""}
    if state.quote is not None:
        view = cart_view(state)
        progress["applied"] = next(
            (a for a in view.applied if a["code"] == rule.code), None
        )
        progress["gift"] = next(
            (g for g in view.gifts if g.promotion == rule.code), None
        )
        progress["hints"] = [h for h in view.hints if h.promotion == rule.code]
        progress["offers"] = [o for o in view.offers if o["promotion"] == rule.code]
        progress["reason"] = next(
            (r["message"] for r in view.reasons if r["promotion"] == rule.code), ""
        )
    return {"progress": progress, "summary": summary(state), "in_cart": in_cart}
