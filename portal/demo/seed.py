"""Demo data for ``manage.py seed_demo``: steps run in the order of ``STEPS``, all
inside one transaction.

Adding a step (promotions, orders, an API key, CMS content…): write
``def seed_<domain>(ctx: SeedContext) -> None`` and ``def flush_<domain>() -> None``
in ``portal/demo/steps/<domain>.py``, append the first to ``STEPS`` and the second to
``FLUSHERS``. Steps run first to last and read what earlier steps left on ``ctx``;
flushers run last to first, so rows that point at earlier data go before it. Put
printable hints for the person running the command (an API key…) in ``ctx.notes``.

Determinism: each step draws from ``ctx.rng``, a generator seeded with the seed and
the step's name, so the same arguments give the same codes, names, prices, stock and
quantities, and one step's changes never reshuffle another's. Dates are relative to
``ctx.today`` (and each sales month's seasonal factor follows the calendar), so pass
``today`` to reproduce a data set exactly.
"""

from collections.abc import Callable
from datetime import date
from time import perf_counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Category, Product
from dealers.models import Dealer, SalesOrg
from portal.demo import data
from portal.demo.context import SeedContext
from portal.demo.helpers import leaf_codes
from portal.demo.steps.agreements import flush_agreements, seed_agreements
from portal.demo.steps.catalog import flush_catalog, seed_catalog
from portal.demo.steps.conversations import (
    flush_conversations,
    seed_conversations,
)
from portal.demo.steps.dealers import flush_dealers, seed_dealers
from portal.demo.steps.evaluation import flush_evaluation, seed_evaluation
from portal.demo.steps.history import flush_history, seed_history
from portal.demo.steps.logins import flush_logins, seed_logins
from portal.demo.steps.orders import flush_orders, seed_orders
from portal.demo.steps.orgs import flush_orgs, seed_orgs
from portal.demo.steps.promotions import (
    flush_api_key,
    flush_promotions,
    seed_api_key,
    seed_promotions,
)
from portal.demo.steps.supply import flush_supply, seed_supply

MIN_DEALERS = 2  # the demo logins belong to D00001 and D00002
MIN_PRODUCTS = len(leaf_codes())  # one sellable product per leaf category
MIN_MONTHS = 1

# Append new steps here; see the module docstring.
STEPS: list[Callable[[SeedContext], None]] = [
    seed_orgs,
    seed_catalog,
    seed_supply,
    seed_dealers,
    seed_history,
    seed_logins,
    seed_promotions,
    seed_api_key,
    seed_orders,
    seed_evaluation,
    seed_agreements,
    seed_conversations,
]
# What undoes each step, in the same order (they run reversed).
FLUSHERS: list[Callable[[], None]] = [
    flush_orgs,
    flush_catalog,
    flush_supply,
    flush_dealers,
    flush_history,
    flush_logins,
    flush_promotions,
    flush_api_key,
    flush_orders,
    flush_evaluation,
    flush_agreements,
    flush_conversations,
]


def demo_data_exists() -> bool:
    """Whether the database already holds data the seed would collide with."""
    return (
        Dealer.objects.exists()
        or SalesOrg.objects.exists()
        or Category.objects.exists()
        or Product.objects.exists()
        or get_user_model().objects.filter(username__in=data.LOGIN_USERNAMES).exists()
    )


@transaction.atomic
def demo_flush() -> None:
    """Delete what the steps create (all dealers, catalogue and sales organisation)."""
    for flusher in reversed(FLUSHERS):
        flusher()


@transaction.atomic
def seed_demo(
    *,
    dealers: int,
    products: int,
    months: int,
    seed: int = 1,
    today: date | None = None,
    flush: bool = False,
    progress: bool = True,
    on_step: Callable[[str, float], None] | None = None,
) -> SeedContext:
    """Fill the database with demo data, all of it or nothing (one transaction)."""
    ctx = SeedContext(
        seed=seed,
        dealers=dealers,
        products=products,
        months=months,
        today=today or timezone.localdate(),
        progress=progress,
    )
    if flush:
        demo_flush()
    for step in STEPS:
        started = perf_counter()
        ctx.rng = ctx.rng_for(step.__name__)
        step(ctx)
        ctx.timings[step.__name__] = perf_counter() - started
        if on_step is not None:
            on_step(step.__name__, ctx.timings[step.__name__])
    return ctx
