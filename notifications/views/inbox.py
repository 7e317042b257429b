"""The dealer user's inbox: read, open the linked order or promotion, preferences."""

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from common.errors import DomainError, NotFound
from notifications import selectors, services, texts
from notifications.forms import PreferenceForm
from notifications.views.access import dealer_user_required

LIST = "inbox-list"


@require_GET
@dealer_user_required
def inbox(request: HttpRequest):
    """The user's notifications, newest first, twenty a page."""
    page = selectors.inbox_page(user=request.user, page=request.GET.get("page", 1))
    context = {"page": page, "unread": selectors.unread_count(user=request.user)}
    template = "notifications/inbox.html"
    if request.htmx and request.htmx.target == LIST:
        template += "#inbox-list"
    return render(request, template, context)


@require_POST
@dealer_user_required
def mark_read(request: HttpRequest, pk: int):
    """Mark one notification read; htmx swaps the item and refreshes the badge."""
    try:
        notification = services.notification_mark_read(
            user=request.user, notification_id=pk
        )
    except NotFound:
        raise Http404 from None
    if request.htmx:
        notification.rendered = texts.render(notification, get_language() or "zh-hans")
        response = render(
            request, "notifications/inbox.html#inbox-item", {"n": notification}
        )
        return trigger_client_event(response, "notifications-changed")
    return redirect("notifications:inbox")


@require_POST
@dealer_user_required
def mark_all_read(request: HttpRequest):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect("notifications:inbox")


@require_GET
@dealer_user_required
def open_notification(request: HttpRequest, pk: int):
    """Follow a notification (or its "order now"): counts as read and clicked."""
    try:
        target = services.notification_open(
            user=request.user,
            notification_id=pk,
            action=request.GET.get("to") == "action",
            via=request.GET.get("via", "portal"),
        )
    except NotFound:
        raise Http404 from None
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:inbox")
    return redirect(target)


@require_GET
@dealer_user_required
def badge(request: HttpRequest):
    """The bell's count, for pages without a live connection."""
    return render(
        request,
        "notifications/includes/live.html#live-badge",
        {"unread_count": selectors.unread_count(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
@dealer_user_required
def preferences(request: HttpRequest):
    """Which topics, which channels, and quiet hours."""
    preference = selectors.preference_get(user=request.user)
    form = PreferenceForm.for_preference(
        preference, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_save(
                user=request.user,
                muted_topics=form.muted_topics,
                portal=form.cleaned_data["portal"],
                telegram=form.cleaned_data["telegram"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "notifications/preferences.html", {"form": form}, status=status
    )
