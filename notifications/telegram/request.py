"""The Bot API's HTTP client: python-telegram-bot's ``BaseRequest`` over aiohttp.

PTB ships an httpx client; on our worker machines it spends ~2.5 ms of CPU a call,
so one process cannot keep a scaled-up limit (bench/telegram_fanout.py: ~200–400
calls/s with httpx against ~5,000 with aiohttp, same fake server). The sender is
where that matters, so the sender's Bot uses this client.
"""

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One ``aiohttp.ClientSession`` per instance, created in ``initialize`` on the
    running loop, with up to ``connection_pool_size`` keep-alive connections."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 8,
        read_timeout: float | None = 10.0,
        write_timeout: float | None = 10.0,
        connect_timeout: float | None = 10.0,
        pool_timeout: float | None = 10.0,
    ):
        self._pool_size = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(self, read, write, connect, pool) -> aiohttp.ClientTimeout:
        def pick(value, key):
            return (
                self._timeouts[key]
                if isinstance(value, type(self.DEFAULT_NONE))
                else value
            )

        connect_s = pick(connect, "connect")
        pool_s = pick(pool, "pool")
        return aiohttp.ClientTimeout(
            total=None,
            # aiohttp counts waiting for a pooled connection into ``connect``
            connect=None if connect_s is None else connect_s + (pool_s or 0),
            sock_connect=connect_s,
            sock_read=max(
                x
                for x in (pick(read, "read"), pick(write, "write"), 0.0)
                if x is not None
            )
            or None,
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        data = None
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                data = aiohttp.FormData()
                for key, value in request_data.json_parameters.items():
                    data.add_field(key, value)
                for name, (filename, content, mimetype) in files.items():
                    data.add_field(
                        name, content, filename=filename, content_type=mimetype
                    )
            else:
                data = request_data.json_parameters
        timeout = self._timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        try:
            async with self._session.request(
                method, url, data=data, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
