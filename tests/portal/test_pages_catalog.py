"""The catalogue pages as a dealer's phone receives them from the server."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.factories import (
    CategoryFactory,
    ProductFactory,
    StockFactory,
    TierPriceFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db

PHONE = {
    "HTTP_USER_AGENT": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    )
}
HTMX = {**PHONE, "HTTP_HX_REQUEST": "true"}
THRESHOLD = settings.PORTAL["LOW_STOCK_THRESHOLD"]


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _card(html: str, sku: str) -> str:
    """The product card (list item) that shows ``sku``."""
    for item in re.findall(r"<li>\s*<a class=\"product\".*?</li>", html, re.S):
        if f"{sku} " in item:
            return item
    raise AssertionError(f"{sku} is not listed")


def _listed_skus(html: str) -> list[str]:
    return re.findall(r'href="/catalog/p/([^/"]+)/"', html)


@pytest.fixture
def tea(db):
    """TEA → GREEN; NOODLES."""
    tea = CategoryFactory(code="TEA", name="茶", name_en="Tea")
    return {
        "TEA": tea,
        "GREEN": CategoryFactory(
            code="GREEN", parent=tea, name="绿茶", name_en="Green tea"
        ),
        "NOODLES": CategoryFactory(code="NOODLES", name="方便面", name_en="Noodles"),
    }


@pytest.fixture
def longjing(tea, dealer):
    """A product with this dealer's tier price of ¥1,280.00, well stocked."""
    product = ProductFactory(
        sku="LJ-500",
        name="西湖龙井 500克",
        name_en="West Lake Longjing 500g",
        category=tea["GREEN"],
        unit="case",
        list_price=Decimal("1500.00"),
    )
    TierPriceFactory(tier=dealer.tier.code, product=product, price=Decimal("1280.00"))
    StockFactory(product=product, quantity=THRESHOLD + 10)
    return product


def test_catalog_card_shows_what_a_dealer_needs(in_english, dealer_client, longjing):
    """Each product shows its name, SKU, unit, the dealer's own price and availability."""
    card = _card(_html(dealer_client.get("/catalog/", **PHONE)), "LJ-500")

    assert "West Lake Longjing 500g" in card
    assert "LJ-500" in card
    assert "case" in card
    assert "¥1,280.00" in card
    assert "¥1,500.00" not in card
    assert "In stock" in card


def test_catalog_shows_chinese_names_by_default(dealer_client, longjing):
    """Without a language choice, the catalogue shows the Chinese product name."""
    html = _html(dealer_client.get("/catalog/", **PHONE))

    assert "西湖龙井 500克" in _card(html, "LJ-500")
    assert '<html lang="zh-hans">' in html


def test_product_without_tier_price_shows_the_list_price(dealer_client, tea):
    """A dealer whose tier has no special price pays the list price."""
    ProductFactory(sku="N-1", category=tea["NOODLES"], list_price=Decimal("45.50"))

    card = _card(_html(dealer_client.get("/catalog/")), "N-1")

    assert "¥45.50" in card


