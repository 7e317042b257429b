"""Every page at 375 px (UX.md): no sideways scrolling, buttons and fields big enough to tap."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORT, login

# django_db: pytest-django then creates the test database whose schema the server copies.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# Interactive controls smaller than 44 × 44 px (links inside running text excepted).
SMALL_TARGETS = """
() => [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, .btn, .chip, .tabbar__tab')]
  .filter(el => !el.closest('.visually-hidden') && !el.classList.contains('visually-hidden'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width > 0 && box.height > 0 && (box.height < 43.5 || box.width < 43.5))
  .map(([el, box]) => `${el.tagName}.${el.className} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`)
"""


# A promotion is named in the page's language only; a tier by its name, not its code.
FOREIGN = {
    "en": ["新品茶A 买十赠一", "组合赠", "普洱 C 九五折"],
    "zh-hans": ["Tea A: buy 10", "Combo gift", "Pu'er C: 5% off", "gold"],
}


def _check(page, shot, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"{name} scrolls sideways ({width}px)"
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], f"{name}: small touch targets {small}"
    shot(page, name)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_fit_a_phone(live_portal, phone, shot, language):
    """Home, promotions, a promotion, cart with gifts and hints, checkout, orders, an
    order, cancel, quick order, account, catalog: at 375 × 812, in both languages."""
    world, page = live_portal["world"], phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["layout"], world["password"])
    # a cart with a gift, a hint, an add-on offer and a discount
    page.goto(f"/promotions/{world['gift_promotion']}/")
    page.fill("#add-TEA-A-01", "18")
    page.locator("form.add:has(#add-TEA-A-01) button[type=submit]").click()
    expect(page.locator("#promo-progress [data-testid=gift-now]")).to_be_visible()
    page.goto("/catalog/p/TEA-C-01/")
    page.fill("#add-TEA-C-01", "5")
    page.locator("form.add button[type=submit]").click()
    expect(page.locator("#toast")).not_to_be_empty()

    pages = [
        ("home", "/"),
        ("promotions", "/promotions/"),
        ("promotion", f"/promotions/{world['gift_promotion']}/"),
        ("cart", "/cart/"),
        ("checkout", "/checkout/"),
        ("orders", "/orders/"),
        ("order", f"/orders/{world['past_order']}/"),
        ("quick-order", "/cart/quick/"),
        ("account", "/account/"),
        ("catalog", "/catalog/"),
    ]
    for name, url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        _check(page, shot, f"{language}-{name}")
        text = page.inner_text("body")
        foreign = [words for words in FOREIGN[language] if words in text]
        assert not foreign, f"{language}-{name} shows {foreign}"
    # what a cancellation keeps, before confirming
    page.goto(f"/orders/{world['past_order']}/cancel/")
    page.locator("form.card input[type=number]").first.fill("2")
    page.locator("form.card:has(input[name=preview]) button[type=submit]").click()
    expect(page.locator("#preview-title")).to_be_visible()
    _check(page, shot, f"{language}-cancel-preview")


@pytest.mark.parametrize("role", ["owner", "viewer"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_role_walks_the_portal_on_a_phone(
    live_portal, phone, shot, role, language
):
    """The owner (who manages logins and money) and the viewer (who may not order)
    see every page they can reach fit 375 px, in their language only."""
    world, page = live_portal["world"], phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world[role], world["password"])
    for name, url in (
        ("home", "/"),
        ("promotions", "/promotions/"),
        ("promotion", f"/promotions/{world['gift_promotion']}/"),
        ("orders", "/orders/"),
        ("order", f"/orders/{world['past_order']}/"),
        ("payments", "/payments/"),
        ("invoices", "/payments/invoices/"),
        ("statement", "/statement/"),
        ("account", "/account/"),
        ("catalog", "/catalog/"),
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("main").is_visible(), f"{role} {name}"
        _check(page, shot, f"{language}-{role}-{name}")
        text = page.inner_text("body")
        foreign = [words for words in FOREIGN[language] if words in text]
        assert not foreign, f"{language}-{role}-{name} shows {foreign}"
