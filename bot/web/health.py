"""``/healthz``: is the database reachable, and when did the clock last tick?

200 with ``{"status": "ok", "database": "ok", "clock": {...} | null}`` when a query and a read
of the ``heartbeats`` table succeed within the timeout; 503 with ``"database": "unavailable"``
otherwise. The error's class is reported, never its message (it may hold a host name or a
query). The clock's age is reported, not judged: the web process stays healthy while the
clock process is down; whoever watches decides what age is too old.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import text

from bot.db.engine import Database
from bot.db.models import Heartbeat, utcnow
from bot.web.server import WebServer

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["CLOCK_HEARTBEAT", "Health", "mount"]

log = logging.getLogger(__name__)

CLOCK_HEARTBEAT = "clock"


class Health:
    """Checks the database and reads the clock's heartbeat."""

    def __init__(self, db: Database, *, timeout: float = 3.0) -> None:
        self.db = db
        self.timeout = timeout

    def mount(self, server: WebServer) -> None:
        """Add ``GET /healthz`` to ``server``."""
        server.add_get("/healthz", self.handle)

    async def check(self) -> tuple[int, dict[str, Any]]:
        """The HTTP status and the JSON body of a health check."""
        try:
            async with asyncio.timeout(self.timeout):
                async with self.db.read() as session:
                    await session.execute(text("SELECT 1"))
                    beat = await session.get(Heartbeat, CLOCK_HEARTBEAT)
                    beat_at = beat.at if beat is not None else None
        except Exception as exc:
            log.warning("healthz: database unavailable (%s)", type(exc).__name__)
            return 503, {
                "status": "unavailable",
                "database": "unavailable",
                "error": "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__,
            }
        return 200, {"status": "ok", "database": "ok", "clock": _clock(beat_at)}

    async def handle(self, request: web.Request) -> web.Response:
        """GET /healthz."""
        status, body = await self.check()
        response = web.json_response(body, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response


def _clock(at: datetime | None) -> dict[str, Any] | None:
    if at is None:
        return None
    return {
        "last_tick": at.isoformat(),
        "age_seconds": round((utcnow() - at).total_seconds(), 1),
    }


def mount(server: WebServer, app: App) -> Health:
    """Serve ``/healthz`` for ``app``'s database on ``server``."""
    health = Health(app.db)
    health.mount(server)
    return health