@pytest.mark.parametrize(
    ("stock", "words"),
    [
        ([THRESHOLD], "In stock"),
        ([THRESHOLD - 1], "Low stock"),
        ([THRESHOLD // 2, THRESHOLD - THRESHOLD // 2], "In stock"),
        ([1], "Low stock"),
        ([0], "Out of stock"),
        ([], "Out of stock"),
    ],
    ids=["at-threshold", "below-threshold", "summed", "one", "zero", "no-rows"],
)
def test_availability_words_follow_the_low_stock_threshold(
    in_english, dealer_client, tea, stock, words
):
    """Availability reads in stock / low / out from the stock over all warehouses."""
    product = ProductFactory(sku="P-1", category=tea["TEA"])
    for quantity in stock:
        StockFactory(product=product, quantity=quantity)

    card = _card(_html(dealer_client.get("/catalog/")), "P-1")

    shown = [w for w in ("In stock", "Low stock", "Out of stock") if w in card]
    assert shown == [words]


def test_category_filter_includes_sub_categories(dealer_client, tea):
    """Choosing a category lists its products and those of its sub-categories only."""
    ProductFactory(sku="T-1", category=tea["TEA"])
    ProductFactory(sku="G-1", category=tea["GREEN"])
    ProductFactory(sku="N-1", category=tea["NOODLES"])

    html = _html(dealer_client.get("/catalog/c/TEA/"))

    assert sorted(_listed_skus(html)) == ["G-1", "T-1"]
    assert _listed_skus(_html(dealer_client.get("/catalog/c/GREEN/"))) == ["G-1"]


def test_unknown_category_is_not_found(dealer_client, tea):
    """A category code that does not exist answers 404, not an empty list."""
    assert dealer_client.get("/catalog/c/NOPE/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("龙井", ["LJ-500"]),
        ("longjing", ["LJ-500"]),
        ("lj-5", ["LJ-500"]),
        ("N-1", ["N-1"]),
    ],
    ids=["chinese-name", "english-name", "sku-part", "sku"],
)
def test_search_by_name_or_sku(dealer_client, tea, longjing, query, expected):
    """The search box finds products by Chinese or English name and by SKU."""
    ProductFactory(
        sku="N-1", name="红烧牛肉面", name_en="Beef noodles", category=tea["NOODLES"]
    )

    html = _html(dealer_client.get("/catalog/", {"q": query}))

    assert _listed_skus(html) == expected
    assert f'value="{query}"' in html


def test_empty_search_shows_the_empty_state_with_a_way_back(
    in_english, dealer_client, longjing
):
    """A search that finds nothing says so and offers a link back to all products."""
    html = _html(dealer_client.get("/catalog/", {"q": "zzz-nothing"}))

    assert _listed_skus(html) == []
    empty = re.search(r'<div class="empty card">(.*?)</div>', html, re.S)
    assert empty is not None
    assert "zzz-nothing" in empty.group(1)
    assert 'href="/catalog/"' in empty.group(1)


def test_gift_only_and_inactive_products_are_never_listed(dealer_client, tea):
    """Gift-only items and switched-off products stay out of the list and search."""
    ProductFactory(sku="SELL-1", name="茶杯礼盒", category=tea["TEA"])
    ProductFactory(sku="GIFT-1", name="茶杯", category=tea["TEA"], gift_only=True)
    ProductFactory(sku="OLD-1", name="茶杯旧款", category=tea["TEA"], active=False)

    def listed(url, **params):
        return _listed_skus(_html(dealer_client.get(url, params)))

    assert listed("/catalog/") == ["SELL-1"]
    assert listed("/catalog/c/TEA/") == ["SELL-1"]
    assert listed("/catalog/", q="茶杯") == ["SELL-1"]
    assert listed("/catalog/", q="GIFT-1") == []
    assert listed("/catalog/", q="OLD-1") == []


@pytest.fixture
def seven_products(settings, tea):
    """Seven products, three to a page."""
    settings.PORTAL = {**settings.PORTAL, "PAGE_SIZE": 3}
    return [
        ProductFactory(sku=f"P-{i}", name=f"好茶 {i}", category=tea["TEA"])
        for i in range(1, 8)
    ]


def test_paging_works_without_javascript(dealer_client, seven_products):
    """Page 1 links to page 2 with a plain href; page 2 is a full page on its own."""
    first = _html(dealer_client.get("/catalog/"))
    assert _listed_skus(first) == ["P-1", "P-2", "P-3"]
    assert 'href="?page=2"' in first

    second = _html(dealer_client.get("/catalog/", {"page": 2}))
    assert _listed_skus(second) == ["P-4", "P-5", "P-6"]
    assert "<html" in second
    assert 'href="?page=3"' in second

    last = _html(dealer_client.get("/catalog/", {"page": 3}))
    assert _listed_skus(last) == ["P-7"]
    assert "page=4" not in last


def test_paging_with_htmx_returns_only_the_next_products(dealer_client, seven_products):
    """With htmx, the next page arrives as list items alone, ready to append."""
    response = dealer_client.get("/catalog/", {"page": 2}, **HTMX)

    html = _html(response)
    assert "<html" not in html
    assert "<nav" not in html
    assert _listed_skus(html) == ["P-4", "P-5", "P-6"]
    assert 'hx-get="?page=3"' in html


def test_paging_keeps_the_search(dealer_client, seven_products, tea):
    """The next-page link of a search result pages through that search only."""
    ProductFactory(sku="OTHER-1", name="方便面", category=tea["NOODLES"])

    first = _html(dealer_client.get("/catalog/", {"q": "好茶"}))
    assert "?q=%E5%A5%BD%E8%8C%B6&amp;page=2" in first

    second = _html(dealer_client.get("/catalog/", {"q": "好茶", "page": 2}, **HTMX))
    assert _listed_skus(second) == ["P-4", "P-5", "P-6"]


def test_page_number_out_of_range_or_garbage_still_shows_products(
    dealer_client, seven_products
):
    """A mistyped page number shows a real page instead of an error."""
    assert _listed_skus(_html(dealer_client.get("/catalog/", {"page": 99}))) == ["P-7"]
    assert (
        _listed_skus(_html(dealer_client.get("/catalog/", {"page": "x"})))[0] == "P-1"
    )


def test_product_page_shows_price_and_stock_per_warehouse(
    in_english, dealer_client, longjing
):
    """The product page shows the dealer's price and each active warehouse's stock."""
    # given stock in three warehouses, one of them closed
    StockFactory(
        product=longjing,
        warehouse=WarehouseFactory(code="WH-BJ", name="北京仓", name_en="Beijing"),
        quantity=3,
    )
    StockFactory(
        product=longjing,
        warehouse=WarehouseFactory(code="WH-GZ", name="广州仓", name_en="Guangzhou"),
        quantity=0,
    )
    StockFactory(
        product=longjing,
        warehouse=WarehouseFactory(
            code="WH-OLD", name="旧仓", name_en="Closed depot", active=False
        ),
        quantity=500,
    )

    # when the dealer opens the product
    html = _html(dealer_client.get("/catalog/p/LJ-500/", **PHONE))

    # then the price and each open warehouse's stock are there
    assert "¥1,280.00" in html
    rows = {
        re.sub(r"<[^>]+>", "", row.split("</td>")[0]).strip(): re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", " ", row)
        ).strip()
        for row in re.findall(r"<tr><td>(.*?)</tr>", html, re.S)
    }
    assert rows["Beijing"] == "Beijing 3 Low stock"
    assert rows["Guangzhou"] == "Guangzhou 0 Out of stock"
    assert len(rows) == 3
    assert "Closed depot" not in html


