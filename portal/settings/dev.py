"""Development: the embedded default (SQLite, in-memory layers) unless told otherwise.

``make run`` is what a newcomer judges: the portal's own error pages, not Django's
debug page. A developer who wants the debug page asks for it with ``DEBUG=1``.
"""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

SECRET_KEY = _SECRET_KEY or "dev-only-not-secret-7c3e8f2a9b1d4e6f"  # noqa: S105
