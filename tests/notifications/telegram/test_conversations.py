"""End-to-end conversations through the running Application: promotions, orders,
tracking, money, and the draft order with a gift choice."""

import datetime

import pytest

from orders import services as order_services
from orders.models import Order
from tests.orders.factories import approve, definition, place


@pytest.fixture
def gift_promo(world):
    return approve(definition())


def test_promos_lists_eligible_promotions_in_plain_words(linked, gift_promo):
    chat = linked()
    said = chat.send("/promos")
    assert "新品茶A 买十赠一" in said
    assert "p:P-GIFT" in chat.fake.buttons()

    detail = chat.press("p:P-GIFT")
    assert "Buy 10" in detail
    assert "po:P-GIFT" in chat.fake.buttons()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("en", "Tea A: buy 10", "新品茶A"), ("zh-hans", "新品茶A", "Tea A: buy 10")],
)
def test_the_bot_names_a_promotion_in_the_dealer_language(
    linked, world, language, shown, hidden
):
    approve(definition(name_en="Tea A: buy 10, get a cup"))
    chat = linked(language=language)
    for said in (chat.send("/promos"), chat.press("p:P-GIFT")):
        assert shown in said
        assert hidden not in said


def test_promotion_of_another_org_is_refused(linked, world, gift_promo):
    """A forged p:/po: button for a promotion the dealer cannot get shows nothing."""
    approve(definition("P-SOUTH", audience={"tiers": ["silver"]}))
    chat = linked()
    assert "not available to you" in chat.press("p:P-SOUTH")
    assert "not available to you" in chat.press("po:P-NOPE")


def test_order_with_gift_choice_confirmed_twice_is_one_order(linked, world, gift_promo):
    """Promotion → order this (the draft comes pre-filled with what earns the gift)
    → pick the bags → confirm, twice: one order."""
    chat = linked()
    chat.send("/promos")
    said = chat.press("po:P-GIFT")
    assert "TEA-A-02" in said  # the cheapest qualifying tea in stock (as the portal)
    assert "× 10" in said
    assert "Gift: Tea cup × 1" in said
    assert "dg:P-GIFT:1" in chat.fake.buttons()

    said = chat.press("dg:P-GIFT:1")
    assert "Gift: Canvas bag × 2" in said
    confirm = next(b for b in chat.fake.buttons() if b.startswith("dc:"))

    first = chat.press(confirm)
    second = chat.press(confirm)

    orders = Order.objects.filter(dealer=world["dealer"])
    assert orders.count() == 1
    order = orders.get()
    assert order.source == Order.Source.BOT
    assert order.number in first
    assert "already placed" in second
    assert order.number in second
    gifts = {line.sku: line.quantity for line in order.lines.filter(is_gift=True)}
    assert gifts == {"GIFT-BAG": 2}


def test_typed_sku_quantity_lines_fill_the_draft(linked, world):
    chat = linked()
    said = chat.send("TEA-A-01 3\nTEA-C-01 x 2")
    assert "TEA-A-01" in said
    assert "× 3" in said
    assert "TEA-C-01" in said
    assert "× 2" in said
    said = chat.send("TEA-A-01 2")
    assert "× 5" in said


def test_unknown_sku_is_a_sentence(linked):
    chat = linked()
    assert "There is no product NOPE-1 to order." in chat.send("NOPE-1 4")


def test_product_name_search_offers_add_buttons(linked):
    chat = linked()
    said = chat.send("Longjing")
    assert "TEA-A-01" in said
    assert "da:TEA-A-01:1" in chat.fake.buttons()


def test_viewer_cannot_order(linked, world):
    chat = linked("viewer")
    assert "browse but not order" in chat.send("/order")
    assert "browse but not order" in chat.send("TEA-A-01 10")
    assert "browse but not order" in chat.press("da:TEA-A-01:1")
    assert not Order.objects.exists()


def test_reorder_fills_the_draft_with_the_last_order(linked, world):
    place(world["buyer"], [("TEA-C-01", 4)])
    chat = linked()
    chat.send("/order")
    said = chat.press("dr")
    assert "TEA-C-01" in said
    assert "× 4" in said


def test_orders_and_track(linked, world):
    order = place(world["buyer"], [("TEA-A-01", 2)])
    order_services.shipment_post(
        external_id="SHIP-1",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 1, False)],
        carrier="SF",
        tracking_no="SF123",
    )
    chat = linked()
    said = chat.send("/orders")
    assert order.number in said
    assert f"t:{order.number}" in chat.fake.buttons()

    said = chat.send(f"/track {order.number}")
    assert "1 of 2 shipped" in said
    assert "SF123" in said
    assert "1 of 2 shipped" in chat.press(f"t:{order.number}")


def test_forged_track_button_for_another_dealers_order_is_refused(linked, world):
    """Callback data naming another dealer's order reaches nothing of it."""
    theirs = place(world["other_user"], [("TEA-C-01", 1)])
    chat = linked()
    said = chat.press(f"t:{theirs.number}")
    assert "No order with that number" in said
    assert theirs.number not in said.replace(f"t:{theirs.number}", "")
    assert "No order with that number" in chat.send(f"/track {theirs.number}")


def test_forged_confirm_of_another_users_draft_is_refused(linked, world):
    other = linked("owner")
    other.send("TEA-A-01 1")
    confirm = next(b for b in other.fake.buttons() if b.startswith("dc:"))
    chat = linked("buyer")
    assert "not yours" in chat.press(confirm)
    assert not Order.objects.exists()


