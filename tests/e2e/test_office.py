"""The back office on a phone (375 px): evaluation, org roll-up, abuse guard, a
back-test of a draft and the allocation desk, for a sales manager, in both languages."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_phone_layout import _check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_office_pages_fit_a_phone(live_portal, phone, shot, language):
    world, page = live_portal["world"], phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["manager"], world["password"])
    pages = [
        ("evaluation", "/office/evaluation/"),
        ("evaluation-promotion", f"/office/evaluation/{world['gift_promotion']}/"),
        ("orgs", "/office/orgs/"),
        ("abuse", f"/office/abuse/promotions/{world['gift_promotion']}/"),
        ("backtests", "/office/backtests/"),
        ("allocations", "/office/allocations/"),
        ("allocation-desk", "/office/allocations/D2/"),
    ]
    for name, url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1, h2").first.is_visible(), name
        _check(page, shot, f"{language}-office-{name}")
    # the burn chart is drawn on the server: an SVG, no script needed
    page.goto(f"/office/evaluation/{world['gift_promotion']}/")
    expect(page.locator("svg").first).to_be_visible()


def test_a_manager_starts_a_backtest_and_sees_its_progress(live_portal, phone, shot):
    world, page = live_portal["world"], phone
    login(page, world["manager"], world["password"])
    page.goto(f"/office/backtests/versions/{world['draft_version']}/")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/office/backtests/*/")
    # the server runs no worker here: the run waits, and the page says so
    expect(page.locator("body")).to_contain_text("P-DRAFT")
    _check(page, shot, "office-backtest-run")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_payment_plan_set_on_the_phone_shows_on_the_dealers_order(
    live_portal, phone, shot, language
):
    """At 375 px: the manager fills in two instalments (30 % on order, 70 % on
    delivery + 30 days) and saves; the dealer's order page lists them with amounts."""
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    number = world["past_order"]
    login(page, world["manager"], world["password"])
    page.goto(f"/office/orders/{number}/payment-plan/")
    page.fill("#id_step-0-percent", "30")
    page.select_option("#id_step-0-due", "order")
    page.fill("#id_step-1-percent", "70")
    page.select_option("#id_step-1-due", "delivery")
    page.fill("#id_step-1-days", "30")
    _check(page, shot, f"{language}-office-payment-plan-form")
    page.locator("[data-testid=plan-form] button[type=submit]").click()
    expect(page.locator("[data-testid=plan-now] li")).to_have_count(2)
    _check(page, shot, f"{language}-office-payment-plan-saved")
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["owner"], world["password"])
    page.goto(f"/orders/{number}/")
    plan = page.locator("[data-testid=payment-plan]")
    expect(plan.locator(".card__row")).to_have_count(2)
    expect(plan).to_contain_text("30 %")
    plan.scroll_into_view_if_needed()
    _check(page, shot, f"{language}-order-payment-plan")