def test_unknown_or_inactive_product_is_not_found(dealer_client, tea):
    """A SKU that does not exist or is switched off answers 404."""
    ProductFactory(sku="OLD-1", category=tea["TEA"], active=False)

    assert dealer_client.get("/catalog/p/NOPE/").status_code == 404
    assert dealer_client.get("/catalog/p/OLD-1/").status_code == 404


def test_pages_are_built_for_a_phone(dealer_client, longjing):
    """Viewport meta, a five-tab bottom bar and htmx served from our own static files."""
    for url in ("/catalog/", "/catalog/p/LJ-500/"):
        html = _html(dealer_client.get(url, **PHONE))

        assert re.search(
            r'<meta name="viewport" content="width=device-width, initial-scale=1', html
        )
        tabbar = re.search(r'<nav class="tabbar".*?</nav>', html, re.S)
        assert tabbar is not None
        assert len(re.findall(r'class="tabbar__tab"', tabbar.group(0))) == 5
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
        assert any("htmx" in src for src in scripts)
        assert all(src.startswith(settings.STATIC_URL) for src in scripts)
        assert not re.search(r"src=\"(https?:)?//", html)


def test_catalog_tab_is_marked_current(dealer_client, longjing):
    """The bottom bar marks the Catalog tab while browsing the catalogue."""
    html = _html(dealer_client.get("/catalog/"))

    current = re.findall(
        r'<a href="([^"]+)" class="tabbar__tab" aria-current="page"', html
    )
    assert current == ["/catalog/"]


def _stocked_products(dealer, tea, count: int) -> None:
    """``count`` products, each with a tier price and stock in two warehouses."""
    warehouses = [WarehouseFactory(code="WH-A"), WarehouseFactory(code="WH-B")]
    for i in range(count):
        product = ProductFactory(sku=f"Q-{i:03d}", category=tea["GREEN"])
        TierPriceFactory(tier=dealer.tier.code, product=product)
        for warehouse in warehouses:
            StockFactory(product=product, warehouse=warehouse, quantity=i)


def _queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, **extra).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url", ["/catalog/", "/catalog/c/TEA/", "/catalog/?q=Q-0", "/catalog/?page=2"]
)
def test_catalog_queries_do_not_grow_with_the_catalogue(
    dealer_client, dealer, tea, url, django_assert_max_num_queries
):
    """The catalogue costs the same few queries with 100 products as with 10 (cold:
    the new products move the catalogue's version, so the next view renders)."""
    # given 10 products, the query count of the page
    _stocked_products(dealer, tea, 10)
    dealer_client.get("/catalog/")  # session and language settle on the first visit
    cache.clear()
    with_ten = _queries(dealer_client, url)

    # when the catalogue grows tenfold
    for i in range(10, 100):
        product = ProductFactory(sku=f"Q-{i:03d}", category=tea["GREEN"])
        TierPriceFactory(tier=dealer.tier.code, product=product)
        StockFactory(product=product, warehouse__code="WH-A", quantity=i)

    # then the page takes the same number of queries, and few
    cache.clear()
    with django_assert_max_num_queries(with_ten):
        dealer_client.get(url)
    assert with_ten <= 10


def test_product_page_queries_do_not_grow_with_warehouses(
    dealer_client, longjing, django_assert_max_num_queries
):
    """A product stocked in many warehouses costs no more queries than in one."""
    dealer_client.get("/catalog/")
    one = _queries(dealer_client, "/catalog/p/LJ-500/")
    for i in range(8):
        StockFactory(product=longjing, warehouse__code=f"WH-{i}", quantity=i)

    with django_assert_max_num_queries(one):
        html = _html(dealer_client.get("/catalog/p/LJ-500/"))
    assert html.count("<tr><td>") == 9
    assert one <= 10
