"""The language switch: zh-hans by default, English on request, remembered."""

import re

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

TABS = ["Home", "Promotions", "Catalog", "Orders", "Account"]


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


ZH_TABS_MISSING = any(_zh(tab) == tab for tab in TABS)


def _tabs(html: str) -> list[str]:
    """The visible labels of the bottom tab bar."""
    bar = re.search(r'<nav class="tabbar".*?</nav>', html, re.S)
    assert bar is not None
    return [
        re.sub(r"<[^>]+>.*?</[^>]+>|\s+", "", label)
        for label in re.findall(
            r'class="tabbar__tab"[^>]*>(.*?)</a>', bar.group(0), re.S
        )
    ]


def _switch(client, language: str, next_url: str = "/catalog/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_switching_to_english_changes_the_page_language(dealer_client):
    """After choosing English, pages declare and use English; back to Chinese likewise."""
    assert '<html lang="zh-hans">' in dealer_client.get("/catalog/").content.decode()

    response = _switch(dealer_client, "en")

    assert response.status_code == 302
    assert response["Location"] == "/catalog/"
    assert dealer_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = dealer_client.get("/catalog/").content.decode()
    assert '<html lang="en">' in english
    assert _tabs(english) == TABS

    _switch(dealer_client, "zh-hans")
    assert '<html lang="zh-hans">' in dealer_client.get("/catalog/").content.decode()


def test_language_choice_is_remembered_on_the_dealer_user(dealer_client, dealer_user):
    """The chosen language is stored for pushes and the bot, not only in the cookie."""
    _switch(dealer_client, "en")
    dealer_user.refresh_from_db()
    assert dealer_user.language == "en"

    _switch(dealer_client, "zh-hans")
    dealer_user.refresh_from_db()
    assert dealer_user.language == "zh-hans"


def test_unknown_language_changes_nothing(dealer_client, dealer_user):
    """A language the portal does not offer is ignored."""
    _switch(dealer_client, "fr")

    dealer_user.refresh_from_db()
    assert dealer_user.language == "zh-hans"
    assert '<html lang="zh-hans">' in dealer_client.get("/catalog/").content.decode()


def test_language_switch_works_before_logging_in(client):
    """The login page can be switched to English before logging in."""
    response = _switch(client, "en", next_url="/login/")

    assert response["Location"] == "/login/"
    assert '<html lang="en">' in client.get("/login/").content.decode()


def test_language_switch_never_redirects_off_site(client):
    """A crafted next URL cannot send the dealer to another site."""
    response = _switch(client, "en", next_url="https://evil.example.com/")

    assert "evil.example.com" not in response.get("Location", "")


@pytest.mark.xfail(
    ZH_TABS_MISSING,
    reason="zh-hans translations of the tab labels are missing (messages not compiled)",
    strict=True,
)
def test_language_switch_flips_the_visible_words(dealer_client):
    """The tab bar reads 商品 in Chinese and Catalog in English, and so on for each tab."""
    chinese = _tabs(dealer_client.get("/catalog/").content.decode())

    _switch(dealer_client, "en")
    english = _tabs(dealer_client.get("/catalog/").content.decode())

    assert english == TABS
    assert chinese == ["首页", "促销", "商品", "订单", "我的"]  # as UX.md names them
