"""The database bumps a dealer's cache scope whenever that dealer's data is written,
by any code: services, ``QuerySet.update``, ``bulk_create``, cascading deletes
(``common.triggers``). Another dealer's scope stays where it was, so its pages stay
cached. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import Page

from common import versions
from dealers.models import Tier
from orders import services
from orders.models import (
    AccountMovement,
    CartItem,
    Order,
    OrderLine,
    Receivable,
)
from promos.models import PromotionDealerUsage
from tests.orders.factories import approve, build_world, definition, place


@pytest.fixture
def world(db):
    return build_world()


def _numbers(*scopes: str) -> str:
    return versions.current(scopes)


def _moves(world, write) -> None:
    """``write()`` moves the dealer's scope and leaves the other dealer's alone."""
    mine, other = (versions.dealer(world[k].pk) for k in ("dealer", "other"))
    before_mine, before_other = _numbers(mine), _numbers(other)
    write()
    assert _numbers(mine) != before_mine
    assert _numbers(other) == before_other


def test_every_kind_of_write_to_a_dealers_orders_moves_its_scope(world):
    order = place(world["buyer"], [("TEA-A-01", 5)])

    _moves(world, lambda: Order.objects.filter(pk=order.pk).update(note="x"))
    _moves(
        world,
        lambda: OrderLine.objects.filter(order=order).update(quantity=6),
    )
    _moves(
        world,
        lambda: services.order_cancel(number=order.number, by=world["buyer"].user),
    )
    _moves(world, lambda: Order.objects.filter(pk=order.pk).delete())


def test_carts_money_and_usage_move_the_scope(world):
    _moves(
        world,
        lambda: services.cart_add(
            dealer_user=world["buyer"], sku="TEA-A-01", quantity=2
        ),
    )
    _moves(world, lambda: CartItem.objects.all().update(quantity=3))
    _moves(
        world,
        lambda: services.receipt_post(
            external_id="R1",
            dealer=world["dealer"],
            amount=Decimal("100.00"),
            date=datetime.date.today(),
        ),
    )
    _moves(
        world,
        lambda: AccountMovement.objects.bulk_create(
            [
                AccountMovement(
                    dealer=world["dealer"],
                    account=AccountMovement.Account.EXPENSE_CREDIT,
                    amount=Decimal("5.00"),
                    kind=AccountMovement.Kind.ADJUSTED,
                )
            ]
        ),
    )
    approve(definition())
    order = place(world["buyer"], [("TEA-A-01", 10)])
    assert PromotionDealerUsage.objects.filter(dealer=world["dealer"]).exists()
    _moves(
        world,
        lambda: services.shipment_post(
            external_id="E1",
            order_number=order.number,
            warehouse="WH-SH",
            lines=[("TEA-A-01", 10, False)],
        ),
    )
    assert Receivable.objects.filter(dealer=world["dealer"]).exists()
    _moves(world, lambda: Receivable.objects.all().update(open_amount=Decimal("1.00")))
    _moves(
        world,
        lambda: PromotionDealerUsage.objects.filter(dealer=world["dealer"]).update(
            times=0
        ),
    )


def test_the_dealer_row_and_its_logins_move_the_scope(world):
    _moves(
        world,
        lambda: (
            type(world["dealer"])
            .objects.filter(pk=world["dealer"].pk)
            .update(credit_limit=Decimal("1.00"))
        ),
    )
    _moves(world, lambda: world["viewer"].delete())


def test_tier_names_move_orgs_and_published_pages_move_cms(world):
    before = _numbers(versions.ORGS)
    Tier.objects.filter(code="gold").update(name_en="Golden")
    assert _numbers(versions.ORGS) != before

    before = _numbers(versions.CMS)
    root = Page.get_first_root_node()
    root.title = "Root, renamed"
    root.save()
    assert _numbers(versions.CMS) != before


def test_reading_pages_moves_nothing(world, client):
    """A page view writes no dealer data: the scope holds still and the cache hits."""
    client.force_login(world["buyer"].user)
    client.get("/")
    scope = versions.dealer(world["dealer"].pk)
    before = _numbers(scope, *versions.GLOBAL)
    for url in ("/", "/orders/", "/promotions/", "/catalog/", "/cart/"):
        assert client.get(url).status_code == 200
    assert _numbers(scope, *versions.GLOBAL) == before
