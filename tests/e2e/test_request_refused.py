"""A form too large for the portal answers with the portal's own page, on a phone,
in both languages (not Django's bare English 400)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

TITLE = {"zh-hans": "一次提交的内容太多", "en": "Too much at once"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_oversized_form_gets_the_portals_page(live_portal, phone, shot, language):
    page = phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_portal["url"]}]
    )
    page.goto("/login/")
    # a field stuffed past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), as a script might
    page.evaluate(
        "document.querySelector('input[name=username]').removeAttribute('maxlength');"
        "document.querySelector('input[name=username]').value = 'x'.repeat(2700000);"
    )
    with page.expect_response(
        lambda r: r.url.endswith("/login/") and r.request.method == "POST"
    ) as answer:
        page.click("button[type=submit]")
    assert answer.value.status == 413
    page.wait_for_selector("[data-testid=request-refused]")
    text = (
        page.inner_text("main")
        if page.query_selector("main")
        else page.inner_text("body")
    )
    assert TITLE[language] in text
    assert "Bad Request" not in text
    if language == "zh-hans":
        assert "Too much" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, f"refused-{language}")
