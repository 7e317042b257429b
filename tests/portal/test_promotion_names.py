"""A promotion's name in the dealer's language: "新品茶A 买十赠一" in Chinese, "Tea A:
buy 10, get a cup" in English, never both glued together (issue 13, item 12)."""

import pytest

from orders import services
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import html

ZH, EN = "新品茶A 买十赠一", "Tea A: buy 10, get a cup"


@pytest.fixture
def named(world):
    approve(definition(name=ZH, name_en=EN))
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=10)
    return place(world["owner"], [("TEA-A-01", 10)])


def _pages(client, order) -> dict[str, str]:
    return {
        url: html(client.get(url))
        for url in (
            "/",
            "/promotions/",
            "/promotions/P-GIFT/",
            "/cart/",
            f"/orders/{order.number}/",
        )
    }


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", EN, ZH), ("zh-hans", ZH, EN)]
)
def test_each_page_names_the_promotion_in_the_dealer_language(
    named, buyer_client, language, shown, hidden
):
    buyer_client.post("/language/", {"language": language, "next": "/"})
    for url, page in _pages(buyer_client, named).items():
        if url == "/":
            continue  # the home page loads its offers after first paint
        assert shown in page, url
        assert hidden not in page, url
    offers = html(buyer_client.get("/home/offers/", HTTP_HX_REQUEST="true"))
    assert shown in offers
    assert hidden not in offers


def test_a_promotion_without_an_english_name_shows_its_name(world, buyer_client):
    approve(definition(name=ZH))
    buyer_client.post("/language/", {"language": "en", "next": "/"})
    assert ZH in html(buyer_client.get("/promotions/P-GIFT/"))


def test_the_api_gives_both_names(named, world):
    from promos import selectors

    offer = selectors.dealer_promotions(dealer=world["dealer"], lines=[])[0]
    assert (offer.to_dict()["name"], offer.to_dict()["name_en"]) == (ZH, EN)
