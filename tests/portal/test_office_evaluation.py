"""The back office's evaluation pages: who sees what (another org's promotions,
figures and dealers are a 404), the pages and their figures, the xlsx downloads,
sorting, the computed-at cache, bounded queries, and the rep console's flags."""

import itertools
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from orders import services as order_services
from tests.dealers.factories import DealerFactory, SalesOrgFactory
from tests.notifications.factories import rep_for
from tests.orders.factories import approve, definition

_ids = itertools.count(1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _place(dealer, quantity, code="P-GIFT", sku="TEA-A-01"):
    return order_services.order_place(
        dealer=dealer,
        lines=[(sku, quantity)],
        idempotency_key=f"k{next(_ids)}",
        gift_choices={code: 0},
    ).order


@pytest.fixture
def office(world):
    """P-GIFT (owned by EAST) taken by D1 with 20 Tea A: 2 cups at 15, cost 30.00.
    D2 earned gifts twice and cancelled both. SOUTH owns P-SOUTH, taken by its DS."""
    cache.clear()
    south = SalesOrgFactory(code="SOUTH", parent=world["orgs"]["HQ"])
    approve(definition("P-GIFT"))
    approve(
        definition("P-SOUTH", sales_org="SOUTH", audience={"sales_orgs": ["SOUTH"]})
    )
    _place(world["dealer"], 20)
    for _n in range(2):
        order = _place(world["other"], 20)
        order_services.order_cancel(number=order.number)
    south_dealer = DealerFactory(code="DS", sales_org=south, tier=world["dealer"].tier)
    _place(south_dealer, 10, code="P-SOUTH")
    manager = rep_for(world, "boss1", org="EAST", serves=[], manager=True)
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer", "other"])
    return {
        **world,
        "south": south,
        "south_dealer": south_dealer,
        "manager": _client(manager.user),
        "rep": _client(rep.user),
    }


def _page(response, status=200) -> str:
    assert response.status_code == status, (
        response.status_code,
        response.content[:300],
    )
    return response.content.decode()


def test_the_evaluation_list_shows_my_org_promotions_only(office):
    page = _page(office["manager"].get(reverse("office:evaluation-list")))
    assert 'data-code="P-GIFT"' in page
    assert "P-SOUTH" not in page
    assert "¥30.00" in page
    assert 'data-testid="computed-at"' in page
    assert 'class="table-wrap"' in page


def test_the_promotion_page_shows_cost_gifts_chart_and_links(office):
    page = _page(
        office["manager"].get(reverse("office:evaluation-detail", args=["P-GIFT"]))
    )
    assert 'data-testid="cost">¥30.00<' in page
    assert "<svg" in page
    assert "chart__line" in page
    assert "chart__budget" in page
    assert 'data-testid="gift-table"' in page
    assert reverse("office:evaluation-export", args=["P-GIFT"]) in page
    assert reverse("office:abuse-promotion", args=["P-GIFT"]) in page


def test_another_orgs_promotion_figures_and_dealers_are_not_found(office):
    """A manager of EAST cannot open SOUTH's promotion, its export, its abuse report,
    the SOUTH roll-up or a SOUTH dealer; a rep of EAST-SH cannot open EAST's own."""
    manager = office["manager"]
    for url in (
        reverse("office:evaluation-detail", args=["P-SOUTH"]),
        reverse("office:evaluation-export", args=["P-SOUTH"]),
        reverse("office:abuse-promotion", args=["P-SOUTH"]),
        reverse("office:org-detail", args=["SOUTH"]),
        reverse("office:org-export", args=["SOUTH"]),
        reverse("office:org-detail", args=["HQ"]),
        reverse("office:abuse-dealer", args=["DS"]),
        reverse("office:evaluation-detail", args=["NOPE"]),
    ):
        assert manager.get(url).status_code == 404, url
    rep = office["rep"]
    assert (
        rep.get(reverse("office:evaluation-detail", args=["P-GIFT"])).status_code == 404
    )
    page = _page(rep.get(reverse("office:evaluation-list")))
    assert "P-GIFT" not in page
    assert rep.get(reverse("office:abuse-dealer", args=["D2"])).status_code == 200


def test_the_office_is_for_reps_only(office, client):
    url = reverse("office:evaluation-list")
    assert client.get(url).status_code == 302
    assert _client(office["owner"].user).get(url).status_code == 403


def test_the_promotion_xlsx_opens_and_holds_the_figures(office):
    response = office["manager"].get(
        reverse("office:evaluation-export", args=["P-GIFT"])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert Decimal(str(summary["Cost"])) == Decimal("30.00")
    assert Decimal(str(summary["Gifts at cost"])) == Decimal("30.00")
    assert summary["Applications"] == 1
    assert summary["Gifts clawed back"] == 4  # D2's two cancelled orders, 2 cups each
    burn = list(book["Burn"].iter_rows(min_row=2, values_only=True))
    assert Decimal(str(burn[-1][2])) == Decimal("30.00")


def test_the_org_rollup_and_its_xlsx(office):
    page = _page(office["manager"].get(reverse("office:org-rollup")))
    assert 'data-code="EAST"' in page
    assert 'data-code="EAST-SH"' in page
    assert 'data-code="SOUTH"' not in page
    assert 'data-testid="org-cost">¥30.00<' in page
    assert "chart__bar" in page
    response = office["manager"].get(reverse("office:org-export", args=["EAST"]))
    book = load_workbook(BytesIO(response.content))
    rows = {
        row[0]: row
        for row in book["Organisations"].iter_rows(min_row=5, values_only=True)
    }
    assert set(rows) == {"EAST", "EAST-SH"}
    assert Decimal(str(rows["EAST"][4])) == Decimal("30.00")
    assert Decimal(str(rows["EAST"][5])) == Decimal("50000.00")
    promotions = list(book["Promotions"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in promotions] == ["P-GIFT"]


def test_tables_sort_by_the_query_parameter(office):
    approve(
        definition(
            "P-SECOND",
            condition={"type": "quantity", "items": {"skus": ["TEA-C-01"]}, "min": 10},
        )
    )
    _place(office["dealer"], 50, code="P-SECOND", sku="TEA-C-01")  # 5 cups: 75.00
    url = reverse("office:evaluation-list")
    page = _page(office["manager"].get(url + "?sort=-cost"))
    assert page.index('data-code="P-SECOND"') < page.index('data-code="P-GIFT"')
    page = _page(office["manager"].get(url + "?sort=cost&refresh=1"))
    assert page.index('data-code="P-GIFT"') < page.index('data-code="P-SECOND"')
    assert 'aria-sort="ascending"' in page
    assert _page(office["manager"].get(url + "?sort=bogus"))


def test_figures_are_cached_until_refreshed(office):
    url = reverse("office:evaluation-detail", args=["P-GIFT"])
    assert "¥30.00" in _page(office["manager"].get(url))
    _place(office["dealer"], 10)  # one more cup: 45.00
    assert 'data-testid="cost">¥30.00<' in _page(office["manager"].get(url))
    assert 'data-testid="cost">¥45.00<' in _page(
        office["manager"].get(url + "?refresh=1")
    )


def test_the_abuse_pages_flag_the_cancelling_dealer_only(office):
    page = _page(
        office["manager"].get(reverse("office:abuse-promotion", args=["P-GIFT"]))
    )
    assert 'data-dealer="D2" data-flags="cancelled_gifts"' in page
    assert 'data-dealer="D1" data-flags=""' in page
    page = _page(office["manager"].get(reverse("office:abuse-dealer", args=["D2"])))
    assert 'data-flag="cancelled_gifts"' in page
    page = _page(office["manager"].get(reverse("office:abuse-dealer", args=["D1"])))
    assert "data-flag=" not in page


def test_the_rep_console_shows_flag_chips_and_the_evaluation_link(office):
    page = _page(office["rep"].get(reverse("notifications:rep-dealers")))
    assert page.count('data-testid="abuse-flags"') == 1
    assert 'data-flag="cancelled_gifts"' in page
    assert reverse("office:abuse-dealer", args=["D2"]) in page
    assert reverse("office:evaluation-list") in page


def test_pages_take_a_bounded_number_of_queries(office, django_assert_max_num_queries):
    """The list with five promotions costs what it costs with two."""
    for n in range(3):
        approve(definition(f"P-MORE{n}", sales_org="EAST"))
        _place(office["dealer"], 10, code=f"P-MORE{n}")
    manager = office["manager"]
    with django_assert_max_num_queries(20):
        _page(manager.get(reverse("office:evaluation-list") + "?refresh=1"))
    with django_assert_max_num_queries(20):
        _page(manager.get(reverse("office:org-rollup") + "?refresh=1"))
    with django_assert_max_num_queries(22):
        _page(
            manager.get(
                reverse("office:evaluation-detail", args=["P-GIFT"]) + "?refresh=1"
            )
        )
    with django_assert_max_num_queries(22):
        _page(manager.get(reverse("office:abuse-promotion", args=["P-GIFT"])))
