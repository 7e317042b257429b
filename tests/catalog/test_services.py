"""Catalogue services: the category tree, stock, and the sales-history facts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from catalog import selectors, services
from catalog.models import Category, DealerPurchase, SalesHistory, Stock
from catalog.services import HistoryRecord
from common.errors import Conflict, InvalidInput
from tests.catalog.factories import (
    CategoryFactory,
    ProductFactory,
    StockFactory,
    WarehouseFactory,
)
from tests.dealers.factories import DealerFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 15)


def _path(code: str) -> tuple[str, ...]:
    category = Category.objects.get(code=code)
    return tuple(a.code for a in category.get_ancestors()) + (category.code,)


# --- category tree ----------------------------------------------------------------


@pytest.fixture
def category_tree(db):
    """TEA → GREEN → LONGJING, and NOODLES."""
    services.category_upsert(code="TEA", name="茶", parent=None)
    services.category_upsert(code="GREEN", name="绿茶", parent="TEA")
    services.category_upsert(code="LONGJING", name="龙井", parent="GREEN")
    services.category_upsert(code="NOODLES", name="方便面", parent=None)


def test_category_upsert_creates_the_tree(category_tree):
    """New categories land under the parent named by code."""
    assert _path("LONGJING") == ("TEA", "GREEN", "LONGJING")
    assert _path("NOODLES") == ("NOODLES",)


def test_category_upsert_renames_in_place(category_tree):
    """A known code with a new name is renamed, not duplicated or moved."""
    _category, created = services.category_upsert(
        code="GREEN", name="绿茶类", name_en="Green tea", parent="TEA"
    )

    assert created is False
    green = Category.objects.get(code="GREEN")
    assert (green.name, green.name_en) == ("绿茶类", "Green tea")
    assert Category.objects.filter(code="GREEN").count() == 1
    assert _path("LONGJING") == ("TEA", "GREEN", "LONGJING")


def test_moving_a_category_takes_its_subtree_and_products(category_tree):
    """A category moved elsewhere brings its sub-categories and their products."""
    # given a product in a sub-category of GREEN, listed under TEA
    dealer = DealerFactory()
    ProductFactory(sku="LJ-1", category=Category.objects.get(code="LONGJING"))

    # when GREEN moves under NOODLES
    services.category_upsert(code="GREEN", name="绿茶", parent="NOODLES")

    # then the sub-category and its product follow
    assert _path("LONGJING") == ("NOODLES", "GREEN", "LONGJING")

    def skus(code):
        category = Category.objects.get(code=code)
        products = selectors.product_list(dealer=dealer, category=category)
        return {p.sku for p in products}

    assert skus("NOODLES") == {"LJ-1"}
    assert skus("TEA") == set()


@pytest.mark.parametrize("new_parent", ["GREEN", "LONGJING"])
def test_moving_a_category_below_itself_is_refused(category_tree, new_parent):
    """A category cannot become its own ancestor; the tree stays as it was."""
    with pytest.raises(Conflict):
        services.category_upsert(code="GREEN", name="绿茶", parent=new_parent)

    assert _path("LONGJING") == ("TEA", "GREEN", "LONGJING")


def test_category_upsert_with_unknown_parent_is_refused(category_tree):
    """A parent code nobody knows is bad input, and nothing is created."""
    with pytest.raises(InvalidInput):
        services.category_upsert(code="COFFEE", name="咖啡", parent="NOPE")

    assert not Category.objects.filter(code="COFFEE").exists()


# --- stock ------------------------------------------------------------------------


def test_stock_set_records_and_replaces_the_quantity():
    """The ERP's latest figure for a warehouse replaces the previous one."""
    warehouse = WarehouseFactory(code="SH")
    product = ProductFactory(sku="P-1")

    services.stock_set(warehouse="SH", sku="P-1", quantity=40)
    services.stock_set(warehouse="SH", sku="P-1", quantity=12)

    assert Stock.objects.get(warehouse=warehouse, product=product).quantity == 12


def test_stock_set_refuses_a_negative_quantity():
    """Negative stock is bad input with a message, and the old figure stays."""
    stock = StockFactory(warehouse__code="SH", product__sku="P-1", quantity=40)

    with pytest.raises(InvalidInput):
        services.stock_set(warehouse="SH", sku="P-1", quantity=-1)

    stock.refresh_from_db()
    assert stock.quantity == 40


def test_stock_set_refuses_an_unknown_warehouse_or_product():
    """Stock for a warehouse or SKU nobody knows is bad input."""
    StockFactory(warehouse__code="SH", product__sku="P-1")

    with pytest.raises(InvalidInput):
        services.stock_set(warehouse="NOPE", sku="P-1", quantity=1)
    with pytest.raises(InvalidInput):
        services.stock_set(warehouse="SH", sku="NOPE", quantity=1)


# --- sales history and facts ------------------------------------------------------


