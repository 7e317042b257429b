"""What a dealer hits at the seams of the portal, in both languages at 375 px."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}


def _speak(page, live_portal, language: str) -> None:
    page.set_viewport_size(PHONE)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_pages_render_inside_the_portal(live_portal, phone, shot, language):
    """An unknown URL, another dealer's order and a page the role may not open answer
    the portal's own 404/403 pages in its layout (tab bar), never Django's debug page,
    with the server started as `make run` starts it."""
    world, page = live_portal["world"], phone
    _speak(page, live_portal, language)
    login(page, world["viewer"], world["password"])
    title = {"zh-hans": "页面不存在", "en": "This page does not exist"}[language]

    for name, url in [
        ("unknown", "/no-such-page/"),
        ("other-dealer", f"/orders/{world['other_dealers_order']}/"),
    ]:
        answer = page.goto(url)
        assert answer.status == 404, name
        expect(page.locator("main h2")).to_have_text(title)
        expect(page.locator("nav.tabbar")).to_be_visible()
        assert "URLconf" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, f"{language}-{name}")

    answer = page.goto("/checkout/")
    assert answer.status == 403
    expect(page.locator("nav.tabbar")).to_be_visible()
    shot(page, f"{language}-forbidden")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_statement_and_cancel_work_as_they_come(live_portal, phone, shot, language):
    """The statement's date boxes show their dates (ISO values in Chinese too) inside
    their card at 375 px; the cancel page previews on the first tap."""
    world, page = live_portal["world"], phone
    _speak(page, live_portal, language)
    login(page, world["owner"], world["password"])

    page.goto("/statement/?start=2026-11-01&end=2026-11-30")
    expect(page.locator("input[type=date][name=start]")).to_have_value("2026-11-01")
    expect(page.locator("input[type=date][name=end]")).to_have_value("2026-11-30")
    card = page.locator("form.card").first.bounding_box()
    end = page.locator("input[type=date][name=end]").bounding_box()
    assert end["x"] + end["width"] <= card["x"] + card["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"{language}-statement")

    page.goto(f"/orders/{world['past_order']}/cancel/")
    page.locator("form.card:has(input[name=preview]) button[type=submit]").click()
    expect(page.locator("#preview-title")).to_be_visible()
    shot(page, f"{language}-cancel-preview")
