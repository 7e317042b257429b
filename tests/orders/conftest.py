"""Reuse the API world for order lifecycle tests."""

from tests.api.conftest import api, approve, world  # noqa: F401
