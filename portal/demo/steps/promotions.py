"""Demo promotions (every condition and reward type, approved) and the API key."""

import datetime

from django.conf import settings
from django.utils import timezone

from api import services as api_services
from api.models import ApiKey
from portal.demo.context import SeedContext
from promos import demo
from promos.models import (
    Promotion,
    PromotionApplication,
    PromotionBudget,
    PromotionDealerUsage,
    PromotionTarget,
    PromotionVersion,
)

DEMO_KEY_NAME = "demo"


def seed_promotions(ctx: SeedContext) -> None:
    now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(9)))
    codes = demo.seed_promotions(now=now)
    ctx.count("promotions", len(codes))


def flush_promotions() -> None:
    PromotionApplication.objects.all().delete()
    PromotionDealerUsage.objects.all().delete()
    Promotion.objects.update(live_version=None)
    PromotionTarget.objects.all().delete()
    PromotionVersion.objects.all().delete()
    PromotionBudget.objects.all().delete()
    Promotion.objects.all().delete()


def seed_api_key(ctx: SeedContext) -> None:
    """The integration key: DEMO_API_KEY when set, else a fresh random one (printed)."""
    raw = settings.DEMO_API_KEY or ApiKey.generate()
    api_services.api_key_ensure(name=DEMO_KEY_NAME, raw_key=raw)
    ctx.notes.append(f"API key (Authorization: Bearer …): {raw}")


def flush_api_key() -> None:
    ApiKey.objects.filter(name=DEMO_KEY_NAME).delete()
