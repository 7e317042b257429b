"""One login, one identity: what a person types to log in (any case of the
username, the phone number in any format) resolved to the account it names.

Login throttling (django-axes) counts failures per identity and client, so the
spellings of one account share one counter instead of five guesses each.
"""

import phonenumbers
from django.contrib.auth import get_user_model

from dealers.models import DealerUser

PHONE_REGION = "CN"  # numbers typed without a country code are Chinese


def phone_normalise(raw: str) -> str | None:
    """A phone number as the portal stores it (Chinese numbers as their 11 national
    digits, others in E.164), or None when ``raw`` is not a valid number."""
    text = (raw or "").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def login_user(identifier: str):
    """The user a login identifier names (username in any case, or a dealer user's
    phone in any format), or None."""
    text = (identifier or "").strip()
    if not text:
        return None
    users = get_user_model()._default_manager
    user = users.filter(username__iexact=text).first()
    if user is not None:
        return user
    phone = phone_normalise(text)
    if phone is None:
        return None
    dealer_user = (
        DealerUser.objects.filter(phone__in={phone, text})
        .select_related("user")
        .first()
    )
    return dealer_user.user if dealer_user else None


def login_identity(identifier: str) -> str:
    """The key failures are counted under: the account's username when the
    identifier names one, else the identifier normalised (lower case, or the phone
    number in the stored form), so guesses at an unknown login share a key too."""
    user = login_user(identifier)
    if user is not None:
        return user.get_username().lower()
    text = (identifier or "").strip()
    return phone_normalise(text) or text.lower()


def axes_username(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``."""
    raw = (credentials or {}).get("username") or (
        request.POST.get("username", "") if request is not None else ""
    )
    return login_identity(raw)
