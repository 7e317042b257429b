"""Account: profile, role, credit, the dealer's users, language, password."""

from decimal import Decimal

from dealers.models import DealerUser
from orders.models import AccountMovement
from tests.portal.conftest import html


def test_account_shows_profile_role_and_credit(world, buyer_client):
    AccountMovement.objects.create(
        dealer=world["dealer"],
        account=AccountMovement.Account.EXPENSE_CREDIT,
        kind=AccountMovement.Kind.EARNED,
        amount=Decimal("12.50"),
    )
    page = html(buyer_client.get("/account/"))
    assert "上海茶行" in page
    assert "buyer1" in page
    assert 'class="badge badge--info">Buyer' in page
    assert "You can browse and order." in page
    assert "¥200,000.00" in page
    assert "¥12.50" in page
    assert 'href="/account/password/"' in page
    assert 'name="language" value="zh-hans"' in page


def test_only_the_owner_sees_and_uses_add_user(world, owner_client, buyer_client):
    assert "Add a user" not in html(buyer_client.get("/account/"))
    assert "Add a user" in html(owner_client.get("/account/"))
    response = owner_client.post(
        "/account/users/",
        {"username": "viewer9", "password": "a-long-pass-1", "role": "viewer"},
    )
    assert response["Location"] == "/account/"
    assert DealerUser.objects.get(user__username="viewer9").role == "viewer"
    denied = buyer_client.post(
        "/account/users/",
        {"username": "viewer8", "password": "a-long-pass-1", "role": "viewer"},
    )
    assert denied.status_code == 403
    assert not DealerUser.objects.filter(user__username="viewer8").exists()


def test_viewer_reads_what_their_role_allows(world, viewer_client):
    page = html(viewer_client.get("/account/"))
    assert "but not order" in page
