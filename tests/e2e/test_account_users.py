"""The owner manages logins on a phone (375 px), in both languages."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_phone_layout import _check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_owner_switches_a_login_off_and_on(live_portal, phone, shot, language):
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["owner"], world["password"])
    page.goto("/account/")
    row = page.locator(f"[data-testid=dealer-user][data-user={world['viewer']}]")
    expect(row).to_be_visible()
    _check(page, shot, f"{language}-account-users")
    manage = row.locator("xpath=following-sibling::div[1]")
    manage.locator("input[name=active][value='0'] + button").click()
    expect(row.locator(".badge--warn")).to_be_visible()
    _check(page, shot, f"{language}-account-user-off")
    row = page.locator(f"[data-testid=dealer-user][data-user={world['viewer']}]")
    row.locator("xpath=following-sibling::div[1]").locator(
        "input[name=active][value='1'] + button"
    ).click()
    expect(
        page.locator(
            f"[data-testid=dealer-user][data-user={world['viewer']}] .badge--warn"
        )
    ).to_have_count(0)
