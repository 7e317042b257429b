"""A push sent from the rep's phone appears as a toast on the dealer's open page
within 2 s, against ``manage.py serve`` with its embedded worker (the in-memory
channel layer reaching uvicorn's loop from the worker thread)."""

import sqlite3
import time

import pytest
from django.db import connection

from tests.e2e.conftest import ARGS, CHROMIUM, VIEWPORT  # noqa: F401 - same browser
from tests.notifications import live

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture(scope="module")
def push_portal(django_db_setup, django_db_blocker, tmp_path_factory):
    """The portal with its embedded worker (the e2e ``live_portal`` runs without)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "sqlite":
        pytest.skip(
            "the embedded default is SQLite + in-memory layer; the SQLite pass runs it"
        )
    server = live.start(django_db_blocker, tmp_path_factory.mktemp("push"))
    yield server
    server.stop()


def _phone(browser, url):
    context = browser.new_context(
        viewport=VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=url,
        locale="en-US",
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    context.set_default_timeout(15_000)
    return context


def _login(page, username, password, then="/"):
    page.goto(f"/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_a_rep_push_appears_as_a_toast_within_two_seconds(browser, push_portal, shot):
    world = push_portal.world
    dealer_context = _phone(browser, push_portal.url)
    rep_context = _phone(browser, push_portal.url)
    try:
        # given the dealer's home page is open and live
        dealer = dealer_context.new_page()
        _login(dealer, world["owner"], world["password"])
        dealer.wait_for_selector("#live-bell[data-live=open]")
        # and the rep composes a push to that dealer on their phone
        rep = rep_context.new_page()
        _login(rep, world["rep"], world["password"], then="/rep/")
        rep.goto(f"/rep/compose/?dealers={world['dealer_id']}&promotion=P-GIFT")
        rep.fill("input[name=title_zh]", "龙井买十赠一")
        rep.fill("input[name=title_en]", "Longjing: buy ten, get a cup")
        rep.fill("textarea[name=body_en]", "Order before Friday.")
        shot(rep, "rep-compose")
        # when the rep sends it
        started = time.monotonic()
        rep.click("[data-testid=send]")
        toast = dealer.locator("[data-testid=live-toast]")
        toast.wait_for(state="visible", timeout=2_000)
        elapsed = time.monotonic() - started
        # then the dealer sees it within 2 s, with an "order now" button
        assert elapsed < 2.0, f"toast after {elapsed:.2f} s"
        assert "Longjing: buy ten, get a cup" in toast.inner_text()
        assert dealer.locator("#live-badge").inner_text() != "0"
        shot(dealer, "dealer-toast", full_page=False)
        rep.wait_for_selector("[data-testid=campaign-status]")
        shot(rep, "rep-campaign")
        # and "order now" opens the promotion, counted as a click
        toast.locator(".live-toast__action").click()
        dealer.wait_for_url("**/promotions/P-GIFT/?add=1")
        database = push_portal.env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(database) as db:
            clicked = db.execute(
                "SELECT COUNT(*) FROM notifications_notification "
                "WHERE clicked_at IS NOT NULL"
            ).fetchone()[0]
        assert clicked == 1
    finally:
        dealer_context.close()
        rep_context.close()
