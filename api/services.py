"""API key lifecycle."""

from django.db import transaction
from django.utils import timezone

from api.models import PREFIX_LENGTH, ApiKey, hash_key
from common.errors import Conflict


@transaction.atomic
def api_key_create(*, name: str, raw_key: str | None = None) -> tuple[ApiKey, str]:
    """Create a key and return it with its raw value (shown once, stored hashed)."""
    if ApiKey.objects.filter(name=name).exists():
        raise Conflict(f"An API key named {name!r} exists already.", code="name_taken")
    raw = raw_key or ApiKey.generate()
    key = ApiKey.objects.create(
        name=name, prefix=raw[:PREFIX_LENGTH], hashed_key=hash_key(raw)
    )
    return key, raw


@transaction.atomic
def api_key_ensure(*, name: str, raw_key: str) -> ApiKey:
    """Make sure a key with this raw value exists (the demo key)."""
    key, _created = ApiKey.objects.update_or_create(
        name=name,
        defaults={
            "prefix": raw_key[:PREFIX_LENGTH],
            "hashed_key": hash_key(raw_key),
            "active": True,
        },
    )
    return key


def api_key_check(*, raw_key: str) -> ApiKey | None:
    """The active key behind a raw value, or None."""
    key = ApiKey.objects.filter(hashed_key=hash_key(raw_key), active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
