"""Dealer scoping on the pages: a dealer's user sees that dealer's data, nobody else's."""

from decimal import Decimal

import pytest
from django.test import Client

from dealers.models import DealerUser
from tests.catalog.factories import ProductFactory, TierPriceFactory
from tests.dealers.factories import (
    DealerFactory,
    DealerUserFactory,
    TierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_A_DEALER = "This login is not attached to an active dealer."


@pytest.fixture
def two_tiers(dealer):
    """One product priced ¥1,111.00 for this dealer's tier and ¥999.00 for gold."""
    product = ProductFactory(sku="LJ-1", list_price=Decimal("1500.00"))
    TierPriceFactory(tier=dealer.tier.code, product=product, price=Decimal("1111.00"))
    TierPriceFactory(tier="gold", product=product, price=Decimal("999.00"))
    return product


@pytest.fixture
def gold_client(db):
    """A logged-in user of another dealer, in the gold tier."""
    other = DealerFactory(
        code="D-GOLD", name="金牌经销商", tier=TierFactory(code="gold")
    )
    member = DealerUserFactory(dealer=other, user__username="stranger1")
    client = Client()
    client.force_login(member.user)
    return client


@pytest.mark.parametrize("url", ["/catalog/", "/catalog/p/LJ-1/", "/catalog/?q=LJ"])
def test_dealer_sees_only_their_own_tier_price(
    dealer_client, gold_client, two_tiers, url
):
    """Each dealer sees the price of their own tier, never another tier's."""
    mine = dealer_client.get(url).content.decode()
    theirs = gold_client.get(url).content.decode()

    assert "¥1,111.00" in mine
    assert "¥999.00" not in mine
    assert "¥999.00" in theirs
    assert "¥1,111.00" not in theirs


def test_account_page_lists_only_this_dealers_users(
    in_english, dealer_client, dealer_user, gold_client
):
    """The account page shows this dealer's profile and logins, no other dealer's."""
    DealerUserFactory(
        dealer=dealer_user.dealer,
        user__username="colleague1",
        role=DealerUser.Role.VIEWER,
    )

    html = dealer_client.get("/account/").content.decode()

    assert dealer_user.dealer.code in html
    assert "owner1" in html
    assert "colleague1" in html
    assert "stranger1" not in html
    assert "D-GOLD" not in html
    assert "金牌经销商" not in html
    assert "¥100,000.00" in html  # the credit limit DealerFactory gives


def test_dealer_request_carries_its_dealer(dealer_client, dealer):
    """Every page of a dealer user knows which dealer is asking."""
    response = dealer_client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.dealer == dealer


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_with_a_dealer_row_is_never_a_dealer(client, dealer, two_tiers, flag):
    """A back-office login is sent to the admin even if a dealer row points at it."""
    # given a staff login that somehow also has a dealer-user row
    staff = UserFactory(username="rep1", **{flag: True})
    DealerUserFactory(dealer=dealer, user=staff)
    client.force_login(staff)

    # when it opens the portal home and the catalogue
    home = client.get("/")
    catalog = client.get("/catalog/")

    # then it is treated as staff: no dealer, no dealer prices
    assert home.wsgi_request.dealer is None
    assert home.wsgi_request.dealer_user is None
    if flag == "is_staff":
        assert home.status_code == catalog.status_code == 302
        assert home["Location"] == catalog["Location"] == "/admin/"
    assert "¥1,111.00" not in catalog.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/catalog/", "/catalog/p/LJ-1/", "/catalog/c/TEA/", "/account/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, two_tiers, url):
    """Without logging in, every dealer page asks for the login first."""
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert response.wsgi_request.dealer is None


def test_user_of_an_inactive_dealer_is_logged_out_with_a_message(
    in_english, dealer_client, dealer
):
    """When a dealer is switched off, its users are logged out and told why."""
    dealer.active = False
    dealer.save()

    response = dealer_client.get("/catalog/", follow=True)

    assert response.redirect_chain[-1][0] == "/login/"
    assert NOT_A_DEALER in response.content.decode()
    assert dealer_client.get("/")["Location"] == "/login/?next=/"


def test_login_without_a_dealer_is_logged_out_with_a_message(in_english, client):
    """A plain (non-staff) login that belongs to no dealer cannot use the portal."""
    client.force_login(UserFactory(username="nobody"))

    response = client.get("/", follow=True)

    assert NOT_A_DEALER in response.content.decode()
    assert client.get("/")["Location"] == "/login/?next=/"


def test_owner_adds_a_user_to_their_own_dealer(dealer_client, dealer_user):
    """A user added from the account page joins the owner's dealer."""
    response = dealer_client.post(
        "/account/users/",
        {"username": "newbuyer", "password": "Longjing-2026", "role": "buyer"},
    )

    assert response.status_code == 302
    added = DealerUser.objects.get(user__username="newbuyer")
    assert added.dealer == dealer_user.dealer
    assert "newbuyer" in dealer_client.get("/account/").content.decode()


def test_buyer_cannot_add_users(client, dealer):
    """Only the owner may add users; a buyer's attempt is refused and changes nothing."""
    buyer = DealerUserFactory(dealer=dealer, role=DealerUser.Role.BUYER)
    client.force_login(buyer.user)

    response = client.post(
        "/account/users/",
        {"username": "sneaky", "password": "Longjing-2026", "role": "buyer"},
    )

    assert response.status_code == 403
    assert not DealerUser.objects.filter(user__username="sneaky").exists()
