"""Reading typed values out of definition JSON, collecting errors by field path."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .money import quantize_money

MISSING = object()


class DefinitionError(ValueError):
    """A definition broke the format; ``errors`` holds ``{"field", "message"}``s."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        """Keep every error found, each naming its field by a dotted path."""
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


def join(path: str, key: str | int) -> str:
    """Extend a field path: ``reward`` + ``options`` + 0 → ``reward.options[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Reads typed values out of the JSON, recording an error instead of raising."""

    def __init__(self) -> None:
        """Start with no errors."""
        self.errors: list[dict[str, str]] = []

    def error(self, field: str, message: str) -> None:
        """Record an error against ``field`` (the root is called "definition")."""
        self.errors.append({"field": field or "definition", "message": message})

    def obj(self, value: Any, path: str, allowed: set[str]) -> Mapping[str, Any] | None:
        """Return ``value`` if it is an object; keys not in ``allowed`` are errors."""
        if not isinstance(value, Mapping):
            self.error(path, "must be an object")
            return None
        for key in sorted(set(value) - allowed, key=str):
            self.error(join(path, str(key)), "unknown field")
        return value

    def text(self, value: Any, path: str) -> str | None:
        """Return a required non-empty string, stripped."""
        if value is MISSING or value is None:
            self.error(path, "is required")
        elif not isinstance(value, str) or not value.strip():
            self.error(path, "must be a non-empty string")
        else:
            return value.strip()
        return None

    def boolean(self, value: Any, path: str) -> bool:
        """Return a JSON boolean (1 and "true" are refused)."""
        if isinstance(value, bool):
            return value
        self.error(path, "must be true or false")
        return False

    def integer(self, value: Any, path: str, minimum: int | None = 1) -> int | None:
        """Return a whole number (booleans refused) of at least ``minimum``."""
        if value is MISSING or value is None:
            self.error(path, "is required")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.error(path, "must be a whole number")
        elif minimum is not None and value < minimum:
            self.error(path, f"must be at least {minimum}")
        else:
            return value
        return None

    def optional_int(self, value: Any, path: str, minimum: int = 1) -> int | None:
        """Return a whole number, or None when missing or null."""
        return (
            None
            if value is MISSING or value is None
            else self.integer(value, path, minimum)
        )

    def decimal(self, value: Any, path: str) -> Decimal | None:
        """Return a finite decimal from a string or integer; JSON floats are refused."""
        if value is MISSING or value is None:
            self.error(path, "is required")
            return None
        if isinstance(value, float):
            self.error(
                path, 'must be a decimal string such as "12.50", not a JSON float'
            )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(path, 'must be a decimal string such as "12.50"')
            return None
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(path, 'must be a decimal string such as "12.50"')
            return None
        return number

    def money(
        self, value: Any, path: str, *, allow_zero: bool = False
    ) -> Decimal | None:
        """Return money (at most two places, positive or, if allowed, zero)."""
        number = self.decimal(value, path)
        if number is None:
            return None
        if number != quantize_money(number):
            self.error(path, "must have at most two decimal places")
        elif number < 0 or (number == 0 and not allow_zero):
            self.error(
                path, "must not be negative" if allow_zero else "must be positive"
            )
        else:
            return quantize_money(number)
        return None

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        """Return a list of non-empty strings as a tuple, duplicates dropped."""
        if value is MISSING or value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, "must be a list of strings")
            return ()
        found = [self.text(v, join(path, i)) for i, v in enumerate(value)]
        return tuple(dict.fromkeys(s for s in found if s is not None))

    def moment(self, value: Any, path: str) -> datetime | None:
        """Return an ISO 8601 date-time that carries a UTC offset."""
        text = self.text(value, path)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.error(
                path, "must be an ISO 8601 date-time such as 2026-12-01T00:00:00+08:00"
            )
            return None
        if moment.utcoffset() is None:
            self.error(path, "must include a UTC offset, e.g. +08:00")
            return None
        return moment
