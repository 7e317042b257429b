"""The data the end-to-end tests drive, built in the server's own database.

Run as ``python -m tests.e2e.world`` with ``DATABASE_URL`` pointing at the live
server's SQLite file: it builds the order tests' world (a gold dealer with an owner,
a buyer and a viewer), approves promotions through ``promos.services`` and places one
past order for the reorder flow, then prints what the tests need as JSON.
"""

import json


def _supply(world) -> None:
    """WH-SH is one working day from the dealer; two teas have a production run in
    two weeks, so a big order of either shows two dates."""
    import datetime

    from django.utils import timezone

    from catalog.models import LeadTime, PlannedReceipt, Warehouse

    warehouse = Warehouse.objects.get(code="WH-SH")
    warehouse.name, warehouse.name_en = "上海仓", "Shanghai DC"
    warehouse.save()
    LeadTime.objects.create(warehouse=warehouse, region=world["dealer"].region, days=1)
    for sku in ("TEA-A-01", "TEA-A-02"):
        PlannedReceipt.objects.create(
            external_id=f"MO-E2E-{sku}",
            warehouse=warehouse,
            product=world["products"][sku],
            quantity=2000,
            expected_date=timezone.localdate() + datetime.timedelta(days=14),
        )


def _held_receipt(dealer, order) -> None:
    """D2's receipts wait for the rep (write-off rule "manual"): one shipped order,
    one receipt, nothing matched yet (the office's allocation desk)."""
    import datetime
    from decimal import Decimal

    from dealers.models import Dealer
    from orders import services

    dealer.writeoff_rule = Dealer.WriteOffRule.MANUAL
    dealer.save(update_fields=["writeoff_rule"])
    line = order.lines.first()
    services.shipment_post(
        external_id="E2E-SHIP-D2",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[(line.product.sku, line.quantity, False)],
    )
    services.receipt_post(
        external_id="BANK-E2E-1",
        dealer=dealer,
        amount=Decimal("100.00"),
        date=datetime.date(2026, 12, 1),
    )


def build() -> dict:
    """Build the world and answer logins, codes and the past order's number."""
    from dealers.models import DealerUser
    from tests.dealers.factories import DealerUserFactory
    from tests.e2e import agreement_world
    from tests.orders import factories

    world = factories.build_world()
    layout = DealerUserFactory(
        dealer=world["dealer"], role=DealerUser.Role.BUYER, user__username="layout1"
    )
    pushed = DealerUserFactory(
        dealer=world["dealer"], role=DealerUser.Role.BUYER, user__username="pushed1"
    )
    dates = DealerUserFactory(
        dealer=world["dealer"], role=DealerUser.Role.BUYER, user__username="dates1"
    )
    _supply(world)
    # each named in both languages, as marketing names them
    factories.approve(factories.definition(name_en="Tea A: buy 10, get a gift"))
    factories.approve(factories.percent_definition(name_en="Pu'er C: 5% off from 5"))
    factories.approve(
        factories.addon_definition(name_en="Longjing A: add a Biluochun A for ¥1")
    )
    factories.approve(factories.credit_definition(name_en="Expense support 1%"))
    factories.approve(factories.combo_gift_definition(name_en="Combo gift"))
    combo_users = {
        language: DealerUserFactory(
            dealer=world["dealer"],
            role=DealerUser.Role.BUYER,
            user__username=f"combo-{language}",
        )
        for language in ("zh-hans", "en")
    }
    past = factories.place(world["owner"], [("TEA-A-01", 12), ("TEA-C-01", 6)])
    elsewhere = factories.place(world["other_user"], [("TEA-C-01", 3)])
    _held_receipt(world["other"], elsewhere)
    # the back office: a manager of EAST with a draft to back-test
    from promos import services as promo_services
    from tests.notifications.factories import rep_for

    manager = rep_for(world, "manager1", org="EAST", serves=[], manager=True)
    draft = promo_services.promotion_save(
        data=factories.definition("P-DRAFT", name="草稿 买十赠一")
    )
    return {
        "password": factories.PASSWORD,
        "buyer": world["buyer"].user.username,
        "owner": world["owner"].user.username,
        "viewer": world["viewer"].user.username,
        "layout": layout.user.username,
        "pushed": pushed.user.username,
        "dates": dates.user.username,
        "gift_promotion": "P-GIFT",
        "combo_promotion": "P-COMBO-GIFT",
        "combo_users": {k: u.user.username for k, u in combo_users.items()},
        "past_order": past.number,
        "other_dealers_order": elsewhere.number,
        "other_owner": world["other_user"].user.username,
        "manager": manager.user.username,
        "draft_version": draft.version.pk,
        **agreement_world.build(world),
        **_conversations(world),
    }


def _conversations(world) -> dict:
    """A rep serving D1, and per language a D1 login with a rep's push to reply to
    (each push reaches only its login, so other walks see no new badge)."""
    from dealers.models import DealerUser
    from notifications.models import Campaign, Notification
    from tests.dealers.factories import DealerUserFactory
    from tests.notifications.factories import rep_for

    rep = rep_for(world, "rep-d1", org="EAST-SH", serves=["dealer"])
    rep.user.first_name = "王伟"
    rep.user.save()
    talkers, pushes = {}, {}
    for language in ("zh-hans", "en"):
        talker = DealerUserFactory(
            dealer=world["dealer"],
            role=DealerUser.Role.BUYER,
            user__username=f"talker-{language}",
            language=language,
        )
        campaign = Campaign.objects.create(
            rep=rep,
            created_by=rep.user,
            title_zh=f"本周推荐 {language}：新品茶A",
            title_en=f"This week {language}: new Tea A",
            body_zh="库存充足，三天内发货。",
            body_en="In stock, shipped within three days.",
            status=Campaign.Status.SENT,
            audience={"type": "picked", "dealers": [world["dealer"].pk]},
        )
        Notification.objects.create(
            recipient=talker.user,
            dealer=world["dealer"],
            kind="campaign.message",
            campaign=campaign,
        )
        talkers[language] = talker.user.username
        pushes[language] = campaign.pk
    return {"rep": rep.user.username, "talkers": talkers, "pushes": pushes}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(build()))  # noqa: T201 - read by the test process
