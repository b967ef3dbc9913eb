"""The one HTTP server of a process: Telegram webhook, Slack events, calendars, health.

Adapters and features add their routes to a :class:`WebServer` before it starts; the
server itself knows nothing about them.
"""

from __future__ import annotations

import logging
import os

from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from bot.startup import ExitCode, StartupError
from bot.web.logs import ServerLog, parse_error, unparsable

__all__ = ["MAX_BODY", "WebServer"]

log = logging.getLogger(__name__)

# Larger request bodies are refused with 413 before any work is done.
MAX_BODY = 1024 * 1024


@web.middleware
async def _refuse_unparsable(
    request: web.Request,
    handler: web.RequestHandler,  # type: ignore[name-defined]
) -> web.StreamResponse:
    """A body aiohttp cannot parse, met while a handler reads it (a broken chunked encoding,
    a bad compression): 400 and one WARNING line, as for a request line it cannot parse. A
    client that leaves in the middle of its body: one DEBUG line.

    A compressed body is refused (415) before anyone reads it: neither Slack nor Telegram
    compresses what it sends, and aiohttp could wait forever on a large body that claims
    a compression it does not have.
    """
    encoding = request.headers.get(hdrs.CONTENT_ENCODING, "identity").strip().lower()
    if request.can_read_body and encoding not in ("", "identity"):
        log.warning("web: refused a compressed request body from %s (415)", request.remote)
        return web.Response(status=415, text="compressed bodies are not accepted")
    try:
        return await handler(request)
    except ConnectionResetError:
        # The client went away before its body arrived: nobody to answer, nothing to fix.
        log.debug("web: %s went away in the middle of a request", request.remote)
        return web.Response(status=400, text="incomplete request")
    except (HttpProcessingError, RequestPayloadError) as exc:
        error = parse_error(exc) or exc
        log.warning(
            "web: refused an unparsable request from %s (%s)", request.remote, unparsable(error)
        )
        return web.Response(status=400, text="bad request")


def _reason(error: OSError) -> str:
    # asyncio's bind error repeats the address around the system's reason: keep the reason.
    if error.errno and error.errno > 0:  # name lookups' errors are negative: no strerror
        return os.strerror(error.errno)
    return error.strerror or type(error).__name__


class WebServer:
    """An aiohttp application on ``host:port`` that others mount routes on."""

    def __init__(self, host: str = "0.0.0.0", port: int = 8080) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=MAX_BODY, middlewares=[_refuse_unparsable])
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    def add_get(self, path: str, handler: web.RequestHandler) -> None:  # type: ignore[name-defined]
        """Serve GET ``path``."""
        self.app.router.add_get(path, handler)

    def add_post(self, path: str, handler: web.RequestHandler) -> None:  # type: ignore[name-defined]
        """Serve POST ``path``."""
        self.app.router.add_post(path, handler)

    @property
    def has_routes(self) -> bool:
        """Whether anything was mounted (no routes: no server needed)."""
        return bool(len(self.app.router.routes()))

    async def start(self) -> None:
        """Listen; with ``port=0`` the system picks a free port (see :attr:`port`).

        Raises:
            StartupError: ``ADDRESS``: the address is taken or not this machine's.
        """
        # No access log: its lines would hold every path, personal calendar tokens included.
        self._runner = web.AppRunner(self.app, access_log=None, logger=ServerLog())
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await self._site.start()
        except OSError as exc:  # in use, not this machine's address, an unknown name
            await self.stop()
            raise StartupError(
                f"cannot listen on HOST:PORT ({self.host}:{self.port}): "
                f"{_reason(exc)}: check HOST and PORT",
                ExitCode.ADDRESS,
            ) from None
        server = self._site._server
        if self.port == 0 and server is not None and server.sockets:  # type: ignore[union-attr]
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening and finish open requests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
