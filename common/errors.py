"""Domain errors: services raise these, interfaces turn them into messages or HTTP statuses."""

from collections.abc import Sequence


class DomainError(Exception):
    """A business rule said no. ``message`` is written for the person who asked."""

    code = "domain_error"
    status = 422

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: Sequence[dict] = (),
        payload: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.errors = list(errors)
        self.payload = payload or {}


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidInput(DomainError):
    code = "invalid"
    status = 422