def test_garbage_callback_data_is_answered(linked):
    chat = linked()
    assert "no longer valid" in chat.press("zz:1:2:3")
    assert "no longer valid" in chat.press("da:TEA-A-01:99999")


def test_balance_and_statement(linked, world):
    chat = linked()
    said = chat.send("/balance")
    assert "Credit limit: ¥200,000.00" in said
    assert "Available credit" in said
    said = chat.send("/statement")
    assert "Opening balance" in said
    assert "Closing balance" in said
    assert datetime.date.today().replace(day=1).isoformat() in said


def test_statement_shows_invoices_and_each_order(linked, world):
    """The bot's statement lists an invoice (no money moves) and each order billed,
    invoiced, paid and open, as the portal's statement does."""
    from decimal import Decimal

    from catalog.models import Warehouse
    from orders.models import Receivable

    Warehouse.objects.get_or_create(code="SH", defaults={"name": "上海仓"})
    order = place(world["owner"], [("TEA-A-01", 10)])
    order_services.shipment_post(
        external_id="E-BOT",
        order_number=order.number,
        warehouse="SH",
        lines=[("TEA-A-01", 10, False)],
    )
    receivable = Receivable.objects.get(order=order)
    order_services.invoice_record(
        external_id="INV-BOT",
        dealer=order.dealer,
        number="No.88",
        kind="vat_normal",
        date=datetime.date.today(),
        amount=Decimal("600.00"),
        tax_amount=Decimal("69.03"),
        receivables=[(receivable.number, Decimal("600.00"))],
    )
    said = linked().send("/statement")
    assert "Invoice No.88 ¥600.00" in said
    assert f"{order.number}: billed ¥1,100.00 · invoiced ¥600.00 · paid" in said


def test_chinese_user_reads_chinese(linked, gift_promo):
    chat = linked(language="zh-hans")
    said = chat.send("/balance")
    assert "信用额度" in said


def test_order_now_of_a_push_opens_the_prefilled_draft(linked, world, gift_promo):
    """The pushed recommendation's "order now" button carries the promotion; pressing
    it adds what earns it to what the draft already holds, with the live quote."""
    from notifications import channels
    from notifications.telegram.channel import TelegramChannel

    push = channels.Message(
        delivery_id=1,
        notification_id=1,
        user_id=world["buyer"].pk,
        dealer_id=world["dealer"].pk,
        address="1",
        language="en",
        kind="recommendation",
        critical=False,
        title="Buy 10 get a cup",
        body="",
        action_label="Order now",
        data={"promotion": "P-GIFT"},
    )
    markup = TelegramChannel()._markup(push)
    button = markup.inline_keyboard[0][0]
    assert (button.text, button.callback_data) == ("Order now", "po:P-GIFT")

    chat = linked()
    chat.send("TEA-A-01 4")
    said = chat.press(button.callback_data)
    assert "TEA-A-01" in said
    assert "× 10" in said  # 4 already there, 6 added: the gift's threshold
    assert "Gift: Tea cup × 1" in said


def test_order_now_for_a_viewer_is_refused(linked, gift_promo):
    chat = linked("viewer")
    assert "browse but not order" in chat.press("po:P-GIFT")
    assert not Order.objects.exists()


def test_agreement_shows_targets_and_the_next_tier(linked, world):
    """/agreement: the agreement, each target with its progress, the next tier."""
    from contracts import services as contract_services
    from tests.contracts.fixtures import agreement_body

    chat = linked()
    assert "no agreement yet" in chat.send("/agreement")
    body = agreement_body(dealer=world["dealer"].code)
    contract_services.agreement_save(code="A-BOT", data=body)
    contract_services.agreement_submit(code="A-BOT")
    contract_services.agreement_approve(code="A-BOT")
    said = chat.send("/agreement")
    assert "Agreement A-BOT" in said
    assert "¥0.00 / ¥10,000.00 (0.00%)" in said
    assert "¥8,000.00 more shipped in" in said


def test_the_bot_and_the_portal_share_one_cart(linked, world):
    """Lines typed in the chat (full-width too) are in the portal's cart, and lines
    added on the portal are in the chat's draft: one cart, one service."""
    from orders import selectors as order_selectors

    chat = linked()
    said = chat.send("ＴＥＡ－Ａ－０１　３")  # a Chinese keyboard's full-width input
    assert "TEA-A-01" in said
    assert "× 3" in said
    buyer = world["buyer"]
    assert dict(order_selectors.cart_lines(dealer_user=buyer)) == {"TEA-A-01": 3}
    order_services.cart_add(dealer_user=buyer, sku="TEA-C-01", quantity=2)
    said = chat.send("/order")
    assert "TEA-C-01" in said
    assert "× 2" in said


def test_reorder_in_the_chat_reports_what_cannot_be_ordered(linked, world):
    """The portal's rule: a reorder says which lines it could not add."""
    place(world["buyer"], [("TEA-C-01", 4), ("TEA-A-02", 1)])
    world["products"]["TEA-A-02"].active = False
    world["products"]["TEA-A-02"].save()
    chat = linked()
    said = chat.press("dr")
    assert "× 4" in said
    assert "TEA-A-02 can no longer be ordered" in said


def test_a_gift_of_a_promotion_the_dealer_cannot_get_is_refused(linked, world):
    """The stricter rule on every channel: a forged gift button for another tier's
    promotion changes nothing."""
    approve(definition("P-SILVER", audience={"tiers": ["silver"]}))
    chat = linked()
    chat.send("TEA-A-01 10")
    assert "not running" in chat.press("dg:P-SILVER:1")
    assert order_services.cart_quote(dealer_user=world["buyer"]).cart.gift_choices == {}
