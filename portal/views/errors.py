"""The portal's own page for a refused request (instead of Django's bare 400)."""

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception=None):
    """``handler400``: a form body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or with too
    many fields) is 413 with a page that says what to do; anything else 400. Under
    /api/ the answer has the API's error shape."""
    too_large = isinstance(exception, TOO_LARGE)
    status = 413 if too_large else 400
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "The request body is too large."
                if too_large
                else "The request could not be read.",
                "code": "too_large" if too_large else "malformed",
                "errors": [],
            },
            status=status,
        )
    context = {
        "title": _("Too much at once") if too_large else _("That did not work"),
        "message": _(
            "What you sent is larger than the portal accepts. Send less at once "
            "(fewer lines, or shorter text) and try again."
        )
        if too_large
        else _("The portal could not read what your browser sent. Try again."),
        "back": _safe_referer(request),
    }
    return render(request, "400.html", context, status=status)


def _safe_referer(request) -> str:
    referer = request.headers.get("Referer", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else ""
