"""Structured logs: one JSON object per line in production, with the ids that tie
events together.

- ``RequestLogMiddleware`` writes one ``request`` event per HTTP request (request
  id, method, path, status, duration, user id, dealer code) and binds the request
  id for every other line logged while the request runs.
- Task workers bind ``worker_id``; each task run binds ``task_id`` and ``task`` and
  ends with one ``task.finished`` event (status, duration). The bot binds
  ``update_id`` and ``chat_id`` while it handles an update.

The ids live in a context variable; ``ContextFilter`` copies them onto every record,
and python-json-logger's ``JsonFormatter`` writes the record with its extras.
"""

import logging
import re
import time
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from common.logcontext import ContextFilter, bind, bound, context, unbind

__all__ = [
    "ContextFilter",
    "RequestLogMiddleware",
    "bind",
    "bound",
    "context",
    "json_formatter",
    "unbind",
]

logger = logging.getLogger("portal.requests")
task_logger = logging.getLogger("portal.tasks")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_task_started: dict[str, float] = {}


def json_formatter(**kwargs):
    """The production formatter (``LOGGING["formatters"]["json"]["()"]``).

    Python warnings go through logging too, so stderr holds JSON lines only.
    """
    from pythonjsonlogger.json import JsonFormatter

    class Formatter(JsonFormatter):
        def add_fields(self, log_data, record, message_dict):
            super().add_fields(log_data, record, message_dict)
            log_data.pop("color_message", None)  # uvicorn's ANSI copy of message

    logging.captureWarnings(True)
    return Formatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
        json_ensure_ascii=False,
        **kwargs,
    )


def _request_id(request) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _request_fields(request, response, started: float) -> dict:
    user = getattr(request, "user", None)
    dealer = getattr(request, "dealer", None)
    return {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "dealer": getattr(dealer, "code", None),
    }


class RequestLogMiddleware:
    """One ``request`` event per request; the request id on every line in between.

    Outermost in ``MIDDLEWARE``, so the duration covers the whole stack. The id is
    the proxy's ``X-Request-ID`` when it sends a sane one, else a new one; it is
    echoed in the response for the dealer's bug report.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        started = time.perf_counter()
        request_id = _request_id(request)
        with bound(request_id=request_id):
            response = self.get_response(request)
            self._finish(request, response, started, request_id)
        return response

    async def __acall__(self, request):
        started = time.perf_counter()
        request_id = _request_id(request)
        with bound(request_id=request_id):
            response = await self.get_response(request)
            self._finish(request, response, started, request_id)
        return response

    def _finish(self, request, response, started, request_id) -> None:
        response.headers.setdefault("X-Request-ID", request_id)
        fields = _request_fields(request, response, started)
        try:
            from portal.ops import metrics

            metrics.request_observed(
                request.method, fields["status"], fields["duration_ms"] / 1000
            )
        except Exception:  # noqa: BLE001 - metrics never break a request
            logger.debug("metrics failed", exc_info=True)
        logger.info(
            "%s %s %s", request.method, request.path, fields["status"], extra=fields
        )


# --- Tasks ------------------------------------------------------------------------------


def on_task_started(sender, task_result, **kwargs) -> None:
    _task_started[task_result.id] = time.perf_counter()
    bind(task_id=str(task_result.id), task=task_result.task.name)


def on_task_finished(sender, task_result, **kwargs) -> None:
    started = _task_started.pop(task_result.id, None)
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    task_logger.log(
        logging.WARNING if task_result.status == "FAILED" else logging.INFO,
        "task %s %s",
        task_result.task.name,
        task_result.status,
        extra={
            "event": "task.finished",
            "status": task_result.status,
            "duration_ms": duration,
        },
    )
    unbind("task_id", "task")
