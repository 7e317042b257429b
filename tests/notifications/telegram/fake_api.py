"""A local fake of the Telegram Bot API: an HTTP server (uvicorn, in a thread with its
own event loop) that records every call (on its own monotonic clock) and can be
scripted to answer 429 with ``retry_after``, 403, 5xx, or slowly.

It is asynchronous so that it answers thousands of calls a second: the benchmark
measures our sender against it, not the fake's own speed."""

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import uvicorn

TOKEN = "123456:TEST-token"


@dataclass
class Call:
    method: str
    params: dict
    at: float  # the server's clock (time.monotonic)
    status: int = 200


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    # method or "*" -> list of scripted answers: int status, ("429", retry_after),
    # ("slow", seconds); consumed in turn
    script: dict[str, list] = field(default_factory=dict)
    blocked_chats: set[int] = field(default_factory=set)
    updates: list[dict] = field(default_factory=list)  # handed out by getUpdates
    webhook: dict = field(default_factory=dict)  # what setWebhook last set
    failing_until: float = 0.0  # monotonic: answer 502 to sends until then
    numbering_restarted_below: float = float("inf")  # see restart_numbering
    lock: threading.Lock = field(default_factory=threading.Lock)
    message_id: int = 0
    files: dict = field(
        default_factory=dict
    )  # file_id -> bytes (photos sent to the bot)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    address: tuple = ()

    @property
    def base_url(self) -> str:
        host, port = self.address[:2]
        return f"http://{host}:{port}"

    async def _asgi(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if scope["path"].startswith("/file/bot"):  # a file download (getFile's path)
            file_id = scope["path"].rsplit("/", 1)[-1].split(".", 1)[0]
            data = self.files.get(file_id)
            with self.lock:
                self.calls.append(
                    Call(
                        "download",
                        {"file_id": file_id},
                        time.monotonic(),
                        200 if data else 404,
                    )
                )
            await send(
                {
                    "type": "http.response.start",
                    "status": 200 if data is not None else 404,
                    "headers": [(b"content-type", b"application/octet-stream")],
                }
            )
            await send({"type": "http.response.body", "body": data or b""})
            return
        status, payload, delay = self.answer(scope["path"], headers, body)
        if delay:
            await asyncio.sleep(delay)
        data = json.dumps(payload).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})

    def start(self) -> "FakeBotApi":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # a restart (``come_back``) listens on the same port again
        sock.bind(self.address or ("127.0.0.1", 0))
        self.address = sock.getsockname()
        config = uvicorn.Config(
            self._asgi,
            interface="asgi3",
            lifespan="off",
            log_level="warning",
            access_log=False,
            backlog=2048,
            timeout_keep_alive=30,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True

    def restart_numbering(self, updates: list[dict]) -> None:
        """Telegram restarts its update ids (a new token, a quiet week): the
        updates to hand out next carry low ids, below the bot's offset."""
        with self.lock:
            self.numbering_restarted_below = max(u["update_id"] for u in updates) + 1
            self.updates = list(updates)

    def go_down(self) -> None:
        """The Bot API goes away (connections refused) until ``come_back``;
        what it recorded and the updates it holds survive, as at a restart."""
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait for hanging long polls
        self.thread.join(timeout=10)

    def come_back(self) -> None:
        self.start()

    # --- answering ----------------------------------------------------------------

    def _params(self, headers, body: bytes) -> dict:
        kind = headers.get("content-type", "")
        if "json" in kind:
            return json.loads(body or b"{}")
        if "x-www-form-urlencoded" in kind:
            return {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if "multipart/form-data" in kind:
            return _multipart(kind, body)
        return {}

    def answer(self, path: str, headers: dict, body: bytes):
        """(status, payload, seconds to wait before answering)."""
        method = path.rstrip("/").rsplit("/", 1)[-1]
        if method == "__calls__":  # the benchmark reads the record from afar
            with self.lock:
                calls = [[c.method, c.params, c.at, c.status] for c in self.calls]
            return 200, calls, 0
        params = self._params(headers, body)
        now = time.monotonic()
        scripted = None
        with self.lock:
            for key in (method, "*"):
                if self.script.get(key):
                    scripted = self.script[key].pop(0)
                    break
        delay = 0
        if isinstance(scripted, tuple) and scripted[0] == "slow":
            delay, scripted = scripted[1], None
        status, payload = 200, None
        chat = _int(params.get("chat_id"))
        if isinstance(scripted, tuple) and scripted[0] == "429":
            status = 429
            payload = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry later",
                "parameters": {"retry_after": scripted[1]},
            }
        elif isinstance(scripted, int):
            status = scripted
            payload = {"ok": False, "error_code": status, "description": "scripted"}
        elif method == "sendMessage" and now < self.failing_until:
            status = 502
            payload = {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        elif method == "sendMessage" and chat in self.blocked_chats:
            status = 403
            payload = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        if payload is None:
            payload = {"ok": True, "result": self._result(method, params, chat)}
            if method == "getUpdates" and not payload["result"]:
                # a long poll with nothing to hand out waits a little, as Telegram
                # does, so a polling bot does not spin
                delay = min(_int(params.get("timeout")) or 0, 0.2)
        with self.lock:
            self.calls.append(Call(method, params, now, status))
        return status, payload, delay

    def _result(self, method: str, params: dict, chat):
        if method == "getUpdates":
            offset = _int(params.get("offset")) or 0
            with self.lock:
                if offset > self.numbering_restarted_below:
                    offset = 0  # an offset of the old numbering confirms nothing new
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                return list(self.updates)
        if method == "setWebhook":
            self.webhook = dict(params)
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getFile":
            file_id = params.get("file_id", "")
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"photos/{file_id}.jpg",
            }
        if method == "getMe":
            return {
                "id": 123456,
                "is_bot": True,
                "first_name": "Dealer bot",
                "username": "dealer_test_bot",
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in {"sendMessage", "editMessageText"}:
            with self.lock:
                self.message_id += 1
                message_id = self.message_id
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat or 0, "type": "private"},
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                markup = params["reply_markup"]
                message["reply_markup"] = (
                    json.loads(markup) if isinstance(markup, str) else markup
                )
            return message
        return True

    # --- reading ------------------------------------------------------------------

    def sent(self, method: str = "sendMessage", *, ok_only: bool = True) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls
                if c.method == method and (c.status == 200 or not ok_only)
            ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.params.get("text", "")
            for c in self.calls
            if c.method in {"sendMessage", "editMessageText"}
            and c.status == 200
            and (chat_id is None or _int(c.params.get("chat_id")) == chat_id)
        ]

    def last_text(self) -> str:
        found = self.texts()
        return found[-1] if found else ""

    def answers(self) -> list[Call]:
        return self.sent("answerCallbackQuery")

    def buttons(self) -> list[str]:
        """Callback data of the buttons of the last message that had any."""
        for call in reversed(self.calls):
            markup = call.params.get("reply_markup")
            if call.method in {"sendMessage", "editMessageText"} and markup:
                markup = json.loads(markup) if isinstance(markup, str) else markup
                return [
                    b.get("callback_data", "")
                    for row in markup.get("inline_keyboard", [])
                    for b in row
                ]
        return []

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _multipart(kind: str, body: bytes) -> dict:
    boundary = kind.split("boundary=", 1)[-1].strip('"').encode()
    params = {}
    for part in body.split(b"--" + boundary):
        if b"name=" not in part:
            continue
        head, _sep, value = part.partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        params[name] = value.rstrip(b"\r\n-").decode()
    return params


