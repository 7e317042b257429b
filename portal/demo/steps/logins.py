"""The fixed demo logins the README documents (``data.LOGINS``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dealers import groups
from dealers import services as dealer_services
from dealers.models import Dealer, DealerUser
from portal.demo import data
from portal.demo.context import SeedContext

REP_PORTFOLIO = 20  # dealers of EAST-SH the demo rep serves, D00001 included


def seed_logins(ctx: SeedContext) -> None:
    """The fixed demo logins the README documents (see ``data.LOGINS``)."""
    passwords = {login.username: login.password for login in data.LOGINS}
    demo = Dealer.objects.get(code=data.DEMO_DEALER)
    other = Dealer.objects.get(code=data.OTHER_DEALER)
    roles = DealerUser.Role
    for dealer, username, phone, role, language in [
        (demo, "demo", "13800000001", roles.OWNER, "zh-hans"),
        (demo, "demo-buyer", None, roles.BUYER, "zh-hans"),
        (demo, "demo-viewer", None, roles.VIEWER, "zh-hans"),
        (other, "other", "13800000002", roles.OWNER, "en"),
    ]:
        dealer_user, _created = dealer_services.dealer_user_upsert(
            dealer=dealer,
            username=username,
            password=passwords[username],
            phone=phone,
            language=language,
            role=role,
        )
        ctx.users[username] = dealer_user.user

    rep = dealer_services.sales_rep_create(
        username="rep",
        password=passwords["rep"],
        sales_org=ctx.orgs["EAST-SH"],
        first_name="王伟",
    )
    portfolio = list(
        Dealer.objects.filter(sales_org=ctx.orgs["EAST-SH"])
        .order_by("code")
        .values_list("pk", flat=True)[:REP_PORTFOLIO]
    )
    rep.dealers.add(*portfolio)
    manager = dealer_services.sales_rep_create(
        username="manager",
        password=passwords["manager"],
        sales_org=ctx.orgs["EAST"],
        manager=True,
        first_name="李娜",
    )
    user_model = get_user_model()
    marketing = user_model.objects.create_user(
        username="marketing",
        password=passwords["marketing"],
        is_staff=True,
        first_name="陈静",
    )
    marketing.groups.add(Group.objects.get(name=groups.MARKETING))
    admin = user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password=passwords["admin"]
    )
    ctx.users.update(
        rep=rep.user, manager=manager.user, marketing=marketing, admin=admin
    )
    ctx.count("demo logins", len(ctx.users))


def flush_logins() -> None:
    get_user_model().objects.filter(username__in=data.LOGIN_USERNAMES).delete()
