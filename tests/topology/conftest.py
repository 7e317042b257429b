"""The topology test runs once, alone (``make topology``, or ``-m topology``): it starts
its own PostgreSQL, Redis and the Procfile's processes, so it is not repeated in the
SQLite and PostgreSQL passes of ``make test``."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "topology" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="the topology test runs with make topology")
    for item in items:
        if "topology" in item.keywords:
            item.add_marker(skip)