class RemoteFakeBotApi:
    """The fake in a process of its own (``python -m``): measured on its clock, the
    rate is what a separate Telegram server would see, not held up by the threads
    of the process that sends. ``sent()`` reads its record over HTTP."""

    def __init__(self):
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.notifications.telegram.fake_api"],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base_url = self.process.stdout.readline().strip()
        self._warm_up()

    def _warm_up(self, calls: int = 64) -> None:
        """Answer a burst of getMe first: a fresh server's first answers are slow
        (cold code paths), which would bunch the first sends it stamps."""
        from concurrent.futures import ThreadPoolExecutor
        from urllib.request import urlopen

        def get_me(_n):
            with urlopen(f"{self.base_url}/bot{TOKEN}/getMe", timeout=30) as response:
                response.read()

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(get_me, range(calls)))

    def sent(self, method: str = "sendMessage") -> list[Call]:
        from urllib.request import urlopen

        with urlopen(f"{self.base_url}/bot{TOKEN}/__calls__", timeout=30) as response:
            calls = [Call(*row) for row in json.load(response)]
        return [c for c in calls if c.method == method and c.status == 200]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


if __name__ == "__main__":  # the remote fake: print the URL, serve until killed
    fake = FakeBotApi().start()
    print(fake.base_url, flush=True)  # noqa: T201 - read by RemoteFakeBotApi
    while True:
        time.sleep(3600)
