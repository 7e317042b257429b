"""Request hygiene that every app relies on."""

from io import BytesIO

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def text_has_nul(value) -> bool:
    """Whether a decoded JSON value holds a NUL character anywhere (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(text_has_nul(k) or text_has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(text_has_nul(item) for item in value)
    return False


class RejectNulMiddleware:
    """A NUL character in the path or the query string is answered 400, before any view
    looks it up (PostgreSQL rejects NUL in text, SQLite silently truncates).
    Under /api/ the answer has the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if NUL in request.path or "%00" in query or NUL in query:
            detail = "The address contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": detail, "code": "malformed", "errors": []}, status=400
                )
            return HttpResponseBadRequest(detail)
        return self.get_response(request)


class ApiBodyLimitMiddleware:
    """The integration API takes bodies up to ``API_MAX_BODY_BYTES`` (a sales-history
    batch of 20,000 records is about 3 MB), above Django's form limit
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``, kept for the portal's forms). Larger is 413
    in the API's error shape, before anything parses it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or request.method in {"GET", "HEAD"}:
            return self.get_response(request)
        limit = settings.API_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return _too_large(limit)
        body = request.read(limit + 1)  # a missing or false length is caught too
        if len(body) > limit:
            return _too_large(limit)
        # What ``HttpRequest.body`` itself stores once read: the view (and ninja)
        # find the body already there and do not apply the form limit to it.
        request._body = body  # noqa: SLF001
        request._stream = BytesIO(body)  # noqa: SLF001
        return self.get_response(request)


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "detail": f"The request body is larger than {limit:,} bytes. "
            "Send large imports in several batches.",
            "code": "too_large",
            "errors": [],
            "limit": limit,
        },
        status=413,
    )
