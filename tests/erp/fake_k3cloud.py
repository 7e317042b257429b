"""A fake Kingdee K/3 Cloud WebAPI for tests, written from the public documentation.

A real HTTP server on 127.0.0.1 (a free port) in a thread: it dispatches on the last
path segment, takes ``data`` as an object or a JSON string (or the old
``parameters`` list), verifies the app signature or a password session, keeps
in-memory tables per FormId with ``FModifyDate``, answers ``ExecuteBillQuery`` with
only the asked keys (dotted lookups, one row per line, a subset of filters, paging of
at most 2000 rows), saves bills (refusing a duplicate ``FBillNo``), moves them
A → B → C, and fails on demand (timeouts, 519, MsgCode 1/4/9, a partly failed
BatchSave).
"""

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from erp import signature

MAX_ROWS = 2000
SESSION_COOKIE = "kdservice-sessionid"


def k3_datetime(value: datetime) -> str:
    """K/3's way of writing a datetime: server-local, no offset, two decimals."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4]


def _parse_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text.replace(" ", "T"))


@dataclass
class Fault:
    """What goes wrong with the next call(s) of an operation."""

    kind: str  # timeout, timeout_after, 519, 500, msgcode
    operation: str = "*"
    times: int = 1
    msg_code: int = 4
    message: str = "出现异常"
    seconds: float = 2.0


@dataclass
class Bill:
    """One row of a table: header fields, and its lines (entries) when it has any."""

    fields: dict
    entries: list[dict] = field(default_factory=list)


class FakeK3Cloud:
    """The fake server's state; ``url`` is the base URL to configure the client with."""

    def __init__(
        self,
        *,
        acct_id: str = "5db25ac8d2b819",
        username: str = "webapi",
        app_id: str = "",
        app_secret: str = "",
        password: str = "",
        lcid: int = 2052,
    ):
        self.acct_id, self.username, self.lcid = acct_id, username, lcid
        self.app_id, self.app_secret, self.password = app_id, app_secret, password
        self.tables: dict[str, list[Bill]] = {}
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, dict]] = []
        self.sessions: set[str] = set()
        self.logins = 0
        self._ids = itertools.count(100001)
        self._lock = threading.RLock()
        self.now = datetime(2026, 6, 3, 10, 0, 0)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/k3cloud/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle --------------------------------------------------------------------
    def start(self) -> "FakeK3Cloud":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- data -------------------------------------------------------------------------
    def next_id(self) -> int:
        return next(self._ids)

    def add(self, form_id: str, fields: dict, entries=(), *, modified=None) -> Bill:
        """Put a row in a table (``FModifyDate`` = ``modified`` or the fake's clock)."""
        with self._lock:
            fields = dict(fields)
            fields.setdefault("FModifyDate", modified or self.now)
            bill = Bill(fields, [dict(e) for e in entries])
            self.tables.setdefault(form_id, []).append(bill)
            return bill

    def update(self, form_id: str, match: dict, changes: dict, *, modified) -> Bill:
        """Change a row found by ``match`` and stamp its ``FModifyDate``."""
        with self._lock:
            bill = self.find(form_id, **match)
            bill.fields.update(changes, FModifyDate=modified)
            return bill

    def find(self, form_id: str, **match) -> Bill | None:
        for bill in self.tables.get(form_id, []):
            if all(bill.fields.get(k) == v for k, v in match.items()):
                return bill
        return None

    def expire_sessions(self) -> None:
        """Every password session is lost (the server restarted or timed it out)."""
        self.sessions.clear()

    def fail(self, kind: str, operation: str = "*", **options) -> None:
        self.faults.append(Fault(kind=kind, operation=operation, **options))

    # --- HTTP -------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body, headers = fake.handle(
                    urlsplit(self.path).path, dict(self.headers), raw
                )
                if status is None:  # a dropped connection after a timeout
                    return
                data = json.dumps(body, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

        return Handler

    def handle(self, path: str, headers: dict, raw: bytes):
        operation = (
            path.rsplit("/", 1)[-1].removesuffix(".common.kdsvc").rsplit(".", 1)[-1]
        )
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            return 400, {"Message": "bad json"}, {}
        data = _data(payload)
        self.calls.append((operation, data))
        fault = self._fault(operation)
        if fault and fault.kind == "timeout":
            time.sleep(fault.seconds)
            return None, None, {}
        if fault and fault.kind in ("519", "500"):
            return int(fault.kind), {"code": fault.kind, "message": "gateway error"}, {}
        if operation in ("ValidateUser", "LoginByAppSecret"):
            return 200, *self._login(data)
        error = self._authenticate(path, headers)
        if error is None and fault and fault.kind == "msgcode":
            error = (fault.msg_code, fault.message)
        if error is not None:
            return 200, _error(operation, error[0], error[1]), {}
        method = getattr(self, f"op_{operation}", None)
        if method is None:
            return 200, _error(operation, 4, f"unknown operation {operation}"), {}
        with self._lock:
            body = method(data)
        if fault and fault.kind == "timeout_after":
            time.sleep(fault.seconds)  # the write is done, the client has given up
            return None, None, {}
        return 200, body, {}

    def _fault(self, operation: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.operation in ("*", operation) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _login(self, data):
        if isinstance(data, list):  # the parameters form: acctid, user, password, lcid
            data = dict(
                zip(["acctid", "username", "password", "lcid"], data, strict=False)
            )
        ok = (
            data.get("acctid") == self.acct_id
            and data.get("username") == self.username
            and self.password
            and data.get("password") == self.password
        )
        if not ok:
            return {"LoginResultType": 0, "Message": "用户名或密码错误"}, {}
        self.logins += 1
        session = f"s{self.next_id()}"
        self.sessions.add(session)
        return (
            {
                "LoginResultType": 1,
                "KDSVCSessionId": session,
                "Context": {"UserName": self.username},
            },
            {
                "Set-Cookie": f"{SESSION_COOKIE}={session}; path=/",
                SESSION_COOKIE: session,
            },
        )

    def _authenticate(self, path: str, headers: dict):
        lower = {k.lower(): v for k, v in headers.items()}
        if self.app_id:
            ts = lower.get("x-api-timestamp", "")
            if not ts.isdigit():
                return 1, "会话信息已丢失，请重新登录"
            expected = signature.headers(
                path=path,
                acct_id=self.acct_id,
                username=self.username,
                app_id=self.app_id,
                app_secret=self.app_secret,
                lcid=self.lcid,
                timestamp=int(ts),
                nonce=lower.get("x-api-nonce"),
            )
            for name, value in expected.items():
                if lower.get(name.lower()) != value:
                    return 1, "会话信息已丢失，请重新登录"
            return None
        cookies = lower.get("cookie", "")
        session = lower.get(SESSION_COOKIE) or _cookie(cookies, SESSION_COOKIE)
        if session not in self.sessions:
            return 1, "会话信息已丢失，请重新登录"
        return None

    # --- operations -------------------------------------------------------------------
    def op_ExecuteBillQuery(self, data):
        form_id = data.get("FormId", "")
        keys = [
            k.strip() for k in (data.get("FieldKeys") or "").split(",") if k.strip()
        ]
        table = self.tables.get(form_id, [])
        rows = []
        for bill in table:
            line_keys = bill.entries and any(
                _has(e, k) for e in bill.entries for k in keys
            )
            for entry in bill.entries if line_keys else [None]:
                merged = {**bill.fields, **(entry or {})}
                rows.append(merged)
        for key in keys:
            if rows and not any(_has(r, key) for r in rows):
                return [
                    [
                        {
                            "Result": {
                                "ResponseStatus": {
                                    "ErrorCode": 500,
                                    "IsSuccess": False,
                                    "MsgCode": 9,
                                    "Errors": [
                                        {
                                            "FieldName": None,
                                            "Message": f"字段 {key} 不存在",
                                            "DIndex": 0,
                                        }
                                    ],
                                }
                            }
                        }
                    ]
                ]
        try:
            rows = [r for r in rows if _matches(r, data.get("FilterString") or "")]
        except ValueError as exc:
            return _error("ExecuteBillQuery", 8, str(exc))
        for part in reversed(
            [p.strip() for p in (data.get("OrderString") or "").split(",") if p.strip()]
        ):
            name, _, direction = part.partition(" ")
            rows.sort(
                key=lambda r, n=name: _sort_key(_get(r, n)),
                reverse=direction.strip().upper() == "DESC",
            )
        start = int(data.get("StartRow") or 0)
        limit = min(int(data.get("Limit") or MAX_ROWS), MAX_ROWS)
        return [[_out(_get(r, k)) for k in keys] for r in rows[start : start + limit]]

    def op_Save(self, data):
        return self._save(data.get("formid") or "", data.get("Model") or {}, 0)

    def op_BatchSave(self, data):
        form_id = data.get("formid") or ""
        models = data.get("Model") or []
        success, errors = [], []
        for index, model in enumerate(models):
            body = self._save(form_id, model, index)
            status = body["Result"]["ResponseStatus"]
            success += status.get("SuccessEntitys", [])
            errors += status.get("Errors", [])
        return {
            "Result": {
                "ResponseStatus": {
                    "IsSuccess": not errors,
                    "Errors": errors,
                    "SuccessEntitys": success,
                    "MsgCode": 11 if errors else 0,
                }
            }
        }

    def _save(self, form_id, model, index):
        number = model.get("FBillNo") or f"{form_id[:4]}{self.next_id()}"
        if self.find(form_id, FBillNo=number) is not None:
            return {
                "Result": {
                    "ResponseStatus": {
                        "ErrorCode": 500,
                        "IsSuccess": False,
                        "MsgCode": 11,
                        "SuccessEntitys": [],
                        "Errors": [
                            {
                                "FieldName": "FBillNo",
                                "Message": f"编码为“{number}”的单据已存在",
                                "DIndex": index,
                            }
                        ],
                    }
                }
            }
        header = {k: v for k, v in model.items() if not isinstance(v, list)}
        entries = next((v for v in model.values() if isinstance(v, list)), [])
        fields = _flatten(header)
        fid = self.next_id()
        fields.update(
            FID=fid, FBillNo=number, FDocumentStatus="A", FModifyDate=self.now
        )
        self.add(form_id, fields, [_flatten(e) for e in entries])
        return {
            "Result": {
                "ResponseStatus": {
                    "IsSuccess": True,
                    "Errors": [],
                    "MsgCode": 0,
                    "SuccessEntitys": [{"Id": fid, "Number": number, "DIndex": index}],
                },
                "Id": fid,
                "Number": number,
                "NeedReturnData": [{"FID": fid, "FBillNo": number}],
            }
        }

    def _move(self, data, allowed: dict, operation: str):
        form_id = data.get("formid") or ""
        errors, success = [], []
        for index, number in enumerate(data.get("Numbers") or []):
            bill = self.find(form_id, FBillNo=number)
            status = bill.fields.get("FDocumentStatus") if bill else None
            if bill is None or status not in allowed:
                errors.append(
                    {
                        "FieldName": None,
                        "DIndex": index,
                        "Message": f"{number}: 单据状态不允许{operation}",
                    }
                )
                continue
            bill.fields.update(FDocumentStatus=allowed[status], FModifyDate=self.now)
            success.append(
                {"Id": bill.fields["FID"], "Number": number, "DIndex": index}
            )
        return {
            "Result": {
                "ResponseStatus": {
                    "IsSuccess": not errors,
                    "Errors": errors,
                    "SuccessEntitys": success,
                    "MsgCode": 11 if errors else 0,
                }
            }
        }

    def op_Submit(self, data):
        return self._move(data, {"A": "B", "D": "B", "Z": "B"}, "提交")

    def op_Audit(self, data):
        return self._move(data, {"B": "C"}, "审核")

    def op_UnAudit(self, data):
        return self._move(data, {"C": "D", "B": "D"}, "反审核")

    def op_Delete(self, data):
        form_id = data.get("formid") or ""
        body = self._move(data, {"A": "DEL", "D": "DEL", "Z": "DEL"}, "删除")
        self.tables[form_id] = [
            b
            for b in self.tables.get(form_id, [])
            if b.fields.get("FDocumentStatus") != "DEL"
        ]
        return body

    # 下推 (Push): the conversion rules this fake knows, source form → target form.
    PUSH_RULES = {
        "IV_ReceivableToSalesIC_Entry": ("AR_receivable", "IV_SALESIC"),
        "IV_ReceivableToSalesOC_Entry": ("AR_receivable", "IV_SALESOC"),
    }

    def op_Push(self, data):
        """Make one draft target bill from the source bills (status A), a line per
        source bill carrying its number (FSRCBILLNO) and amount, 13 % VAT inside."""
        form_id, rule = data.get("formid") or "", data.get("RuleId") or ""
        source_form, target = self.PUSH_RULES.get(rule, (None, None))
        sources = [
            self.find(form_id, FBillNo=number) for number in data.get("Numbers") or []
        ]
        if source_form != form_id or not sources or None in sources:
            return {
                "Result": {
                    "ResponseStatus": {
                        "ErrorCode": 500,
                        "IsSuccess": False,
                        "MsgCode": 11,
                        "Errors": [
                            {
                                "FieldName": None,
                                "Message": "下推失败：单据或转换规则不存在",
                                "DIndex": 0,
                            }
                        ],
                    }
                }
            }
        fid = self.next_id()
        number = f"{target[:4]}{fid}"
        first = sources[0].fields
        entries = []
        for bill in sources:
            amount = Decimal(str(bill.fields["FALLAMOUNTFOR"]))
            entries.append(
                {
                    "FSRCBILLNO": bill.fields["FBillNo"],
                    "FALLAMOUNTFOR": float(amount),
                    "FDETAILTAXAMOUNTFOR": float(
                        (amount * 13 / 113).quantize(Decimal("0.01"))
                    ),
                }
            )
        self.add(
            target,
            {
                "FID": fid,
                "FBillNo": number,
                "FDATE": k3_datetime(self.now),
                "FCUSTOMERID.FNumber": first["FCUSTOMERID.FNumber"],
                "FDOCUMENTSTATUS": "A",
            },
            entries,
        )
        return {
            "Result": {
                "ResponseStatus": {
                    "IsSuccess": True,
                    "Errors": [],
                    "MsgCode": 0,
                    "SuccessEntitys": [{"Id": fid, "Number": number, "DIndex": 0}],
                }
            }
        }

    def op_View(self, data):
        bill = self.find(
            data.get("formid") or data.get("FormId") or "", FBillNo=data.get("Number")
        )
        if bill is None:
            return {
                "Result": {
                    "ResponseStatus": {
                        "IsSuccess": False,
                        "MsgCode": 10,
                        "ErrorCode": 500,
                        "Errors": [
                            {"FieldName": None, "Message": "单据不存在", "DIndex": 0}
                        ],
                    }
                }
            }
        result = {k: _out(v) for k, v in bill.fields.items()}
        result["Id"], result["BillNo"] = bill.fields["FID"], bill.fields["FBillNo"]
        return {"Result": {"ResponseStatus": {"IsSuccess": True}, "Result": result}}


# --- helpers --------------------------------------------------------------------------
def _data(payload):
    if isinstance(payload, dict) and "parameters" in payload:
        params = payload["parameters"]
        if len(params) == 2 and isinstance(params[1], str):
            data = json.loads(params[1])
            return {"formid": params[0], "FormId": params[0], **data}
        return params
    data = payload.get("data", payload) if isinstance(payload, dict) else payload
    if isinstance(data, str):
        data = json.loads(data)
    if isinstance(payload, dict) and isinstance(data, dict) and payload.get("formid"):
        data = {"formid": payload["formid"], **data}
    return data


def _error(operation: str, msg_code: int, message: str):
    status = {
        "ErrorCode": 500,
        "IsSuccess": False,
        "MsgCode": msg_code,
        "Errors": [{"FieldName": None, "Message": message, "DIndex": 0}],
    }
    if operation == "ExecuteBillQuery":
        return [[{"Result": {"ResponseStatus": status}}]]
    return {"Result": {"ResponseStatus": status}}


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _flatten(model: dict) -> dict:
    """{"FCustId": {"FNumber": "C1"}} → {"FCustId.FNumber": "C1"} (how queries read
    them); sub-objects without a number (FSaleOrderFinance) lend their fields."""
    out = {}
    for key, value in model.items():
        if isinstance(value, dict) and "FNumber" in value:
            out[f"{key}.FNumber"] = value["FNumber"]
        elif isinstance(value, dict):
            out.update(_flatten(value))
        else:
            out[key] = value
    return out


def _has(row: dict, key: str) -> bool:
    return key.lower() in {k.lower() for k in row}


def _get(row: dict, key: str):
    lowered = key.lower()
    for k, v in row.items():
        if k.lower() == lowered:
            return v
    return None


def _out(value):
    if isinstance(value, datetime):
        return k3_datetime(value)
    return value


def _sort_key(value):
    if value is None:
        return (0, "")
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, datetime):
        return (2, value)
    return (3, str(value))


_CONDITION = re.compile(
    r"^\s*(?P<key>[\w.]+)\s*(?P<op>>=|<=|<>|!=|=|>|<|\blike\b|\bin\b)\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)


def _literal(text: str):
    text = text.strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        return float(text)


def _compare(actual, op: str, expected) -> bool:
    if isinstance(actual, datetime) and isinstance(expected, str):
        expected = _parse_datetime(expected)
    if isinstance(actual, bool):
        actual = int(actual)
    if op == "like":
        pattern = (
            "^" + re.escape(str(expected)).replace("%", ".*").replace("_", ".") + "$"
        )
        return re.match(pattern, str(actual or "")) is not None
    if actual is None:
        return op in ("<>", "!=") and expected is not None
    try:
        return {
            "=": actual == expected,
            "<>": actual != expected,
            "!=": actual != expected,
            ">=": actual >= expected,
            "<=": actual <= expected,
            ">": actual > expected,
            "<": actual < expected,
        }[op]
    except TypeError as exc:
        raise ValueError(f"cannot compare {actual!r} {op} {expected!r}") from exc


def _matches(row: dict, filter_string: str) -> bool:
    if not filter_string.strip():
        return True
    for condition in re.split(r"\s+AND\s+", filter_string.strip(), flags=re.IGNORECASE):
        condition = condition.strip().strip("()").strip()
        found = _CONDITION.match(condition)
        if not found:
            raise ValueError(f"过滤条件无法解析: {condition}")
        key, op, value = found["key"], found["op"].lower(), found["value"]
        if not _has(row, key):
            raise ValueError(f"字段 {key} 不存在")
        actual = _get(row, key)
        if op == "in":
            items = [_literal(v) for v in value.strip().strip("()").split(",")]
            if actual not in items:
                return False
        elif not _compare(actual, op, _literal(value)):
            return False
    return True
