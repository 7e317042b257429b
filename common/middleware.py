"""Request hygiene that every app relies on."""

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