@pytest.fixture
def shop(db):
    """TEA → GREEN (product G-1), TEA (product T-1), NOODLES (product N-1); a dealer."""
    tea = CategoryFactory(code="TEA")
    green = CategoryFactory(code="GREEN", parent=tea)
    noodles = CategoryFactory(code="NOODLES")
    return {
        "dealer": DealerFactory(),
        "other": DealerFactory(),
        "G-1": ProductFactory(sku="G-1", category=green),
        "T-1": ProductFactory(sku="T-1", category=tea),
        "N-1": ProductFactory(sku="N-1", category=noodles),
    }


def _sale(shop, external_id, sku, day, quantity=1, amount="100.00", dealer="dealer"):
    return HistoryRecord(
        external_id=external_id,
        dealer_id=shop[dealer].pk,
        product_id=shop[sku].pk,
        quantity=quantity,
        amount=Decimal(amount),
        date=day,
    )


def _totals(shop, *requirements, dealer="dealer"):
    result = selectors.dealer_history_totals(
        dealer_id=shop[dealer].pk, requirements=requirements, on=ON
    )
    return {key: (t.quantity, t.amount) for key, t in result.items()}


def test_recording_the_same_sales_twice_counts_them_once(shop):
    """An ERP import replayed (or sent twice in one batch) does not double the history."""
    records = [
        _sale(shop, "E-1", "G-1", ON - timedelta(days=40), 3, "300.00"),
        _sale(shop, "E-2", "G-1", ON - timedelta(days=5), 2, "200.00"),
    ]

    first = services.sales_history_record(records=[*records, records[0]])
    second = services.sales_history_record(records=records)

    assert (first, second) == (2, 0)
    assert SalesHistory.objects.count() == 2
    assert _totals(shop, ("sku", "G-1", 365)) == {
        ("sku", "G-1", 365): (5, Decimal("500.00"))
    }
    assert (
        selectors.dealer_purchase_rows(dealer_id=shop["dealer"].pk)["sku:G-1"].quantity
        == 5
    )


def test_category_totals_include_sub_categories(shop):
    """What a dealer bought of a category counts its sub-categories' products."""
    services.sales_history_record(
        records=[
            _sale(shop, "E-1", "G-1", ON - timedelta(days=100), 4, "400.00"),
            _sale(shop, "E-2", "T-1", ON - timedelta(days=10), 1, "50.00"),
            _sale(shop, "E-3", "N-1", ON - timedelta(days=10), 7, "70.00"),
        ]
    )

    totals = _totals(
        shop,
        ("category", "TEA", 365),
        ("category", "GREEN", 365),
        ("category", "NOODLES", 365),
        ("sku", "T-1", 365),
    )

    assert totals == {
        ("category", "TEA", 365): (5, Decimal("450.00")),
        ("category", "GREEN", 365): (4, Decimal("400.00")),
        ("category", "NOODLES", 365): (7, Decimal("70.00")),
        ("sku", "T-1", 365): (1, Decimal("50.00")),
    }


def test_totals_belong_to_one_dealer_only(shop):
    """Another dealer's purchases never count toward this dealer's totals."""
    services.sales_history_record(
        records=[
            _sale(shop, "E-1", "G-1", ON - timedelta(days=10), 4, dealer="other"),
            _sale(shop, "E-2", "G-1", ON - timedelta(days=100), 6, dealer="other"),
        ]
    )

    assert _totals(shop, ("sku", "G-1", 365)) == {
        ("sku", "G-1", 365): (0, Decimal("0.00"))
    }
    assert (
        _totals(shop, ("sku", "G-1", 365), dealer="other")[("sku", "G-1", 365)][0] == 10
    )


def test_window_includes_the_sale_exactly_window_days_before(shop):
    """A sale 365 days before counts for a 365-day window; one a day earlier does not."""
    services.sales_history_record(
        records=[
            _sale(shop, "IN", "G-1", ON - timedelta(days=365), 1, "10.00"),
            _sale(shop, "OUT", "G-1", ON - timedelta(days=366), 100, "1000.00"),
        ]
    )

    assert _totals(shop, ("sku", "G-1", 365), ("category", "TEA", 365)) == {
        ("sku", "G-1", 365): (1, Decimal("10.00")),
        ("category", "TEA", 365): (1, Decimal("10.00")),
    }


