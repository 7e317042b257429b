"""Home: what a dealer checks first thing."""

from django.utils.translation import get_language

from catalog import selectors as catalog_selectors
from cms import selectors as cms_selectors
from orders import selectors as order_selectors
from portal.presenters.orders import order_card
from portal.presenters.promotions import offer_cards, recommend
from promos import selectors as promo_selectors


def home_context(dealer_user) -> dict:
    """Greeting, credit, banners and recent orders: the page shell, painted at once.

    A bounded number of queries whatever the number of orders and promotions; what
    the dealer can get is read from the cache (``dealer_promotions``), the cart is
    not quoted here (``home_offers_context`` is, after first paint).
    """
    dealer = dealer_user.dealer
    # The same cached entry as the page's key part (``offers_signature``).
    offers = promo_selectors.dealer_promotions(dealer=dealer, include_ineligible=True)
    recent = order_selectors.order_card_list(dealer=dealer)[:3]
    return {
        "credit": order_selectors.credit_get(dealer=dealer),
        "expense_credit": order_selectors.account_balance(
            dealer=dealer, account="expense_credit"
        ),
        "recent": [order_card(order) for order in recent],
        "banners": cms_selectors.banner_list(
            dealer=dealer,
            language=get_language(),
            eligible_codes={o.code for o in offers if o.eligible},
        ),
    }


def home_offers_context(dealer_user) -> dict:
    """Recommendations ranked by fit and "almost there" hints: they quote the cart,
    so the home page loads them after first paint."""
    dealer = dealer_user.dealer
    lines = order_selectors.cart_lines(dealer_user=dealer_user)
    offers = promo_selectors.dealer_promotions(dealer=dealer, lines=lines)
    names = promo_selectors.promotion_names(rules=[o.rule for o in offers])
    purchases = catalog_selectors.dealer_purchase_rows(dealer_id=dealer.pk)
    cards = offer_cards(offers, names)
    almost = [hint for card in cards if card.eligible for hint in card.hints]
    return {
        "offers_loaded": True,
        "recommended": recommend(offers, purchases, names),
        "almost": almost[:3],
        "offer_count": sum(1 for o in offers if o.eligible),
    }
