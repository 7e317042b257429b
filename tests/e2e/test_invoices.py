"""Issue 21's walk on a phone: a dealer whose shipment is not invoiced fills in its
invoicing details (a malformed taxpayer number is refused next to the field), asks
for the invoice with one tap, and the sales manager sees the request."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_dealer_asks_for_an_invoice_and_the_manager_sees_it(
    live_portal, phone, shot, language
):
    world, page = live_portal["world"], phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["other_owner"], world["password"])
    page.goto("/payments/invoices/")
    details = page.locator("[data-testid=invoicing-details]")
    details.locator("input[name=company_name]").fill("杭州茶庄有限公司")
    details.locator("input[name=taxpayer_number]").fill("91310000MA1FL00000")
    details.locator("button[type=submit]").click()
    error = page.locator("[data-testid=invoicing-details] .errorlist")
    expect(error).to_be_visible()
    shot(page, f"{language}-bad-taxpayer-number")
    page.locator("[data-testid=invoicing-details] input[name=taxpayer_number]").fill(
        "91310000MA1FL0000N"
    )
    page.locator("[data-testid=invoicing-details] button[type=submit]").click()
    request = page.locator("[data-testid=invoice-request] button[type=submit]")
    expect(request).to_be_visible()
    request.click()
    row = page.locator("[data-testid=invoice-request-row]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("IR-D2-0001")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, f"{language}-requested")
    # the sales manager of the dealer's org sees it
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    login(page, world["manager"], world["password"])
    page.goto("/office/invoice-requests/")
    expect(page.locator("[data-testid=office-invoice-request]")).to_contain_text(
        "IR-D2-0001"
    )
    shot(page, f"{language}-office")
