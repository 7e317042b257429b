"""The dealer's owner manages its logins: changes a role, switches a login off and
on again; never its own login, never the last active owner; every change recorded;
nobody else can, and another dealer's logins are out of reach."""

from django.test import Client

from dealers.models import DealerUser, DealerUserChange
from tests.orders.factories import PASSWORD
from tests.portal.conftest import html


def _change(client, target, **data):
    return client.post(f"/account/users/{target.pk}/", data, follow=True)


def test_the_owner_changes_a_role_and_switches_a_login_off_and_on(world, owner_client):
    viewer = world["viewer"]
    page = html(_change(owner_client, viewer, role="buyer"))
    assert "is now Buyer" in page
    viewer.refresh_from_db()
    assert viewer.role == DealerUser.Role.BUYER

    html(_change(owner_client, viewer, active="0"))
    viewer.user.refresh_from_db()
    assert viewer.user.is_active is False
    refused = Client()
    refused.post("/login/", {"username": viewer.user.username, "password": PASSWORD})
    assert "_auth_user_id" not in refused.session
    assert "Switched off" in html(owner_client.get("/account/"))

    html(_change(owner_client, viewer, active="1"))
    viewer.user.refresh_from_db()
    assert viewer.user.is_active is True
    kinds = list(
        DealerUserChange.objects.filter(dealer_user=viewer)
        .order_by("pk")
        .values_list("kind", "before", "after")
    )
    assert kinds == [
        ("role", "viewer", "buyer"),
        ("deactivated", "", ""),
        ("reactivated", "", ""),
    ]
    assert DealerUserChange.objects.filter(by=world["owner"].user).count() == 3


def test_not_your_own_login_and_never_the_last_owner(world, owner_client):
    own = html(_change(owner_client, world["owner"], role="viewer"))
    assert "You cannot change your own login here." in own
    world["buyer"].role = DealerUser.Role.OWNER
    world["buyer"].save()
    # two owners: one may go, then the remaining one is the last
    html(_change(owner_client, world["buyer"], role="viewer"))
    world["buyer"].refresh_from_db()
    assert world["buyer"].role == DealerUser.Role.VIEWER
    world["owner"].refresh_from_db()
    assert world["owner"].role == DealerUser.Role.OWNER
    assert not DealerUserChange.objects.filter(dealer_user=world["owner"]).exists()


def test_only_the_owner_and_only_its_own_dealers_logins(
    world, buyer_client, viewer_client, owner_client
):
    for client in (buyer_client, viewer_client):
        assert (
            client.post(
                f"/account/users/{world['viewer'].pk}/", {"role": "owner"}
            ).status_code
            == 403
        )
    elsewhere = owner_client.post(
        f"/account/users/{world['other_user'].pk}/", {"active": "0"}
    )
    assert elsewhere.status_code == 404
    world["other_user"].user.refresh_from_db()
    assert world["other_user"].user.is_active is True
    assert not DealerUserChange.objects.exists()
