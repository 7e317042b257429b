"""Product cards read the catalogue for the viewing dealer when the page renders."""

import re
from decimal import Decimal

import pytest

from tests.catalog.factories import TierPriceFactory
from tests.cms import factories
from tests.cms.conftest import client_for

pytestmark = pytest.mark.django_db


def _card(html: str, sku: str) -> str:
    match = re.search(
        rf'<div class="card cms-product"[^>]*data-sku="{sku}".*?</div>\s*(?=<div|</div>)',
        html,
        re.S,
    )
    assert match, html
    return match.group(0)


@pytest.fixture
def everyone(world):
    """A promotion for every dealer of EAST-SH, whatever their tier."""
    return factories.approved_promotion(
        code="P-ALL", audience={"sales_orgs": ["EAST-SH"]}
    )


def test_each_dealer_sees_their_own_price(world, everyone, insider, outsider):
    """Gold pays its tier price (110, list 120 struck through); silver pays list."""
    tea = world["products"]["TEA-A-01"]
    TierPriceFactory(tier="bronze", product=tea, price=Decimal("99.00"))  # not theirs
    page = factories.promotion_page(
        everyone,
        slug="p-all",
        body=[("product", {"product": tea, "note": "Counts towards the gift"})],
    )
    gold = _card(client_for(insider.user).get(page.url).content.decode(), "TEA-A-01")
    assert '<span class="price" data-testid="price">¥110.00</span>' in gold
    assert '<s class="muted" data-testid="list-price">¥120.00</s>' in gold
    assert "Counts towards the gift" in gold
    assert "In stock" in gold
    silver = _card(client_for(outsider.user).get(page.url).content.decode(), "TEA-A-01")
    assert '<span class="price" data-testid="price">¥120.00</span>' in silver
    assert "list-price" not in silver


def test_price_and_stock_are_read_at_render_time(world, everyone, insider):
    """A price change shows on the next view, without republishing the page."""
    tea = world["products"]["TEA-A-01"]
    page = factories.promotion_page(
        everyone, slug="p-all", body=[("product", {"product": tea, "note": ""})]
    )
    client = client_for(insider.user)
    assert "¥110.00" in _card(client.get(page.url).content.decode(), "TEA-A-01")
    tea.tier_prices.filter(tier="gold").update(price=Decimal("105.50"))
    tea.stock.update(quantity=0)
    card = _card(client.get(page.url).content.decode(), "TEA-A-01")
    assert "¥105.50" in card
    assert "Out of stock" in card
    assert "cms-product__add" not in card  # nothing to add when out of stock


def test_card_offers_add_to_cart_to_dealers_who_order(world, everyone, insider):
    tea = world["products"]["TEA-A-01"]
    page = factories.promotion_page(
        everyone,
        slug="p-all",
        body=[
            ("product", {"product": tea, "note": ""}),
            ("call_to_action", {"label": "Order 10", "product": tea, "quantity": 10}),
            (
                "call_to_action",
                {"label": "See all items", "product": None, "quantity": 1},
            ),
        ],
    )
    html = client_for(insider.user).get(page.url).content.decode()
    assert 'action="/cart/add/"' in _card(html, "TEA-A-01")
    assert re.search(
        r'name="sku" value="TEA-A-01">\s*<input type="hidden" name="quantity" value="10">',
        html,
    )
    assert (
        '<a class="btn btn--primary btn--block" href="/promotions/P-ALL/">See all items</a>'
        in html
    )


def test_viewers_get_no_add_button(world, everyone):
    from dealers.models import DealerUser
    from tests.dealers.factories import DealerUserFactory

    viewer = DealerUserFactory(
        dealer=world["dealer"], role=DealerUser.Role.VIEWER, user__username="viewer"
    )
    tea = world["products"]["TEA-A-01"]
    page = factories.promotion_page(
        everyone, slug="p-all", body=[("product", {"product": tea, "note": ""})]
    )
    html = client_for(viewer.user).get(page.url).content.decode()
    assert "¥110.00" in html
    assert 'action="/cart/add/"' not in html
