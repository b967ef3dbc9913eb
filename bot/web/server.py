"""The one HTTP server of a process: Telegram webhook, Slack events, calendars, health.

Adapters and features add their routes to a :class:`WebServer` before it starts; the
server itself knows nothing about them.
"""

from __future__ import annotations

import logging

from aiohttp import web

__all__ = ["MAX_BODY", "WebServer"]

log = logging.getLogger(__name__)

# Larger request bodies are refused with 413 before any work is done.
MAX_BODY = 1024 * 1024


class WebServer:
    """An aiohttp application on ``host:port`` that others mount routes on."""

    def __init__(self, host: str = "0.0.0.0", port: int = 8080) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=MAX_BODY)
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
        """Listen; with ``port=0`` the system picks a free port (see :attr:`port`)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        await self._site.start()
        server = self._site._server
        if self.port == 0 and server is not None and server.sockets:  # type: ignore[union-attr]
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening and finish open requests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
