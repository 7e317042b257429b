"""Market feedback from dealers (competitor prices and promotions, retail
stock-outs, quality complaints) and the sales organisation's service level: the
week's summary by org, region and kind, filterable and downloadable, and each
rep's first-response time."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from conversations import selectors
from conversations.models import Side, Thread
from dealers.models import Region
from notifications.views.access import rep_required
from portal import exports
from portal.http import HtmxHttpRequest


def _participant(request) -> selectors.Participant:
    return selectors.Participant(user=request.user, side=Side.REP, rep=request.rep)


@require_GET
@rep_required
def feedback(request: HtmxHttpRequest):
    """The week's feedback (``?week=2026-W49``, ``kind``, ``region``); ``?format=xlsx``
    downloads it."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Thread.Feedback.values else ""
    region = request.GET.get("region", "")[:20]
    summary = selectors.feedback_summary(
        participant=_participant(request),
        week=request.GET.get("week", ""),
        kind=kind,
        region=region,
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.feedback_xlsx(summary=summary),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="feedback-{summary.start.isoformat()}.xlsx"'
        )
        return response
    iso = summary.start.isocalendar()
    previous = summary.start.toordinal() - 7
    following = summary.start.toordinal() + 7
    context = {
        "summary": summary,
        "week": f"{iso.year}-W{iso.week:02d}",
        "previous_week": _week(previous),
        "next_week": _week(following),
        "kind": kind,
        "region": region,
        "kinds": Thread.Feedback.choices,
        "regions": Region.objects.all(),
    }
    return render(request, "office/feedback.html", context)


def _week(ordinal: int) -> str:
    from datetime import date

    iso = date.fromordinal(ordinal).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@require_GET
@rep_required
def service_level(request: HtmxHttpRequest):
    """First-response time per rep over 30 days, and who waits now."""
    participant = _participant(request)
    context = {
        "levels": selectors.service_levels(participant=participant, days=30),
        "waiting": selectors.thread_list(participant=participant, view="waiting"),
    }
    return render(request, "office/service_level.html", context)


urls = [
    path("feedback/", feedback, name="feedback"),
    path("service-level/", service_level, name="service-level"),
]
