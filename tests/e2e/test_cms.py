"""Marketing edits a promotion page in the Wagtail admin, a sales manager approves
it, and the dealer's phone shows the new words — in a real browser against the live
ASGI server."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, _env, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

NEW_WORDS = "Now with a free cup for every ten cases"


@pytest.fixture(scope="module")
def content(live_portal):
    built = subprocess.run(
        [sys.executable, "-m", "tests.cms.e2e_world"],
        cwd=ROOT,
        env=_env(live_portal["database"]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode:
        raise RuntimeError(f"building the content failed:\n{built.stderr[-3000:]}")
    return json.loads(built.stdout.strip().splitlines()[-1])


def _desk(browser, live_portal):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        base_url=live_portal["url"],
        locale="en-US",
    )
    context.set_default_timeout(20_000)
    return context


def _admin_login(page, username, password, then):
    page.goto(f"/cms/admin/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_marketing_edits_manager_approves_dealer_reads(
    browser, live_portal, content, phone, shot
):
    world = live_portal["world"]
    edit = f"/cms/admin/pages/{content['page_id']}/edit/"

    # given the dealer reads the page (Chinese only: their English falls back)
    login(phone, world["buyer"], world["password"])
    phone.goto(content["page_url"])
    expect(phone.locator("[data-testid=cms-summary]")).to_have_text(
        "买十箱送茶杯一个。"
    )
    shot(phone, "dealer-before")

    # when marketing changes the summary and submits it for review
    writer_context = _desk(browser, live_portal)
    writer = writer_context.new_page()
    _admin_login(writer, content["marketing"], content["password"], edit)
    expect(writer.locator("button[name=action-publish]")).to_have_count(0)
    writer.fill("textarea[name=summary]", NEW_WORDS)
    writer.click("footer .w-dropdown__toggle")
    writer.click("button[name=action-submit]")
    writer.wait_for_load_state()
    expect(writer.locator(".messages")).to_contain_text("submitted")
    shot(writer, "submitted", full_page=False)
    writer_context.close()

    # then the dealer still reads the published words while it is in review
    phone.reload()
    expect(phone.locator("[data-testid=cms-summary]")).to_have_text(
        "买十箱送茶杯一个。"
    )

    # when a sales manager approves it
    manager_context = _desk(browser, live_portal)
    manager = manager_context.new_page()
    _admin_login(manager, content["manager"], content["password"], edit)
    expect(manager.locator("textarea[name=summary]")).to_have_value(NEW_WORDS)
    manager.click("footer .w-dropdown__toggle")
    manager.click(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    expect(manager.locator(".messages")).to_contain_text("has been updated")
    shot(manager, "approved", full_page=False)
    manager_context.close()

    # then the dealer's phone shows the new words inside the portal
    phone.reload()
    expect(phone.locator("[data-testid=cms-summary]")).to_have_text(NEW_WORDS)
    expect(phone.locator("nav.tabbar")).to_be_visible()
    shot(phone, "dealer-after")
