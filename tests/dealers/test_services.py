"""Dealer services: the org tree, dealers from the ERP, and dealer logins."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from common.errors import Conflict, Forbidden, InvalidInput
from dealers import selectors, services
from dealers.models import Dealer, DealerUser, SalesOrg
from tests.dealers.factories import (
    DealerFactory,
    DealerUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _org(code: str) -> SalesOrg:
    return SalesOrg.objects.get(code=code)


def _dealer_codes(org_code: str) -> set[str]:
    return set(
        selectors.dealer_list_for_org(org=_org(org_code)).values_list("code", flat=True)
    )


@pytest.fixture
def org_tree(db):
    """HQ → EAST → EAST-SH → EAST-SH-PD, and HQ → SOUTH."""
    services.sales_org_upsert(code="HQ", name="总部", parent=None)
    services.sales_org_upsert(code="EAST", name="华东", parent="HQ")
    services.sales_org_upsert(code="EAST-SH", name="上海", parent="EAST")
    services.sales_org_upsert(code="EAST-SH-PD", name="浦东", parent="EAST-SH")
    services.sales_org_upsert(code="SOUTH", name="华南", parent="HQ")


def test_sales_org_upsert_creates_the_tree(org_tree):
    """New orgs land under the parent named by code."""
    assert _org("EAST-SH-PD").code_path == ("HQ", "EAST", "EAST-SH", "EAST-SH-PD")
    assert _org("SOUTH").code_path == ("HQ", "SOUTH")


def test_sales_org_upsert_reports_created_then_updated(db):
    """The first upsert of a code creates it; the second one replaces it."""
    _org_created, created = services.sales_org_upsert(
        code="HQ", name="总部", parent=None
    )
    _org_again, created_again = services.sales_org_upsert(
        code="HQ", name="总部", parent=None
    )

    assert (created, created_again) == (True, False)
    assert SalesOrg.objects.count() == 1


def test_sales_org_upsert_renames_in_place(org_tree):
    """Sending a known code with a new name renames it without moving it."""
    org, created = services.sales_org_upsert(
        code="EAST", name="华东大区", name_en="East China", parent="HQ"
    )

    assert created is False
    fresh = _org("EAST")
    assert (fresh.name, fresh.name_en) == ("华东大区", "East China")
    assert _org("EAST-SH-PD").code_path == ("HQ", "EAST", "EAST-SH", "EAST-SH-PD")


def test_moving_an_org_takes_its_subtree_and_dealers_along(org_tree):
    """A branch moved to another region brings its sub-branches and their dealers."""
    # given a dealer in a sub-branch of EAST-SH
    DealerFactory(code="D-PD", sales_org=_org("EAST-SH-PD"))
    assert _dealer_codes("EAST") == {"D-PD"}
    assert _dealer_codes("SOUTH") == set()

    # when EAST-SH moves under SOUTH
    services.sales_org_upsert(code="EAST-SH", name="上海", parent="SOUTH")

    # then the sub-branch and its dealer follow
    assert _org("EAST-SH").code_path == ("HQ", "SOUTH", "EAST-SH")
    assert _org("EAST-SH-PD").code_path == ("HQ", "SOUTH", "EAST-SH", "EAST-SH-PD")
    assert _dealer_codes("SOUTH") == {"D-PD"}
    assert _dealer_codes("EAST") == set()
    assert _dealer_codes("HQ") == {"D-PD"}


@pytest.mark.parametrize("new_parent", ["EAST-SH", "EAST-SH-PD"])
def test_moving_an_org_below_itself_is_refused(org_tree, new_parent):
    """An org cannot become its own ancestor; the tree stays as it was."""
    with pytest.raises(Conflict):
        services.sales_org_upsert(code="EAST-SH", name="上海", parent=new_parent)

    assert _org("EAST-SH").code_path == ("HQ", "EAST", "EAST-SH")
    assert _org("EAST-SH-PD").code_path == ("HQ", "EAST", "EAST-SH", "EAST-SH-PD")


def test_sales_org_upsert_with_unknown_parent_is_refused(org_tree):
    """A parent code nobody knows is bad input, and nothing is created."""
    with pytest.raises(InvalidInput):
        services.sales_org_upsert(code="WEST", name="西部", parent="NOPE")

    assert not SalesOrg.objects.filter(code="WEST").exists()


def _dealer_kwargs(**overrides):
    kwargs = {
        "code": "D-1",
        "name": "经销商一",
        "sales_org": "EAST-SH",
        "tier": "gold",
        "region": "east",
        "customer_since": date(2019, 5, 1),
        "credit_limit": Decimal("50000.00"),
    }
    kwargs.update(overrides)
    return kwargs


def test_dealer_upsert_creates_then_updates(org_tree):
    """The ERP sends a dealer once to create it, again to change it."""
    dealer, created = services.dealer_upsert(**_dealer_kwargs())
    again, created_again = services.dealer_upsert(
        **_dealer_kwargs(sales_org="SOUTH", credit_limit=Decimal("80000.00"))
    )

    assert (created, created_again) == (True, False)
    assert again.pk == dealer.pk
    dealer.refresh_from_db()
    assert dealer.sales_org.code == "SOUTH"
    assert dealer.credit_limit == Decimal("80000.00")
    assert dealer.tier.code == "gold"


def test_dealer_upsert_with_unknown_sales_org_is_refused(org_tree):
    """A dealer cannot be attached to an org that does not exist."""
    with pytest.raises(InvalidInput):
        services.dealer_upsert(**_dealer_kwargs(sales_org="NOPE"))

    assert not Dealer.objects.exists()


def test_dealer_upsert_with_negative_credit_limit_is_refused(org_tree):
    """A negative credit limit gets a clear message instead of a database error."""
    with pytest.raises(InvalidInput):
        services.dealer_upsert(**_dealer_kwargs(credit_limit=Decimal("-1.00")))

    assert not Dealer.objects.exists()


def test_dealer_user_upsert_creates_a_login_that_can_log_in(dealer):
    """A new login gets the password it was given."""
    dealer_user, created = services.dealer_user_upsert(
        dealer=dealer, username="newbie", password="s3cret-pass", phone="13900000000"
    )

    assert created is True
    assert dealer_user.dealer == dealer
    assert dealer_user.user.check_password("s3cret-pass")
    assert dealer_user.phone == "13900000000"


def test_dealer_user_upsert_refuses_a_username_of_another_dealer(dealer_user):
    """A login of one dealer can never be taken over by another dealer."""
    other = DealerFactory()

    with pytest.raises(Conflict):
        services.dealer_user_upsert(
            dealer=other, username=dealer_user.user.username, password="x-pass-12"
        )

    dealer_user.refresh_from_db()
    assert dealer_user.dealer_id != other.pk
    assert not dealer_user.user.check_password("x-pass-12")


def test_dealer_user_upsert_refuses_a_staff_username(dealer):
    """A staff login can never be turned into a dealer login."""
    staff = UserFactory(username="rep1", is_staff=True)

    with pytest.raises(Conflict):
        services.dealer_user_upsert(dealer=dealer, username="rep1", password="x")

    assert not DealerUser.objects.filter(user=staff).exists()


def test_dealer_user_upsert_refuses_a_plain_user_without_a_dealer(dealer):
    """An existing non-dealer account is not silently attached to a dealer."""
    UserFactory(username="someone")

    with pytest.raises(Conflict):
        services.dealer_user_upsert(dealer=dealer, username="someone")


def test_dealer_user_upsert_refuses_a_phone_in_use(dealer_user):
    """Phone numbers log in, so one number cannot be given to two logins."""
    dealer_user.phone = "13800000000"
    dealer_user.save()

    with pytest.raises(Conflict):
        services.dealer_user_upsert(
            dealer=dealer_user.dealer, username="second", phone="13800000000"
        )

    assert not get_user_model().objects.filter(username="second").exists()


@pytest.mark.parametrize("role", [DealerUser.Role.BUYER, DealerUser.Role.VIEWER])
def test_owner_adds_a_buyer_or_viewer_to_their_own_dealer(dealer_user, role):
    """An owner can give a colleague a login with a buyer or viewer role."""
    added = services.dealer_user_add(
        by=dealer_user, username="colleague", password="good-pass-1", role=role
    )

    assert added.dealer == dealer_user.dealer
    assert added.role == role
    assert added.user.check_password("good-pass-1")


def test_buyer_cannot_add_users(dealer):
    """Only the owner manages a dealer's logins."""
    buyer = DealerUserFactory(dealer=dealer, role=DealerUser.Role.BUYER)

    with pytest.raises(Forbidden):
        services.dealer_user_add(
            by=buyer, username="colleague", password="good-pass-1", role="viewer"
        )

    assert not get_user_model().objects.filter(username="colleague").exists()