def test_window_edges_in_mid_month_are_counted_to_the_day(shop):
    """A window starting mid-month counts that month's days from the start day only.

    With ``on`` = 15 June and 90 days, the window runs 17 March – 15 June: March and
    June are partial months, April and May whole.
    """
    # given sales around both edges and inside whole months
    start = ON - timedelta(days=90)
    assert start == date(2026, 3, 17)
    services.sales_history_record(
        records=[
            _sale(shop, "BEFORE-START", "G-1", date(2026, 3, 16), 1000, "1.00"),
            _sale(shop, "START", "G-1", date(2026, 3, 17), 1, "1.00"),
            _sale(shop, "MARCH-END", "G-1", date(2026, 3, 31), 2, "1.00"),
            _sale(shop, "APRIL", "G-1", date(2026, 4, 1), 4, "1.00"),
            _sale(shop, "MAY", "G-1", date(2026, 5, 31), 8, "1.00"),
            _sale(shop, "JUNE", "G-1", date(2026, 6, 1), 16, "1.00"),
            _sale(shop, "ON", "G-1", ON, 32, "1.00"),
            _sale(shop, "AFTER-ON", "G-1", ON + timedelta(days=1), 2000, "1.00"),
        ]
    )

    # when the totals are asked for 90 days, and for a window starting on the 1st
    totals = _totals(
        shop,
        ("sku", "G-1", 90),
        ("category", "GREEN", 90),
        ("sku", "G-1", (ON - date(2026, 4, 1)).days),
    )

    # then exactly the sales inside each window count
    assert totals[("sku", "G-1", 90)] == (63, Decimal("6.00"))
    assert totals[("category", "GREEN", 90)] == (63, Decimal("6.00"))
    assert totals[("sku", "G-1", 75)] == (60, Decimal("4.00"))


def test_history_totals_take_the_same_few_queries_for_any_number_of_requirements(
    shop, django_assert_max_num_queries
):
    """Asking about many SKUs and categories at once costs no more queries than one."""
    services.sales_history_record(
        records=[
            _sale(shop, f"E-{i}", sku, ON - timedelta(days=17 * i), i)
            for i, sku in enumerate(["G-1", "T-1", "N-1"] * 8, start=1)
        ]
    )
    one = [("sku", "G-1", 30)]
    many = [
        (kind, code, days)
        for kind, code in [
            ("sku", "G-1"),
            ("sku", "T-1"),
            ("sku", "N-1"),
            ("category", "TEA"),
            ("category", "GREEN"),
            ("category", "NOODLES"),
        ]
        for days in (30, 90, 180, 365, 400)
    ]

    with django_assert_max_num_queries(3):
        small = selectors.dealer_history_totals(
            dealer_id=shop["dealer"].pk, requirements=one, on=ON
        )
    with django_assert_max_num_queries(3):
        large = selectors.dealer_history_totals(
            dealer_id=shop["dealer"].pk, requirements=many, on=ON
        )

    assert len(small) == 1
    assert len(large) == len(many)
    assert large[("category", "TEA", 400)].quantity == sum(
        i for i in range(1, 25) if i % 3 != 0
    )


def test_rebuilding_the_facts_gives_what_incremental_recording_gave(shop):
    """A full rebuild from history and the day-by-day updates agree to the cent."""
    # given history recorded in several batches, updating existing monthly facts
    requirements = [
        (kind, code, days)
        for kind, code in [
            ("sku", "G-1"),
            ("sku", "N-1"),
            ("category", "TEA"),
            ("category", "NOODLES"),
        ]
        for days in (45, 365)
    ]
    for batch in range(3):
        services.sales_history_record(
            records=[
                _sale(
                    shop,
                    f"B{batch}-{i}-{who}",
                    sku,
                    ON - timedelta(days=11 * i + batch),
                    i + batch,
                    f"{i}.{batch}5",
                    dealer=who,
                )
                for i, sku in enumerate(["G-1", "T-1", "N-1"] * 4, start=1)
                for who in ("dealer", "other")
            ]
        )
    incremental_rows = selectors.dealer_purchase_rows(dealer_id=shop["dealer"].pk)
    incremental_totals = _totals(shop, *requirements)
    facts_before = DealerPurchase.objects.count()

    # when the facts are rebuilt from the raw history
    rebuilt = services.dealer_facts_rebuild()

    # then nothing changed
    assert rebuilt == SalesHistory.objects.count() == 72
    assert DealerPurchase.objects.count() == facts_before
    assert selectors.dealer_purchase_rows(dealer_id=shop["dealer"].pk) == (
        incremental_rows
    )
    assert _totals(shop, *requirements) == incremental_totals
    assert incremental_totals[("category", "TEA", 365)][0] > 0


def test_rebuilding_one_dealer_repairs_its_facts_and_leaves_others_alone(shop):
    """A rebuild restricted to one dealer restores its facts without touching others'."""
    services.sales_history_record(
        records=[
            _sale(shop, "E-1", "G-1", ON - timedelta(days=40), 3, "30.00"),
            _sale(shop, "E-2", "G-1", ON - timedelta(days=40), 5, "50.00", "other"),
        ]
    )
    DealerPurchase.objects.update(quantity=999)

    services.dealer_facts_rebuild(dealer_ids=[shop["dealer"].pk])

    assert (
        selectors.dealer_purchase_rows(dealer_id=shop["dealer"].pk)["sku:G-1"].quantity
        == 3
    )
    assert (
        selectors.dealer_purchase_rows(dealer_id=shop["other"].pk)["sku:G-1"].quantity
        == 999
    )
