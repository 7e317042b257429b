"""My agreement on a phone, in both languages: targets with progress bars, the rebate
and the nearest tier, and the home page's lazy nearest-tier fragment."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_phone_layout import SMALL_TARGETS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

WORDS = {
    "zh-hans": {"title": "我的协议", "next": "返利", "english": ["Rebate", "Targets"]},
    "en": {"title": "My agreement", "next": "rebate", "english": []},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_my_agreement_on_a_phone(live_portal, phone, shot, language):
    world, page = live_portal["world"], phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["agreement_owner"], world["password"])
    nearest = page.locator("#agreement-nearest")
    expect(nearest).to_be_visible()
    expect(nearest).to_contain_text(WORDS[language]["next"])
    shot(page, f"home-{language}")

    page.goto("/agreement/")
    expect(page.locator("h1, .topbar__title").first).to_contain_text(
        WORDS[language]["title"]
    )
    expect(page.locator(".bar__fill").first).to_be_visible()
    expect(page.locator(".target")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(SMALL_TARGETS) == []
    text = page.locator("main").inner_text()
    for word in WORDS[language]["english"]:
        assert word not in text
    assert "Traceback" not in page.content()
    shot(page, f"agreement-{language}")