def test_owner_cannot_create_another_owner(dealer_user):
    """New logins are buyers or viewers; ownership is not handed out in the portal."""
    with pytest.raises(InvalidInput):
        services.dealer_user_add(
            by=dealer_user,
            username="colleague",
            password="good-pass-1",
            role=DealerUser.Role.OWNER,
        )

    assert not get_user_model().objects.filter(username="colleague").exists()


def test_owner_cannot_add_a_username_already_taken(dealer_user):
    """Adding a user whose name exists (even in the same dealer) is refused."""
    DealerUserFactory(dealer=dealer_user.dealer, user__username="taken")

    with pytest.raises(Conflict):
        services.dealer_user_add(
            by=dealer_user, username="taken", password="good-pass-1", role="buyer"
        )


def test_language_choice_is_remembered(dealer_user):
    """The language a dealer user reads is stored for pushes and the bot."""
    services.dealer_user_set_language(dealer_user=dealer_user, language="en")

    dealer_user.refresh_from_db()
    assert dealer_user.language == "en"


@pytest.mark.parametrize("typed", ["138 0000 0001", "+86 138-0000-0001", "13800000001"])
def test_a_phone_is_stored_in_one_form_whatever_its_spelling(typed):
    """ "138 0000 0001", "+86 138-0000-0001" and "13800000001" are one number: stored
    as "13800000001", so a second login cannot take it in another spelling."""
    dealer = DealerFactory()
    dealer_user, _created = services.dealer_user_upsert(
        dealer=dealer, username="first", phone=typed
    )
    assert dealer_user.phone == "13800000001"
    with pytest.raises(Conflict):
        services.dealer_user_upsert(
            dealer=dealer, username="second", phone="+8613800000001"
        )


