"""The integration API, version 1: /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from api import services
from api.routers import (
    agreements,
    budgets,
    fulfilment,
    invoices,
    master,
    orders,
    promotions,
    supply,
    units,
)
from common.errors import DomainError
from common.middleware import text_has_nul

logger = logging.getLogger(__name__)


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        # The integration reads English unless it asks for another language.
        if "Accept-Language" not in request.headers:
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        return services.api_key_check(raw_key=token) if token else None


class BodyNotAnObject(ValueError):
    """Valid JSON of the wrong shape: 422 (ninja wraps parser errors in a 400)."""


class BodyHasNul(ValueError):
    """Well-formed JSON the portal cannot store (PostgreSQL refuses NUL): 422."""


class JsonParser(Parser):
    """JSON bodies, refusing text with a NUL character (PostgreSQL cannot store it)
    and bodies that are not objects (every body here is one; ninja would read a
    list or a bare value as an empty object)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject
        if text_has_nul(data):
            raise BodyHasNul
        return data


api = NinjaAPI(
    title="Dealer portal integration API",
    version="1",
    description="Master data, promotions, quotes, orders, shipments and money. See api-v1.md.",
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonParser(),
)


def _error(request, status: int, detail: str, code: str, errors=None, **extra):
    body = {"detail": detail, "code": code, "errors": list(errors or []), **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.message, exc.code, exc.errors, **exc.payload)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if any(
        error.get("loc", ())[-1:] == ("Idempotency-Key",)
        and error.get("type") == "missing"
        for error in exc.errors
    ):
        return _error(
            request,
            422,
            "The Idempotency-Key header is required.",
            "idempotency_key_required",
        )
    errors = [
        {
            "field": ".".join(
                str(part)
                for part in error.get("loc", ())
                if part not in ("body", "payload")
            ),
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return _error(
        request,
        422,
        "The request does not match the expected shape.",
        "invalid",
        errors,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(
        request,
        401,
        "A valid API key is required (Authorization: Bearer <key>).",
        "unauthorized",
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyNotAnObject):
        return _error(
            request, 422, "The request body must be a JSON object.", "invalid"
        )
    if isinstance(exc.__cause__, BodyHasNul):
        return _error(
            request,
            422,
            "Text in the request body contains a NUL character.",
            "invalid",
        )
    code = "malformed" if exc.status_code == 400 else "error"
    return _error(request, exc.status_code, str(exc), code)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    """The connection to the database dropped mid-request: the transaction was
    rolled back, nothing was written; the caller retries (with the same
    Idempotency-Key or external_id, so a retry never doubles anything)."""
    logger.warning("database unavailable during %s: %r", request.path, exc)
    response = _error(
        request,
        503,
        "The database is unavailable for a moment; nothing was saved. Try again.",
        "unavailable",
    )
    response["Retry-After"] = "5"
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Not found.", "not_found")


api.add_router("/", master.router)
api.add_router("/", promotions.router)
api.add_router("/", orders.router)
api.add_router("/", fulfilment.router)
api.add_router("/", supply.router)
api.add_router("/", invoices.router)
api.add_router("/", units.router)
api.add_router("/", agreements.router)
api.add_router("/", budgets.router)
