"""Logging in and out, throttling, and changing the password."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from tests.dealers.factories import DealerUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-1"  # what tests.dealers.factories.UserFactory sets
WRONG_LOGIN = "The username, phone number or password is not right. Please try again."


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


ZH_WRONG_LOGIN_MISSING = _zh(WRONG_LOGIN) == WRONG_LOGIN


def _log_in(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:
    """True when the portal home opens instead of sending the client to log in."""
    return client.get("/").status_code == 200


def test_dealer_logs_in_with_username(client, dealer_user):
    """A dealer types their username and password and lands on the portal home."""
    response = _log_in(client, "owner1")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)


def test_dealer_logs_in_with_phone_number(client, dealer_user):
    """A dealer can type their phone number instead of the username."""
    dealer_user.phone = "13800138000"
    dealer_user.save()

    response = _log_in(client, " 13800138000 ")

    assert response.status_code == 302
    assert _logged_in(client)


def test_login_returns_to_the_page_asked_for(client, dealer_user):
    """After logging in, the dealer is back on the page that asked them to."""
    asked = client.get("/account/")
    assert asked.status_code == 302
    assert asked["Location"] == "/login/?next=/account/"

    response = client.post(
        "/login/", {"username": "owner1", "password": PASSWORD, "next": "/account/"}
    )

    assert response["Location"] == "/account/"


def test_wrong_password_shows_the_error_in_english(in_english, dealer_user):
    """A wrong password keeps the dealer on the login page with a message in English."""
    response = _log_in(in_english, "owner1", "not-the-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert escape(WRONG_LOGIN) in html
    assert not _logged_in(in_english)


def test_unknown_phone_or_user_shows_the_same_error(in_english, dealer_user):
    """Nobody learns from the message whether a login exists."""
    response = _log_in(in_english, "13999999999", "whatever-1")

    assert escape(WRONG_LOGIN) in response.content.decode()


def test_wrong_password_page_is_chinese_by_default(client, dealer_user):
    """Without a language choice, the login page is in simplified Chinese."""
    response = _log_in(client, "owner1", "not-the-password")

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.xfail(
    ZH_WRONG_LOGIN_MISSING,
    reason="zh-hans translation of the login error is missing (messages not compiled)",
    strict=True,
)
def test_wrong_password_error_is_in_chinese_by_default(client, dealer_user):
    """The wrong-password message reads in Chinese for a dealer who chose nothing."""
    response = _log_in(client, "owner1", "not-the-password")

    html = response.content.decode()
    assert escape(_zh(WRONG_LOGIN)) in html
    assert WRONG_LOGIN not in html


def test_login_is_locked_after_five_wrong_passwords(in_english, dealer_user):
    """After five wrong passwords even the right one is refused for a while."""
    # given four wrong passwords answered with the error, and a fifth that locks
    for _ in range(4):
        assert _log_in(in_english, "owner1", "guess-again").status_code == 200
    assert _log_in(in_english, "owner1", "guess-again").status_code == 429

    # when the right password comes next
    response = _log_in(in_english, "owner1")

    # then the login is locked and says so
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not _logged_in(in_english)


def test_four_wrong_passwords_do_not_lock(client, dealer_user):
    """A dealer who mistypes four times still gets in with the right password."""
    for _ in range(4):
        _log_in(client, "owner1", "guess-again")

    response = _log_in(client, "owner1")

    assert response.status_code == 302
    assert _logged_in(client)


def test_lockout_of_one_login_leaves_colleagues_alone(client, dealer_user):
    """One locked login does not lock out another user behind the same shop network."""
    DealerUserFactory(dealer=dealer_user.dealer, user__username="buyer1")
    for _ in range(5):
        _log_in(client, "owner1", "guess-again")

    colleague = Client()
    response = _log_in(colleague, "buyer1")

    assert response.status_code == 302
    assert _logged_in(colleague)


def test_logout_by_post(dealer_client):
    """Logging out ends the session and shows the login page."""
    response = dealer_client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not _logged_in(dealer_client)


def test_logout_link_followed_by_get_does_not_log_out(dealer_client):
    """A prefetched or crafted GET link cannot log a dealer out."""
    response = dealer_client.get("/logout/")

    assert response.status_code == 405
    assert _logged_in(dealer_client)


def test_password_change_keeps_the_dealer_logged_in(client, dealer_user):
    """After changing the password the dealer stays in, and only the new one works."""
    # given a dealer who logged in with the password
    _log_in(client, "owner1")

    # when they change it
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Longjing-2026!",
            "new_password2": "Longjing-2026!",
        },
    )

    # then they are still in, back on the account page, and the new password works
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    assert _log_in(Client(), "owner1", "Longjing-2026!").status_code == 302
    assert _log_in(Client(), "owner1", PASSWORD).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(
    dealer_client, dealer_user
):
    """A wrong current password is refused with the form shown again."""
    response = dealer_client.post(
        "/account/password/",
        {
            "old_password": "not-it",
            "new_password1": "Longjing-2026!",
            "new_password2": "Longjing-2026!",
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    dealer_user.user.refresh_from_db()
    assert dealer_user.user.check_password(PASSWORD)


# --- Throttling under attack (issue 14) ----------------------------------------------


def _guesses_until_locked(client, spellings, **extra) -> int:
    """Wrong passwords, cycling through ``spellings``, until the answer is 429."""
    for attempt in range(1, 31):
        spelling = spellings[attempt % len(spellings)]
        if _log_in(client, spelling, "guess-again", **extra).status_code == 429:
            return attempt
    return 30


def test_every_spelling_of_one_login_shares_one_counter(client, dealer_user):
    """Case variants and the phone number in any format are one account: five
    guesses in all from one client, not five per spelling."""
    dealer_user.phone = "13800138000"
    dealer_user.save()
    spellings = [
        "owner1",
        "OWNER1",
        "Owner1",
        "13800138000",
        "+86 138 0013 8000",
        "138-0013-8000",
    ]

    guesses = _guesses_until_locked(client, spellings)

    print(f"\ninjected: wrong passwords over {spellings}; saw: locked at {guesses}")  # noqa: T201
    assert guesses == 5
    assert _log_in(client, "owner1").status_code == 429  # the right one too, for now


def test_the_phone_logs_in_in_any_format(client, dealer_user):
    dealer_user.phone = "13800138000"
    dealer_user.save()
    assert _log_in(client, "+86 138-0013-8000").status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_counter(
    client, dealer_user, settings
):
    """Without trusted proxies, X-Forwarded-For is the client's own word: rotating
    it gives no fresh guesses."""
    settings.TRUSTED_PROXIES = []
    for n in range(1, 31):
        response = _log_in(
            client, "owner1", "guess-again", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1"
        )
        if response.status_code == 429:
            break
    print(f"\ninjected: X-Forwarded-For rotated per guess; saw: locked at {n}")  # noqa: T201
    assert n == 5


def test_behind_a_trusted_proxy_an_attacker_cannot_lock_out_the_dealer(
    dealer_user, settings
):
    """Behind the load balancer (a trusted proxy) each client is told apart by the
    address the proxy saw: an attacker's five guesses lock the attacker, and the
    dealer, from their own phone, still gets in. A header the attacker wrote in
    front of the proxy's entry is not believed."""
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    balancer = {"REMOTE_ADDR": "10.1.0.5"}
    attacker = Client(**balancer)
    for _ in range(5):
        _log_in(
            attacker,
            "owner1",
            "guess-again",
            HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66",  # forged, real
        )
    locked = _log_in(
        attacker, "owner1", HTTP_X_FORWARDED_FOR="198.51.100.8, 203.0.113.66"
    )
    dealer = Client(**balancer)
    response = _log_in(dealer, "owner1", HTTP_X_FORWARDED_FOR="192.0.2.44")

    print(  # noqa: T201
        f"\ninjected: 5 wrong passwords from 203.0.113.66 via the proxy, forged "
        f"left-hand hops; saw: attacker {locked.status_code}, dealer "
        f"{response.status_code}"
    )
    assert locked.status_code == 429
    assert response.status_code == 302
