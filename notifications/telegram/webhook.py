"""The webhook Telegram posts updates to (behind the reverse proxy).

It only checks the secret, remembers the update (a redelivered ``update_id`` is
skipped) and answers 200 at once; the ``runbot --webhook`` process, the only one
that builds the Application, works through the stored updates. Web workers never
build the Application.
"""

import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import telegram
from notifications.telegram import services

logger = logging.getLogger(__name__)

MAX_BODY = 1_000_000
MAX_UPDATE_ID = 2**63


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if not telegram.enabled():
        return JsonResponse({"ok": False, "reason": "bot disabled"}, status=404)
    expected = settings.TELEGRAM.get("WEBHOOK_SECRET", "")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"ok": False, "reason": "bad secret token"}, status=403)
    too_large = JsonResponse({"ok": False, "reason": "too large"}, status=413)
    try:
        if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
            return too_large
        body = request.body
    except ValueError:
        return JsonResponse({"ok": False, "reason": "bad length"}, status=400)
    except RequestDataTooBig:
        return too_large
    if len(body) > MAX_BODY:
        return too_large
    try:
        payload = json.loads(body)
        update_id = payload["update_id"]
    except (ValueError, TypeError, KeyError):
        return JsonResponse({"ok": False, "reason": "not an update"}, status=400)
    # Telegram's ids are positive and fit a signed 64-bit column; anything else
    # (a string, a bool, 2**63) is not an update.
    if type(update_id) is not int or not 0 <= update_id < MAX_UPDATE_ID:
        return JsonResponse({"ok": False, "reason": "not an update"}, status=400)
    row = services.update_record(update_id=update_id, payload=payload)
    if row is None:
        logger.info("telegram update %s seen before; skipped", update_id)
    return JsonResponse({"ok": True})
