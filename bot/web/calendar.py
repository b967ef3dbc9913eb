"""The calendar feeds over HTTP: ``/calendar.ics?lang=…`` (every plan year; ``&year=2020``
for one plan) and ``/calendar/<token>.ics``.

The web process may run apart from the one that reloads the content (``python -m bot serve``
next to ``clock``), so the index is re-read from the database, the source of truth, at most
every ``refresh_seconds`` before a feed is built.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web

from bot.calendars import feed_owner, subscriptions_of
from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.ports import Clock
from bot.db.engine import Database
from bot.i18n.catalog import LANGUAGES, Catalog
from bot.web.server import WebServer
from content.ical import feed_filename, personal_feed, plan_feed
from content.index import ContentIndex

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["CONTENT_TYPE", "CalendarFeeds", "mount"]

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/calendar"
# Calendar apps poll; five minutes of caching costs nobody anything.
_PUBLIC_CACHE = "public, max-age=300"
# A personal feed is nobody else's business: no shared cache may keep it.
_PRIVATE_CACHE = "private, max-age=300"


class CalendarFeeds:
    """The two feed endpoints, given the parts of the app they read."""

    def __init__(
        self,
        *,
        db: Database,
        content: ContentStore,
        catalog: Catalog,
        clock: Clock,
        settings: Settings,
        refresh_seconds: float = 60.0,
    ) -> None:
        self.db = db
        self.content = content
        self.catalog = catalog
        self.clock = clock
        self.settings = settings
        self.refresh_seconds = refresh_seconds
        self._refreshed_at = float("-inf")
        self._lock = asyncio.Lock()

    def mount(self, server: WebServer) -> None:
        """Add the routes to ``server``."""
        server.add_get("/calendar.ics", self.plan)
        server.add_get(r"/calendar/{token:[A-Za-z0-9_-]{1,128}}.ics", self.personal)

    async def index(self) -> ContentIndex:
        """The content, re-read from the database when the copy in memory is old."""
        if time.monotonic() - self._refreshed_at >= self.refresh_seconds:
            async with self._lock:
                if time.monotonic() - self._refreshed_at >= self.refresh_seconds:
                    try:
                        await self.content.refresh()
                    except Exception:
                        # Serve the copy we have; a feed a minute old beats no feed.
                        log.exception("calendar: could not re-read the content")
                        try:
                            return self.content.index
                        except RuntimeError:
                            raise web.HTTPServiceUnavailable() from None
                    self._refreshed_at = time.monotonic()
        return self.content.index

    async def plan(self, request: web.Request) -> web.Response:
        """GET /calendar.ics?lang=es|en|fr (English by default): every plan year's items;
        with ``&year=2020``, that plan's only."""
        language = request.query.get("lang", "en").strip().lower() or "en"
        if language not in LANGUAGES:
            raise web.HTTPBadRequest(text="lang must be one of: es, en, fr\n")
        index = await self.index()
        year = None
        asked = request.query.get("year", "").strip()
        if asked:
            if not asked.isdigit() or int(asked) not in index.plans:
                known = ", ".join(str(y) for y in index.years)
                raise web.HTTPNotFound(text=f"no work plan for {asked[:8]!r} (plans: {known})\n")
            year = int(asked)
        body = plan_feed(index, language, self.catalog, self.clock.now(), year)
        return _ics(body, feed_filename(index, language, year), _PUBLIC_CACHE)

    async def personal(self, request: web.Request) -> web.Response:
        """GET /calendar/<token>.ics: what the token's owner follows, in their language."""
        owner = await feed_owner(self.db, request.match_info["token"])
        if owner is None:
            # The same answer as for any path that does not exist.
            raise web.HTTPNotFound()
        language = owner.language if owner.language in LANGUAGES else None
        language = language or self.settings.default_language
        subscriptions = await subscriptions_of(self.db, owner.user_id)
        index = await self.index()
        body, _count = personal_feed(index, subscriptions, language, self.catalog, self.clock.now())
        response = _ics(body, feed_filename(index, "my-calendar"), _PRIVATE_CACHE)
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def _ics(body: bytes, filename: str, cache: str) -> web.Response:
    response = web.Response(body=body, content_type=CONTENT_TYPE, charset="utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    return response


def mount(server: WebServer, app: App) -> CalendarFeeds:
    """Serve the calendar feeds of ``app`` on ``server``."""
    feeds = CalendarFeeds(
        db=app.db,
        content=app.content,
        catalog=app.catalog,
        clock=app.clock,
        settings=app.settings,
    )
    feeds.mount(server)
    return feeds
