"""When something happened, as a dealer reads it (UX.md): "3 minutes ago" for the
recent, else the date (26 Nov 2026 / 2026年11月26日)."""

from datetime import datetime, timedelta

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template import defaultfilters
from django.utils import timezone

from common import i18n


def recent(moment: datetime) -> bool:
    """Shown as "2 hours ago" rather than a date."""
    return timezone.now() - moment < timedelta(days=1)


def when_text(moment: datetime) -> str:
    if recent(moment):
        return str(naturaltime(moment))
    return defaultfilters.date(timezone.localtime(moment), i18n.date_format())
