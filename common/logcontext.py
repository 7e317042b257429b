"""Ids bound to what a process is doing now (a request, a task, a bot update), copied
onto every log record by ``ContextFilter`` (``portal.ops.logs`` formats them)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_context: ContextVar[dict | None] = ContextVar("portal_log_context", default=None)


def context() -> dict:
    return dict(_context.get() or {})


def bind(**values) -> None:
    """Add ids to every line this context logs from now on."""
    _context.set({**(_context.get() or {}), **values})


def unbind(*names: str) -> None:
    current = dict(_context.get() or {})
    for name in names:
        current.pop(name, None)
    _context.set(current)


@contextmanager
def bound(**values) -> Iterator[None]:
    """Ids bound for the ``with`` block only."""
    token = _context.set({**(_context.get() or {}), **values})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copy the bound ids onto each record (a handler filter: every logger gets them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True
