"""Run inside the topology's database (``python -m tests.topology.world CMD``): build
the world, start a campaign, count what was delivered. Prints one JSON line."""

import json
import sys


def build(dealers: int) -> dict:
    from django.contrib.auth import get_user_model

    from api import services as api_services
    from dealers.models import Dealer, DealerUser, SalesOrg
    from notifications.telegram.models import TelegramLink
    from tests.notifications.factories import PASSWORD, approve_gift, rep_for
    from tests.orders.factories import build_world

    world = build_world()
    owner = world["owner"]
    owner.language = "en"
    owner.save(update_fields=["language"])
    approve_gift()
    _key, raw = api_services.api_key_create(name="topology")
    rep_for(world, "topo-manager", org="HQ", serves=[], manager=True)
    hq = SalesOrg.objects.get(code="HQ")
    topo = hq.add_child(code="TOPO", name="topology")
    template = world["dealer"]
    rows = Dealer.objects.bulk_create(
        [
            Dealer(
                code=f"T{n:05d}",
                name=f"经销商 {n}",
                sales_org=topo,
                tier=template.tier,
                region=template.region,
                customer_since=template.customer_since,
            )
            for n in range(dealers)
        ],
        batch_size=2000,
    )
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"topo{n}", password="!") for n in range(dealers)],
        batch_size=2000,
    )
    DealerUser.objects.bulk_create(
        [
            DealerUser(user=user, dealer=dealer, language="en")
            for user, dealer in zip(users, rows, strict=True)
        ],
        batch_size=2000,
    )
    TelegramLink.objects.bulk_create(
        [TelegramLink(user=user, chat_id=500_000 + n) for n, user in enumerate(users)],
        batch_size=2000,
    )
    return {
        "password": PASSWORD,
        "owner": owner.user.username,
        "owner_id": owner.user.pk,
        "dealer": world["dealer"].code,
        "api_key": raw,
    }


def campaign(title: str) -> dict:
    from django.contrib.auth import get_user_model

    from notifications import services

    manager = get_user_model().objects.get(username="topo-manager")
    made = services.campaign_create(
        user=manager,
        audience={"type": "segment", "org": "TOPO"},
        title_en=title,
        body_en="A topology campaign.",
        order_now=False,
    )
    return {"campaign": made.pk}


def counts(campaign_id: int) -> dict:
    from django.db.models import Count

    from notifications.models import Campaign, Delivery, Notification

    made = Campaign.objects.get(pk=campaign_id)
    notifications = Notification.objects.filter(campaign_id=campaign_id)
    by = (
        Delivery.objects.filter(notification__campaign_id=campaign_id)
        .values("channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "status": made.status,
        "dealers_done": made.dealers_done,
        "notifications": notifications.count(),
        "recipients": notifications.values("recipient_id").distinct().count(),
        "deliveries": {f"{row['channel']}:{row['status']}": row["n"] for row in by},
    }


if __name__ == "__main__":
    import django

    django.setup()
    command, *rest = sys.argv[1:]
    if command == "build":
        result = build(int(rest[0]))
    elif command == "campaign":
        result = campaign(rest[0])
    else:
        result = counts(int(rest[0]))
    print(json.dumps(result))  # noqa: T201 - read by the test process
