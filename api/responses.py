"""Response shapes shared by the routers: the error body every 4xx carries."""

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """`{"detail", "code", "errors"}` (api-v1.md, Conventions)."""

    detail: str
    code: str
    errors: list[FieldErrorOut | dict] = []
