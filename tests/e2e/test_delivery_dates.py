"""Delivery dates on a phone: the cart's two honest dates, a delivery plan in two parts."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_phone_layout import _check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

WORDS = {
    "en": {"arrives": "arrives", "plan": "Plan delivery in parts", "saved": "planned"},
    "zh-hans": {"arrives": "送达", "plan": "安排分批收货", "saved": "计划"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cart_dates_and_a_delivery_plan_on_a_phone(live_portal, phone, shot, language):
    world, page, words = live_portal["world"], phone, WORDS[language]
    # one tea per language: the first run's order holds the other's stock
    sku = {"zh-hans": "TEA-A-01", "en": "TEA-A-02"}[language]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["dates"], world["password"])
    # given: more tea than is on hand (500)
    page.goto(f"/catalog/p/{sku}/")
    page.fill(f"#add-{sku}", "700")
    page.locator("form.add button[type=submit]").click()
    expect(page.locator("#toast")).not_to_be_empty()
    # when
    page.goto("/cart/")
    page.wait_for_load_state("networkidle")
    # then: two parts with two dates for the short line
    parts = page.locator(f"li.line[data-sku={sku}] .eta__part")
    expect(parts).to_have_count(2)
    expect(parts.first).to_contain_text(words["arrives"])
    _check(page, shot, f"{language}-cart-dates")
    if language == "en":
        assert "送达" not in page.content()
    else:
        assert " arrives " not in page.locator("main").inner_text()
    # the order, then its delivery plan in two parts
    page.goto("/checkout/")
    page.locator("form[action='/checkout/place/'] button[type=submit]").click()
    page.wait_for_url("**/orders/SO-*/")
    page.get_by_role("link", name=words["plan"]).click()
    dates = page.locator("input.plan__date")
    quantities = page.locator("input.plan__qty")
    first_date = dates.nth(0).input_value()
    assert first_date  # prefilled with the estimate
    quantities.nth(0).fill("300")
    dates.nth(1).fill(first_date)
    quantities.nth(1).fill("")
    dates.nth(1).fill("2027-06-01")
    quantities.nth(1).fill("400")
    dates.nth(0).fill("2027-05-01")
    _check(page, shot, f"{language}-plan-form")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/orders/SO-*/")
    expect(page.locator(".plan-view li")).to_have_count(2)
    expect(page.locator(".plan-view li").first).to_contain_text(words["saved"])
    _check(page, shot, f"{language}-order-plan")
