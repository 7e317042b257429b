"""Channels' ``WebsocketCommunicator``, also where daphne is not installed.

``channels.testing/__init__`` imports its live-server test case, which needs daphne;
this project serves ASGI with uvicorn and does not install it. The communicator does
not need daphne, so when the package cannot be imported whole, its modules are loaded
without the package's ``__init__``.
"""

import sys
import types
from pathlib import Path

import channels

try:
    from channels.testing import WebsocketCommunicator
except ImportError:
    _package = types.ModuleType("channels.testing")
    _package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = _package
    from channels.testing.websocket import WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
