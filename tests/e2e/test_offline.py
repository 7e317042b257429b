"""The installed app on a network that drops: after one visit, a page that cannot
load shows the portal's offline page, in both languages, at 375 px."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def test_a_page_that_cannot_load_shows_the_offline_page(live_portal, phone, shot):
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, world["buyer"], world["password"])
    page.goto("/")
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null"
        " || (navigator.serviceWorker.ready.then(() => location.reload()), false)",
        timeout=15_000,
    )
    page.context.set_offline(True)
    try:
        page.goto("/orders/", wait_until="domcontentloaded")
        offline = page.locator("[data-testid=offline]")
        expect(offline).to_contain_text("您已离线")
        expect(offline).to_contain_text("You are offline")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        shot(page, "offline")
    finally:
        page.context.set_offline(False)
