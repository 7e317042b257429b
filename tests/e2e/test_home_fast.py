"""Home paints at once and loads its recommendations after first paint, at 375 px in
both languages (the skeleton gives way to the cards; nothing off-screen)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

TITLES = {"zh-hans": "为您推荐", "en": "Recommended for you"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_loads_recommendations_after_first_paint(
    live_portal, phone, shot, language
):
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["viewer"], world["password"])
    page.goto("/")
    expect(page.locator("#recommended-title")).to_have_text(TITLES[language])
    expect(page.locator(".skeleton")).to_have_count(0)
    expect(page.locator("#home-offers a.offer").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"home scrolls sideways ({width}px)"
    shot(page, f"{language}-home")
