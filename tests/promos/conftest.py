"""Reuse the API world: an org tree, tea products, gifts and a gold dealer."""

from tests.api.conftest import api, approve, world  # noqa: F401
