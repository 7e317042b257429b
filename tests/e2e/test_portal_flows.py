"""A dealer on a phone, in a real browser, against the live ASGI server."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

# django_db: pytest-django then creates the test database whose schema the server copies.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def _orders_placed_by(database, username: str) -> list[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT o.number FROM orders_order o JOIN auth_user u ON u.id = o.placed_by_id"
            " WHERE u.username = ?",
            (username,),
        ).fetchall()
    return [number for (number,) in rows]


def test_buy_gift_promotion_to_one_order(live_portal, phone, shot):
    """Log in → a buy-gift promotion → 8 units show the hint → +2 earns the gift →
    the other gift option → submit twice quickly → one order showing that gift."""
    world, page = live_portal["world"], phone
    login(page, world["buyer"], world["password"])
    shot(page, "home")

    # open the buy-gift promotion from the list
    page.goto("/promotions/")
    shot(page, "promotions")
    page.click(f"a.offer[href='/promotions/{world['gift_promotion']}/']")
    expect(page.locator("#promo-progress")).to_be_visible()
    shot(page, "promotion")

    # add 8 units: the hint asks for 2 more
    page.fill("#add-TEA-A-01", "8")
    page.locator("form.add:has(#add-TEA-A-01) button[type=submit]").click()
    hint = page.locator("#promo-progress [data-testid=hint]")
    expect(hint).to_contain_text("2 more")
    expect(page.locator("#cart-badge")).to_have_text("1")
    shot(page, "hint-after-8")

    # one tap on "+2": the gift is earned
    page.locator("#promo-progress form button.btn--accent").click()
    gift = page.locator("#promo-progress [data-testid=gift-now]")
    expect(gift).to_contain_text("Tea cup × 1")
    expect(page.locator("#cart-summary")).to_contain_text("1 gift earned")
    shot(page, "gift-earned")

    # in the cart, pick the other gift option
    page.locator("#cart-summary a.btn--primary").click()
    page.wait_for_url("**/cart/")
    expect(page.locator("#cart-gifts [data-testid=gift-now]")).to_contain_text(
        "Tea cup"
    )
    page.locator("#cart-gifts button.gift-option", has_text="Canvas bag").click()
    expect(page.locator("#cart-gifts [data-testid=gift-now]")).to_contain_text(
        "Canvas bag × 2"
    )
    expect(
        page.locator("#cart-gifts button.gift-option[aria-pressed=true]")
    ).to_contain_text("Canvas bag")
    shot(page, "cart-other-gift")

    # checkout: review, a delivery note, then two quick taps on submit
    page.locator("#cart-summary a.btn--primary").click()
    page.wait_for_url("**/checkout/")
    expect(page.locator("[data-testid=checkout-total]")).to_have_text("¥1,100.00")
    page.fill("textarea[name=note]", "Back gate, after 2 pm")
    shot(page, "checkout")
    form = {
        name: page.input_value(f"input[name={name}]")
        for name in ("csrfmiddlewaretoken", "idempotency_key", "expected_total", "seen")
    }
    form["note"] = "Back gate, after 2 pm"
    page.locator("#checkout button[type=submit]").dblclick()
    page.wait_for_url(re.compile(r"/orders/SO-\d+/$"))

    # a retry of the same form (a lost response, a second tap) finds the same order
    again = page.request.post(
        "/checkout/place/",
        form=form,
        headers={"Referer": page.url},
    )
    assert again.ok
    assert again.url == page.url

    placed = _orders_placed_by(live_portal["database"], world["buyer"])
    assert len(placed) == 1
    assert page.url.endswith(f"/orders/{placed[0]}/")
    gifts = page.locator("[data-testid=order-gift]")
    expect(gifts).to_have_count(1)
    expect(gifts).to_contain_text("Canvas bag")
    expect(gifts).to_contain_text("× 2")
    expect(page.locator("#cart-badge")).to_be_hidden()
    shot(page, "order")


def test_quick_order_by_paste_and_reorder(live_portal, phone, shot):
    """Paste SKU lines (a bad one is named, nothing added), fix, land in the cart;
    then reorder a past order on top."""
    world, page = live_portal["world"], phone
    login(page, world["owner"], world["password"])

    page.goto("/cart/quick/")
    page.fill("textarea[name=text]", "TEA-A-02 3\nNOPE-1 2")
    page.click("form button[type=submit]")
    errors = page.locator(".paste-errors li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("Line 2")
    expect(errors).to_contain_text("NOPE-1")
    shot(page, "paste-error")

    page.fill("textarea[name=text]", "TEA-A-02 3\ntea-c-01\t5")
    page.click("form button[type=submit]")
    page.wait_for_url("**/cart/")
    expect(page.locator("#qty-TEA-A-02")).to_have_value("3")
    expect(page.locator("#qty-TEA-C-01")).to_have_value("5")
    shot(page, "pasted-cart")

    # the stepper re-quotes in place
    page.locator("li[data-sku=TEA-A-02] button[value='1']").click()
    expect(page.locator("#qty-TEA-A-02")).to_have_value("4")

    page.goto("/orders/")
    shot(page, "orders")
    page.click(f"a[href='/orders/{world['past_order']}/']")
    expect(page.locator("[data-testid=order-status]")).to_be_visible()
    shot(page, "past-order")
    page.click("text=Order these again")
    page.wait_for_url("**/cart/")
    expect(page.locator(".messages")).to_contain_text(world["past_order"])
    expect(page.locator("#qty-TEA-A-01")).to_have_value("12")
    expect(page.locator("#qty-TEA-C-01")).to_have_value("11")
    expect(page.locator("#qty-TEA-A-02")).to_have_value("4")
    shot(page, "reordered-cart")


def test_order_now_from_a_push_fills_the_cart(live_portal, phone, shot):
    """A push's "order now" opens the promotion with ?add=1: the page itself puts what
    earns the gift in the cart and says so; opening it again adds nothing more."""
    world, page = live_portal["world"], phone
    login(page, world["pushed"], world["password"])
    page.goto(f"/promotions/{world['gift_promotion']}/?add=1")
    expect(page.locator("[data-testid=order-now-added]")).to_be_visible()
    expect(page.locator("#order-now")).to_contain_text("× 10")
    expect(page.locator("#promo-progress [data-testid=gift-now]")).to_be_visible()
    shot(page, "order-now")

    page.goto(f"/promotions/{world['gift_promotion']}/?add=1")
    expect(page.locator("#order-now")).to_contain_text("already earns")
    with sqlite3.connect(live_portal["database"]) as db:
        rows = db.execute(
            "SELECT p.sku, i.quantity FROM orders_cartitem i"
            " JOIN orders_cart c ON c.id = i.cart_id"
            " JOIN auth_user u ON u.id = c.user_id"
            " JOIN catalog_product p ON p.id = i.product_id WHERE u.username = ?",
            (world["pushed"],),
        ).fetchall()
    assert rows == [("TEA-A-02", 10)]  # Tea A's cheapest product in stock


def _cart_of(database, username: str) -> list[tuple[str, int]]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT p.sku, i.quantity FROM orders_cartitem i"
            " JOIN orders_cart c ON c.id = i.cart_id"
            " JOIN auth_user u ON u.id = c.user_id"
            " JOIN catalog_product p ON p.id = i.product_id WHERE u.username = ?"
            " ORDER BY p.sku",
            (username,),
        ).fetchall()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_order_now_on_a_combo_adds_each_component_once_with_undo(
    live_portal, browser, shot, language
):
    """Order now on a combo (3 Longjing A + 2 Pu'er C) at 375 px: exactly each
    component's minimum, shown with an undo; the undo takes it back; a reload fills
    once again and the next reload adds nothing."""
    world = live_portal["world"]
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_portal["url"],
        locale="zh-CN" if language == "zh-hans" else "en-US",
    )
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    user = world["combo_users"][language]
    try:
        login(page, user, world["password"])
        url = f"/promotions/{world['combo_promotion']}/?add=1"
        page.goto(url)
        added = page.locator("[data-testid=order-now-added]")
        expect(added).to_be_visible()
        expect(page.locator("#order-now")).to_contain_text("× 3")
        expect(page.locator("#order-now")).to_contain_text("× 2")
        assert _cart_of(live_portal["database"], user) == [
            ("TEA-A-01", 3),
            ("TEA-C-01", 2),
        ]
        undo = page.locator("[data-testid=order-now-undo]")
        expect(undo).to_be_visible()
        box = undo.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
        assert box["height"] >= 44
        shot(page, f"combo-order-now-{language}")

        undo.click()
        expect(page.locator("#toast")).not_to_be_empty()
        expect(undo).to_have_count(0)
        shot(page, f"combo-undone-{language}", full_page=False)
        assert _cart_of(live_portal["database"], user) == []

        page.goto(url)
        expect(added).to_be_visible()
        page.goto(url)
        expect(page.locator("#order-now")).not_to_contain_text("× 6")
        assert _cart_of(live_portal["database"], user) == [
            ("TEA-A-01", 3),
            ("TEA-C-01", 2),
        ]
    finally:
        context.close()
