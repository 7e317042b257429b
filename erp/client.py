"""A thin client of the Kingdee K/3 Cloud WebAPI over httpx (erp-k3cloud.md).

TLS verified, a timeout on every call, typed errors in the documented order of
checks (transport or non-2xx → a list body → ``Result.ResponseStatus.IsSuccess``),
both ways to authenticate, and a pager for ``ExecuteBillQuery``. Writes are never
retried here: the caller looks a bill up before writing again.
"""

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx

from erp import signature
from erp.conf import K3Config

log = logging.getLogger(__name__)

FORM_SERVICE = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService"
AUTH_SERVICE = "Kingdee.BOS.WebApi.ServicesStub.AuthService"
SESSION_COOKIE = "kdservice-sessionid"

MSG_CONTEXT_LOST = 1


class K3Error(Exception):
    """Anything the ERP did not do; ``reason`` is what a person reads."""

    retryable = False

    def __init__(
        self, reason: str, *, msg_code: int | None = None, errors=(), status=None
    ):
        super().__init__(reason)
        self.reason = reason
        self.msg_code = msg_code
        self.errors = list(errors)
        self.status = status  # the whole ResponseStatus, when there was one


class K3Unreachable(K3Error):
    """Transport failure, timeout or a non-2xx answer (the gateway's 519 too)."""

    retryable = True

    def __init__(
        self, reason: str, *, timeout: bool = False, http_status: int | None = None
    ):
        super().__init__(reason)
        self.timeout = timeout
        self.http_status = http_status


class K3LoginFailed(K3Error):
    """The credentials were refused (or, with signatures, the context is lost)."""


class K3SessionLost(K3Error):
    """MsgCode 1: the password session expired; log in again."""

    retryable = True


class K3BusinessError(K3Error):
    """The ERP answered and refused: ``IsSuccess`` false, or a wrapped query error."""


