"""The dealer's busiest pages cost the same number of queries whether the world holds
one order, one promotion and a few dealers or a hundred times that, with the cache
cold (the worst case) and warm, and never more than a fixed bound: a regression
fails here, not at month end."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services
from tests.dealers.factories import DealerFactory
from tests.orders.factories import approve, definition, place
from tests.portal.conftest import hx

# page: (method, url, data, most queries with a cold cache, most with a warm one);
# cold counts include reading the session from the database. Pages that quote the
# cart also read the agreement (contract check) and the available-to-promise inputs
# (stock, planned receipts, lead times, holidays, open orders): a fixed number each.
# Every page reads the user with the dealer (one query). A page that only reads
# (a GET) reads the version numbers once (common.versions.pinned): its cached
# content (portal.fragments) and the shell's badges (cart, bell, chat) key on them,
# so warm it makes no other query. What quotes the cart comes after first paint
# (home offers, the list's hints, the promotion's progress card), never cached.
PAGES = {
    "home": ("get", "/", {}, 17, 2),
    "home offers": ("get", "/home/offers/", {}, 19, 11),
    "catalog": ("get", "/catalog/", {}, 9, 2),
    "promotions": ("get", "/promotions/", {}, 14, 2),
    "promotion hints": ("get", "/promotions/", {}, 18, 10),
    "promotion": ("get", "/promotions/P-000/", {}, 20, 2),
    "promotion progress": ("get", "/promotions/P-000/", {}, 27, 19),
    "orders": ("get", "/orders/", {}, 9, 2),
    "cart": ("get", "/cart/", {}, 23, 19),
    "cart update": (
        "post",
        "/cart/set/",
        {"sku": "TEA-A-01", "quantity": "8", "delta": "0"},
        7,
        6,
    ),
}
TARGETS = {
    "/cart/": "cart-body",
    "promotion hints": "promo-hints",
    "promotion progress": "promo-progress",
}
GROWTH = 100


def _grow(world, start: int, stop: int) -> None:
    """Gift promotions on Tea A (all apply to the cart), orders of this dealer, and
    other dealers in the same org."""
    for n in range(start, stop):
        approve(definition(f"P-{n:03d}", limits={}))
        place(world["owner"], [("TEA-C-01", 1)])
    DealerFactory.create_batch((stop - start) * 5, sales_org=world["dealer"].sales_org)


def _request(client, page):
    method, url, data, *_bounds = PAGES[page]
    # The cart page swaps its body, the fragments their element; a change from any
    # other page answers a toast.
    return getattr(client, method)(url, data, **hx(TARGETS.get(page, TARGETS.get(url))))


def _count(client, page, *, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _request(client, page)
        assert response.status_code == 200, response.content[:300]
    return len(queries.captured_queries)


def _counts(client) -> dict[str, tuple[int, int]]:
    return {
        page: (_count(client, page, cold=True), _count(client, page, cold=False))
        for page in PAGES
    }


def test_queries_do_not_grow_with_dealers_orders_and_promotions(
    world, buyer_client, django_assert_max_num_queries
):
    # given one order and one promotion, and a cart near the gift
    _grow(world, 0, 1)
    services.cart_add(dealer_user=world["buyer"], sku="TEA-A-01", quantity=8)
    buyer_client.get("/")  # the session settles on the first visit
    before = _counts(buyer_client)

    # when dealers, orders and approved promotions grow a hundredfold
    _grow(world, 1, GROWTH)
    after = _counts(buyer_client)

    # then no page costs more, cold or warm, and each stays under its bound
    for page, (cold, warm) in after.items():
        cold_bound, warm_bound = PAGES[page][3:]
        assert cold <= before[page][0], (page, before[page], (cold, warm))
        assert warm <= before[page][1], (page, before[page], (cold, warm))
        assert cold <= cold_bound, (page, cold)
        assert warm <= min(cold, warm_bound), (page, warm)
        cache.clear()
        with django_assert_max_num_queries(cold):
            assert _request(buyer_client, page).status_code == 200
        with django_assert_max_num_queries(warm):
            assert _request(buyer_client, page).status_code == 200
