"""Development: the embedded default (SQLite, in-memory layers) unless told otherwise."""

from .base import *  # noqa: F403
from .base import DEBUG_FROM_ENV
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = DEBUG_FROM_ENV.strip().lower() not in {"0", "false", "no", "off"}
SECRET_KEY = _SECRET_KEY or "dev-only-not-secret-7c3e8f2a9b1d4e6f"  # noqa: S105
