"""Where the services hand work to the task queue without importing the tasks, which
import the services: ``notifications.tasks`` registers each task here when it is
imported (the app's ``ready`` imports it, as every worker does)."""

from datetime import datetime

from django.tasks import task_backends

_TASKS: dict = {}


def register(task):
    """Make ``task`` reachable by its function's name; returns it (a decorator)."""
    _TASKS[task.func.__name__] = task
    return task


def can_defer(name: str) -> bool:
    """Whether the task's backend runs work later (``run_after``); the embedded and
    immediate backends do not, and the periodic sweep starts what is due instead."""
    return task_backends[_TASKS[name].backend].supports_defer


def enqueue(name: str, *args, at: datetime | None = None) -> None:
    """Enqueue task ``name`` now, or to run at ``at`` (check :func:`can_defer`)."""
    task = _TASKS[name]
    if at is not None:
        task = task.using(run_after=at)
    task.enqueue(*args)
