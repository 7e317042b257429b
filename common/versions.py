"""Versioned cache keys: cached reads that a write makes unreachable at once.

A reader takes the version numbers of what its value depends on (one indexed query),
keys its cache entry on them, and computes on a miss. Every write that changes that
data calls ``bump`` inside its own transaction: when it commits, the numbers have moved
and the old entries are never read again (they expire on their own). Readers read the
numbers before the data, so an entry can only ever hold data at least as new as its
key. With ``REDIS_URL`` the cache is shared by every process, else it is local memory;
a cache that errors is skipped (the value is computed), never a 500.
"""

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import IntegrityError, transaction

from common.models import CacheVersion

logger = logging.getLogger(__name__)

# What the scopes stand for (and who bumps them).
PROMOTIONS = "promotions"  # live versions, windows, owners (promos.services)
CATALOG = "catalog"  # categories, products, tier prices (catalog.services)
STOCK = "stock"  # stock on hand (catalog.services)
HISTORY = "history"  # dealers' purchase history and facts (catalog.services)
ORGS = "orgs"  # the org tree, tier and region names (dealers.services, triggers)
CMS = "cms"  # Wagtail pages and banners (database triggers, cms migrations)
GLOBAL = (PROMOTIONS, CATALOG, STOCK, HISTORY, ORGS, CMS)


def dealer(dealer_id: int) -> str:
    """The scope of one dealer's own data: its row and logins, orders and their lines,
    shipments, money (movements, receivables, receipts, write-offs, invoices), carts
    and promotion usage. The database bumps it (``common.triggers``), whatever code
    writes."""
    return f"dealer:{dealer_id}"


_MISSING = object()


def _new_number() -> int:
    # Random, never the old number plus one: a transaction that bumped, cached what
    # it read and rolled back leaves an entry under a number no later write reuses.
    return secrets.randbits(62)


def bump(*scopes: str) -> None:
    """Move the numbers of ``scopes`` on; call it inside the write's transaction."""
    for scope in sorted(set(scopes)):  # one order: no deadlock between two writers
        updated = CacheVersion.objects.filter(scope=scope).update(number=_new_number())
        if not updated:
            try:
                with transaction.atomic():
                    CacheVersion.objects.create(scope=scope, number=_new_number())
            except IntegrityError:  # created meanwhile by another writer
                CacheVersion.objects.filter(scope=scope).update(number=_new_number())


class _Pin:
    """The scopes a request reads, read in one query the first time one is asked."""

    def __init__(self, scopes: Iterable[str]):
        self.scopes = frozenset(scopes)
        self.numbers: dict[str, int] | None = None


_pin: ContextVar[_Pin | None] = ContextVar("cache_versions_pin", default=None)


@contextmanager
def pinned(scopes: Iterable[str]) -> Iterator[None]:
    """Within the block, ``current()`` of any of ``scopes`` reads all of them once
    (one query, at the first call) and then answers from that reading.

    For a request that writes nothing (a GET): every entry it keys on those numbers
    still holds data at least as new as its key, as each read comes after the
    numbers. A request that writes must not pin: it would key what it renders after
    its write on the numbers from before it.
    """
    token = _pin.set(_Pin(scopes))
    try:
        yield
    finally:
        _pin.reset(token)


def _read(scopes: Iterable[str]) -> dict[str, int]:
    return dict(
        CacheVersion.objects.filter(scope__in=list(scopes)).values_list(
            "scope", "number"
        )
    )


def current(scopes: Iterable[str]) -> str:
    """The numbers of ``scopes`` as one key part, e.g. ``"catalog.3-promotions.7"``."""
    scopes = sorted(set(scopes))
    pin = _pin.get()
    if pin is not None and pin.scopes.issuperset(scopes):
        if pin.numbers is None:
            pin.numbers = _read(pin.scopes)
        numbers = pin.numbers
    else:
        numbers = _read(scopes)
    return "-".join(f"{scope}.{numbers.get(scope, 0)}" for scope in scopes)


def dealer_cached[T](
    dealer_id: int, key: str, compute: Callable[[], T], *, timeout: float = 600
) -> T:
    """``compute()`` of one dealer's own data, cached until the dealer's scope moves
    (the database moves it: ``common.triggers``)."""
    return cached(f"{key}:{current([dealer(dealer_id)])}", compute, timeout=timeout)


def cached[T](
    key: str, compute: Callable[[], T], *, timeout: float | Callable[[T], float]
) -> T:
    """The value cached under ``key``, else ``compute()`` stored for ``timeout`` s
    (or for ``timeout(value)`` s when the value knows how long it holds).

    ``key`` must already hold the versions the value depends on. A cache that errors
    is logged and skipped: the value is computed.
    """
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001 - any cache failure: compute instead
        logger.warning("Cache unavailable reading %s; computing.", key, exc_info=True)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    if callable(timeout):
        timeout = timeout(value)
    if timeout > 0:
        try:
            cache.set(key, value, timeout)
        except Exception:  # noqa: BLE001 - the value is right; only not kept
            logger.warning("Cache unavailable writing %s.", key, exc_info=True)
    return value
