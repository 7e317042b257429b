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


HINTS = {"zh-hans": "再买", "en": "more"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_promotions_list_hints_follow_the_cart_after_first_paint(
    live_portal, phone, shot, language
):
    """The list comes from the cache; each card's "add N more" is quoted right after
    first paint and again when the cart changes (here, on the promotion's page), at
    375 px, with nothing off-screen."""
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["buyer"], world["password"])
    try:
        _hints_follow_the_cart(page, world["gift_promotion"], shot, language)
    finally:  # the server is shared by the session's tests: leave the cart empty
        csrf = next(
            c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"
        )
        cleared = page.request.post(
            f"{live_portal['url']}/cart/clear/", headers={"X-CSRFToken": csrf}
        )
        assert cleared.ok, cleared.status


def _hints_follow_the_cart(page, code: str, shot, language: str) -> None:
    page.goto(f"/promotions/{code}/")
    page.fill("#add-TEA-A-01", "8")
    page.locator("form.add:has(#add-TEA-A-01) button[type=submit]").click()
    expect(page.locator("#promo-progress [data-testid=hint]")).to_be_visible()

    page.goto("/promotions/")
    hint = page.locator(f"#hints-{code} .offer__hint")
    expect(hint).to_contain_text(HINTS[language])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the list scrolls sideways ({width}px)"
    shot(page, f"{language}-promotions-hint")

    # two more on the promotion's page: the gift is earned, the list's hint goes
    page.goto(f"/promotions/{code}/")
    page.locator("#promo-progress form button.btn--accent").click()
    expect(page.locator("#promo-progress [data-testid=gift-now]")).to_be_visible()
    with page.expect_response(
        lambda response: response.request.headers.get("hx-target") == "promo-hints"
    ):
        page.goto("/promotions/")
    expect(page.locator(f"#hints-{code}")).to_be_attached()
    expect(hint).to_have_count(0)
