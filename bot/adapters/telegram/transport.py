"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

PTB lets an application bring its own transport by implementing
:class:`telegram.request.BaseRequest` (``initialize``, ``shutdown``, ``read_timeout``,
``do_request``); everything above it — building the parameters, mapping 429/403/400/5xx to
``RetryAfter``/``Forbidden``/``BadRequest``/``NetworkError``, decoding the answer — stays
PTB's. We use aiohttp because the bot already runs on it (web server, Slack client) and it
costs about half of httpx's CPU per request: with a local Bot API server the transport was
the largest part of answering a message.

Requests are sent as PTB's default transport sends them: form-encoded fields
(``json_parameters``), or multipart when there are files.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]


class AiohttpRequest(BaseRequest):
    """A :class:`~telegram.request.BaseRequest` on one :class:`aiohttp.ClientSession`.

    Args:
        connections: Most open connections (calls beyond wait for one, up to
            ``pool_timeout``).
        connect_timeout: Seconds to open a connection.
        read_timeout: Seconds to wait for data of an answer (PTB adds the long-polling
            timeout for ``getUpdates``).
        write_timeout: Kept for PTB's interface; aiohttp bounds sending by ``read_timeout``'s
            socket timeout and the total.
        pool_timeout: Seconds to wait for a free connection.
    """

    __slots__ = (
        "_connect_timeout",
        "_connections",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        *,
        connections: int = 10,
        connect_timeout: float | None = 10.0,
        read_timeout: float | None = 20.0,
        write_timeout: float | None = 20.0,
        pool_timeout: float | None = 10.0,
    ) -> None:
        self._connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    def _proxy_for(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            self._proxies[origin] = _proxy_for_origin(parts.scheme, parts.hostname or "")
        return self._proxies[origin]

    @property
    def read_timeout(self) -> float | None:
        """See :attr:`telegram.request.BaseRequest.read_timeout`."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after :meth:`shutdown`)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )
            # Not trust_env=True: aiohttp would then read the environment and ~/.netrc on
            # every request (a quarter of the bot's CPU per update). The proxy variables
            # are read once per origin instead (see _proxy_for).
            self._proxies = {}

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`telegram.request.BaseRequest.do_request`."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, self._write_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None if read is None or write is None else read + write,
            connect=_given(pool_timeout, self._pool_timeout),
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=read,
        )
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            files = request_data.multipart_data
            data = (
                _form(request_data.json_parameters, files)
                if files
                else request_data.json_parameters
            )
        try:
            proxy = self._proxy_for(url)
            async with session.request(
                method, url, data=data, timeout=timeout, proxy=proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _proxy_for_origin(scheme: str, host: str) -> str | None:
    """The proxy that ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` give for an origin."""
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(scheme)


def _given(value: float | object | None, default: float | None) -> float | None:
    # PTB passes its DEFAULT_NONE sentinel for "not given", None for "no limit".
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value if value is None else float(value)  # type: ignore[arg-type]


def _form(fields: dict[str, str], files: dict[str, tuple[str, object, str]]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