def test_a_phone_that_is_no_number_is_refused():
    with pytest.raises(InvalidInput) as refused:
        services.dealer_user_upsert(dealer=DealerFactory(), username="x", phone="12345")
    assert refused.value.code == "invalid_phone"


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_existing_phones_in_one_form():
    """Rows written before: a +86 spelling becomes the national digits; an invalid
    number and a spelling of a number another row already holds are left alone."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("dealers", "0004_merge_0003_h13b_verbose_names_0003_h21_invoices")]
    after = [("dealers", "0005_normalise_phones")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("auth", "User")
    DealerUser = apps.get_model("dealers", "DealerUser")
    dealer = DealerFactory()
    rows = {}
    for n, phone in enumerate(
        ["138 0000 0001", "+86 139-0000-0002", "12345", "13800000001", None]
    ):
        user = User.objects.create(username=f"u{n}")
        rows[phone] = DealerUser.objects.create(
            user=user, dealer_id=dealer.pk, phone=phone, role="viewer"
        ).pk
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    stored = dict(
        DealerUser.objects.filter(pk__in=rows.values()).values_list("pk", "phone")
    )
    assert stored[rows["+86 139-0000-0002"]] == "13900000002"
    assert stored[rows["12345"]] == "12345"  # no number: left as it was
    # "138 0000 0001" is the number another row already holds: both stay
    assert stored[rows["138 0000 0001"]] == "138 0000 0001"
    assert stored[rows["13800000001"]] == "13800000001"
    assert stored[rows[None]] is None
    MigrationExecutor(connection).migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
