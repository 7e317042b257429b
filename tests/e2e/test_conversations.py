"""Issue 20's walk in Chromium at 375 px: a dealer replies to the rep's push from
the phone (with a photo), the rep sees it arrive in the rep console without
reloading and answers, and the answer appears in the dealer's open thread."""

import io
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORT, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def _context(browser, url, language):
    context = browser.new_context(
        viewport=VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=url,
        locale="zh-CN" if language == "zh-hans" else "en-US",
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    context.set_default_timeout(15_000)
    return context


def _photo(tmp_path):
    path = tmp_path / "shelf.jpg"
    image = Image.new("RGB", (2000, 1500), (30, 120, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 29.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_dealer_replies_to_a_push_and_the_rep_answers_live(
    browser, live_portal, shot, tmp_path, language
):
    world, url = live_portal["world"], live_portal["url"]
    dealer_context = _context(browser, url, language)
    rep_context = _context(browser, url, language)
    try:
        # the rep keeps the rep console's inbox open on their phone
        rep = rep_context.new_page()
        login(rep, world["rep"], world["password"])
        rep.goto("/office/conversations/?view=waiting")
        rep.wait_for_selector("#live-bell[data-live=open]", state="attached")
        # the dealer opens the push in the inbox and taps Reply
        dealer = dealer_context.new_page()
        login(dealer, world["talkers"][language], world["password"])
        dealer.goto("/inbox/")
        # the chat icon sits in the top bar, beside the bell
        icon = dealer.locator("[data-testid=chat-link]").bounding_box()
        assert icon is not None
        assert icon["y"] < 48
        assert icon["x"] + icon["width"] <= VIEWPORT["width"]
        dealer.locator("[data-testid=reply][href*=campaign]").first.click()
        form = dealer.locator("[data-testid=thread-form]")
        expect(form).to_be_visible()
        subject = f"{language}：" if language == "zh-hans" else f"{language}:"
        expect(form.locator("input[name=subject]")).to_have_value(
            f"本周推荐 {subject}新品茶A"
            if language == "zh-hans"
            else f"This week {subject} new Tea A"
        )
        question = f"<b>Does it</b> apply to TEA-A-02 too? ({language})"
        form.locator("textarea[name=text]").fill(question)
        form.locator("input[type=file]").set_input_files(str(_photo(tmp_path)))
        _fits(dealer)
        shot(dealer, f"{language}-dealer-reply")
        form.locator("[data-testid=send]").click()
        chat = dealer.locator("[data-testid=chat]")
        expect(chat.locator("[data-testid=message-text]").last).to_have_text(question)
        expect(chat.locator("[data-testid=message-photo]")).to_have_count(1)
        dealer.wait_for_selector("#live-bell[data-live=open]", state="attached")
        # the rep's open inbox shows it without a reload
        row = rep.locator(
            "[data-testid=thread-row]", has_text=f"TEA-A-02 too? ({language})"
        )
        expect(row).to_be_visible(timeout=5_000)
        shot(rep, f"{language}-rep-inbox")
        row.click()
        expect(rep.locator("[data-testid=message-photo]")).to_have_count(1)
        natural = rep.locator("[data-testid=message-photo]").evaluate(
            "img => img.complete ? img.naturalWidth : -1"
        )
        assert natural in (-1, 1600)
        answer = (
            "是的，整个茶A系列都参加。"
            if language == "zh-hans"
            else "Yes, all of Tea A."
        )
        rep.locator("#message-form textarea[name=text]").fill(answer)
        started = time.monotonic()
        rep.locator("#message-form [data-testid=send]").click()
        expect(rep.locator("[data-testid=message-text]").last).to_have_text(answer)
        # the dealer's open thread shows the answer within a second or two
        expect(chat.locator("[data-testid=message-text]").last).to_have_text(
            answer, timeout=3_000
        )
        elapsed = time.monotonic() - started
        assert elapsed < 3.0, f"answer shown after {elapsed:.2f} s"
        _fits(dealer)
        _fits(rep)
        shot(dealer, f"{language}-dealer-answered")
        # the rep sees "read" under the answer once the dealer's page fetched it
        expect(rep.locator("[data-testid=receipt]").last).to_have_text(
            "已读" if language == "zh-hans" else "Read", timeout=3_000
        )
        shot(rep, f"{language}-rep-thread")
    finally:
        dealer_context.close()
        rep_context.close()