def _is_true(value) -> bool:
    """``IsSuccess`` may come as a boolean or as the string "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _status_error(status: dict) -> K3Error:
    errors = status.get("Errors") or []
    messages = [e.get("Message") or "" for e in errors if isinstance(e, dict)]
    reason = "; ".join(m for m in messages if m) or "the ERP refused the call"
    msg_code = status.get("MsgCode")
    if msg_code == MSG_CONTEXT_LOST:
        return K3SessionLost(reason, msg_code=msg_code, errors=errors, status=status)
    return K3BusinessError(reason, msg_code=msg_code, errors=errors, status=status)


def check(body: Any) -> Any:
    """Raise the error a parsed body carries, else return it (rows or ``Result``)."""
    if isinstance(body, list):
        # Rows, or the double-wrapped error: [[{"Result": {"ResponseStatus": …}}]].
        if body and isinstance(body[0], list) and body[0]:
            first = body[0][0]
            if isinstance(first, dict) and "Result" in first:
                raise _status_error(first["Result"].get("ResponseStatus") or {})
        return body
    if isinstance(body, dict):
        result = body.get("Result")
        if isinstance(result, dict) and isinstance(result.get("ResponseStatus"), dict):
            status = result["ResponseStatus"]
            if not _is_true(status.get("IsSuccess")):
                raise _status_error(status)
        return body
    raise K3BusinessError(f"unexpected answer: {str(body)[:200]}")


class K3Client:
    """One connection to one K/3 Cloud data centre (thread-safe)."""

    def __init__(
        self,
        config: K3Config,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._session_id = ""
        self._http = httpx.Client(
            base_url=config.url,
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 10)),
            verify=True,
            transport=transport,
            headers={"Content-Type": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- transport --------------------------------------------------------------------
    def _post(self, service: str, payload: dict) -> Any:
        url = f"{service}.common.kdsvc"
        headers = {}
        if self.config.signed:
            path = urlsplit(self.config.url + url).path
            headers = signature.headers(
                path=path,
                acct_id=self.config.acct_id,
                username=self.config.username,
                app_id=self.config.app_id,
                app_secret=self.config.app_secret,
                lcid=self.config.lcid,
                timestamp=int(self._clock()),
            )
        if self._session_id:
            headers[SESSION_COOKIE] = self._session_id
            self._http.cookies.set(SESSION_COOKIE, self._session_id)
        try:
            response = self._http.post(
                url, content=json.dumps(payload), headers=headers
            )
        except httpx.TimeoutException as exc:
            raise K3Unreachable(f"timed out: {service}", timeout=True) from exc
        except httpx.HTTPError as exc:
            raise K3Unreachable(f"cannot reach the ERP: {exc}") from exc
        if not response.is_success:
            raise K3Unreachable(
                f"HTTP {response.status_code}: {response.text[:200]}",
                http_status=response.status_code,
            )
        if session := response.headers.get(SESSION_COOKIE):
            self._session_id = session
        try:
            return response.json()
        except ValueError as exc:
            raise K3BusinessError(f"not JSON: {response.text[:200]}") from exc

    # --- session ----------------------------------------------------------------------
    def login(self) -> None:
        """Password session login (``ValidateUser``); nothing to do with signatures."""
        if self.config.signed:
            return
        body = self._post(
            f"{AUTH_SERVICE}.ValidateUser",
            {
                "acctid": self.config.acct_id,
                "username": self.config.username,
                "password": self.config.password,
                "lcid": self.config.lcid,
            },
        )
        if not isinstance(body, dict) or body.get("LoginResultType") != 1:
            message = body.get("Message") if isinstance(body, dict) else None
            raise K3LoginFailed(message or "the ERP refused the login")
        self._session_id = body.get("KDSVCSessionId") or self._session_id

    def _call(self, operation: str, data: dict, *, read: bool) -> Any:
        with self._lock:
            if not self.config.signed and not self._session_id:
                self.login()
        service = f"{FORM_SERVICE}.{operation}"
        try:
            return check(self._post(service, {"data": data} | _formid(data)))
        except K3SessionLost as exc:
            if self.config.signed:
                raise K3LoginFailed(
                    f"the ERP refused the signature: {exc.reason}"
                ) from exc
            with self._lock:
                self._session_id = ""
                self.login()
            if not read:
                raise  # never repeat a write blindly: the caller looks it up first
            log.info("K/3 session lost; logged in again, repeating the read once")
            return check(self._post(service, {"data": data} | _formid(data)))

    # --- operations -------------------------------------------------------------------
    def query(
        self,
        *,
        form_id: str,
        field_keys: list[str],
        filter_string: str = "",
        order_string: str = "",
        start_row: int = 0,
        limit: int = 2000,
    ) -> list[list]:
        """One page of ``ExecuteBillQuery``: rows as lists in ``field_keys`` order."""
        rows = self._call(
            "ExecuteBillQuery",
            {
                "FormId": form_id,
                "FieldKeys": ",".join(field_keys),
                "FilterString": filter_string,
                "OrderString": order_string,
                "TopRowCount": 0,
                "StartRow": start_row,
                "Limit": limit,
            },
            read=True,
        )
        if not all(isinstance(row, list) for row in rows):
            raise K3BusinessError(f"{form_id}: rows are not lists")
        return rows

    def pages(
        self,
        *,
        form_id: str,
        field_keys: list[str],
        filter_string: str = "",
        order_string: str,
        page_size: int | None = None,
    ) -> Iterator[list[dict]]:
        """Every page of a query, each row a dict by field key, until a short page.

        ``order_string`` must order completely (ends with the id) or pages shift.
        """
        size = page_size or self.config.page_size
        start = 0
        while True:
            rows = self.query(
                form_id=form_id,
                field_keys=field_keys,
                filter_string=filter_string,
                order_string=order_string,
                start_row=start,
                limit=size,
            )
            yield [dict(zip(field_keys, row, strict=False)) for row in rows]
            if len(rows) < size:
                return
            start += len(rows)

    def view(self, *, form_id: str, number: str) -> dict | None:
        """One bill by number, or None when the ERP has no such bill."""
        try:
            body = self._call("View", {"formid": form_id, "Number": number}, read=True)
        except K3BusinessError as exc:
            if exc.msg_code in (None, 10) or "不存在" in exc.reason:
                return None
            raise
        result = body.get("Result") or {}
        return result.get("Result") or None

    def save(self, *, form_id: str, model: dict, return_fields=("FID", "FBillNo")):
        """Save one bill; returns (id, number)."""
        body = self._call(
            "Save",
            {
                "formid": form_id,
                "NeedReturnFields": list(return_fields),
                "IsDeleteEntry": "true",
                "Model": model,
            },
            read=False,
        )
        result = body["Result"]
        return result.get("Id"), result.get("Number")

    def batch_save(self, *, form_id: str, models: list[dict]) -> tuple[list, list]:
        """Save many bills at once; K/3 may take some and refuse others. Returns
        (saved ``SuccessEntitys``, refused ``Errors``), each with its ``DIndex``."""
        try:
            body = self._call(
                "BatchSave", {"formid": form_id, "Model": models}, read=False
            )
        except K3BusinessError as exc:
            status = exc.status or {}
            return status.get("SuccessEntitys") or [], exc.errors
        status = body["Result"]["ResponseStatus"]
        return status.get("SuccessEntitys") or [], []

    def push_down(
        self, *, form_id: str, rule_id: str, numbers: list[str]
    ) -> list[tuple]:
        """下推: make the target bills of conversion rule ``rule_id`` from the source
        bills ``numbers`` of ``form_id`` (``DynamicFormService.Push``); returns the
        (id, number) of each bill made. A write: never repeated blindly."""
        body = self._call(
            "Push",
            {"formid": form_id, "Numbers": numbers, "RuleId": rule_id},
            read=False,
        )
        status = body["Result"]["ResponseStatus"]
        return [
            (entity.get("Id"), entity.get("Number"))
            for entity in status.get("SuccessEntitys") or []
        ]

    def operate(self, operation: str, *, form_id: str, numbers: list[str]) -> dict:
        """Submit, Audit, UnAudit or Delete bills by number."""
        return self._call(
            operation, {"formid": form_id, "Numbers": numbers}, read=False
        )


def _formid(data: dict) -> dict:
    """Write calls also name the form beside ``data`` (as Kingdee's SDK sends them)."""
    return {"formid": data["formid"]} if "formid" in data else {}
