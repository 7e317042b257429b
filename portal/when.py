"""When something happened, as a dealer reads it (UX.md): "3 minutes ago" for the
recent, else the date (26 Nov 2026 / 2026年11月26日)."""

from datetime import datetime, timedelta

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template import defaultfilters
from django.utils import timezone
from django.utils.translation import get_language


def recent(moment: datetime) -> bool:
    """Shown as "2 hours ago" rather than a date."""
    return timezone.now() - moment < timedelta(days=1)


def when_text(moment: datetime) -> str:
    if recent(moment):
        return str(naturaltime(moment))
    english = (get_language() or "").startswith("en")
    return defaultfilters.date(
        timezone.localtime(moment), "j M Y" if english else "Y年n月j日"
    )
