"""A local fake of the Telegram Bot API: an HTTP server in a thread that records
every call (on its own monotonic clock) and can be scripted to answer 429 with
``retry_after``, 403, 5xx, or slowly."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

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
    failing_until: float = 0.0  # monotonic: answer 502 to sends until then
    lock: threading.Lock = field(default_factory=threading.Lock)
    message_id: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeBotApi":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                # headers and body leave as two writes: without this, Nagle and
                # delayed ACKs add 40 ms to every call
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):  # quiet
                return

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = fake.handle(self.path, self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # the default backlog of 5 drops connects
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # --- answering ----------------------------------------------------------------

    def _params(self, headers, body: bytes) -> dict:
        kind = headers.get("Content-Type", "")
        if "json" in kind:
            return json.loads(body or b"{}")
        if "x-www-form-urlencoded" in kind:
            return {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if "multipart/form-data" in kind:
            return _multipart(kind, body)
        return {}

    def handle(self, path: str, headers, body: bytes):
        method = path.rstrip("/").rsplit("/", 1)[-1]
        if method == "__calls__":  # the benchmark reads the record from afar
            with self.lock:
                return 200, [[c.method, c.params, c.at, c.status] for c in self.calls]
        params = self._params(headers, body)
        now = time.monotonic()
        scripted = None
        with self.lock:
            for key in (method, "*"):
                if self.script.get(key):
                    scripted = self.script[key].pop(0)
                    break
        if isinstance(scripted, tuple) and scripted[0] == "slow":
            time.sleep(scripted[1])
            scripted = None
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
        with self.lock:
            self.calls.append(Call(method, params, now, status))
        return status, payload

    def _result(self, method: str, params: dict, chat):
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
