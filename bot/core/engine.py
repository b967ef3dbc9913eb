"""The core: one message in, replies out, whatever the platform."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol

from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.context import Context, UserState
from bot.core.messages import Incoming, Reply
from bot.core.ports import Clock
from bot.core.router import Handler, Query, Router
from bot.core.user_cache import KnownUser, UserCache
from bot.core.user_facts import new_user, pending_changes
from bot.db.engine import Database
from bot.db.user_writes import UserWriter
from bot.db.users import create_user, find_user
from bot.i18n.catalog import Catalog

__all__ = ["MAX_INPUT", "Core", "LanguagePort"]

log = logging.getLogger(__name__)

# Changes the user or the settings decided are saved before the answer (a new user's row is
# created with its language); later changes of what is inferred (language last seen, locale,
# chat, last seen at) are saved a moment after it, many users per transaction.
_DECISIONS = frozenset({"language_choice", "role"})

# Longer messages are cut before understanding: nobody asks a question in 4,000 characters,
# and it keeps every step's cost bounded.
MAX_INPUT = 4000
# Control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


class _Resolution(Protocol):
    language: str
    source: str
    explicit_choice: str | None


class LanguagePort(Protocol):
    """The language resolver, as the core uses it."""

    def resolve(
        self, text: str, *, chosen: str | None, hint: str | None, previous: str | None
    ) -> _Resolution: ...


class Core:
    """Resolves the language, finds the route, runs the handler, remembers the user."""

    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        resolver: LanguagePort,
        content: ContentStore,
        router: Router,
        fallback: Handler,
        clock: Clock,
        settings: Settings,
        services: Mapping[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.resolver = resolver
        self.content = content
        self.router = router
        self.fallback = fallback
        self.clock = clock
        self.settings = settings
        self.services = dict(services or {})
        self.users = UserCache()
        self.writes = UserWriter(db)

    async def close(self) -> None:
        """Write the users' changes still queued."""
        await self.writes.close()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message or button press; never raises for bad input."""
        text = _clean(incoming.text)
        row = self.users.get(incoming.platform, incoming.user_id)
        if row is None:
            found = await find_user(self.db, incoming.platform, incoming.user_id)
            row = None if found is None else KnownUser.from_row(found)
        resolution = self.resolver.resolve(
            text,
            chosen=None if row is None else row.language_choice,
            hint=incoming.locale_hint,
            previous=None if row is None else row.language,
        )
        language = resolution.language
        choice = resolution.explicit_choice
        created = row is None
        if row is None:  # first contact: the row is born with its language, one transaction
            found = await create_user(
                self.db,
                new_user(incoming, self.settings),
                language=language,
                language_choice=choice,
            )
            row = KnownUser.from_row(found)
        changes = pending_changes(row, incoming, self.settings)
        if row.language != language:
            changes["language"] = language
        if choice and row.language_choice != choice:
            changes["language_choice"] = choice
        if changes:
            if not _DECISIONS.isdisjoint(changes):
                await self.writes.now(row.id, changes)
            else:
                self.writes.later(row.id, changes)
            row = row.with_(**changes)
        user = UserState(
            id=row.id,
            platform=row.platform,
            platform_user_id=row.platform_user_id,
            chat_id=row.chat_id,
            language=language,
            language_choice=row.language_choice,
            timezone=row.timezone,
            role=row.role,
            is_new=created,
        )
        ctx = Context(
            incoming=incoming,
            user=user,
            language=language,
            clock=self.clock,
            content=self.content.index,
            db=self.db,
            catalog=self.catalog,
            settings=self.settings,
            services=self.services,
            language_source=resolution.source,
            explicit_choice=choice,
        )
        query = Query.parse(text, language, incoming.action)
        try:
            found = self.router.route(query, ctx)
            if found is None:
                replies = await self.fallback(ctx, {"query": query})
            else:
                route, args = found
                replies = await route.handler(ctx, {**args, "query": query})
        except Exception:
            log.exception("handler failed (platform=%s, user=%s)", incoming.platform, user.id)
            self.users.drop(incoming.platform, incoming.user_id)
            replies = [ctx.reply(ctx.t("core.error"))]
        else:
            # Handlers that change the user (language, time zone) change ctx.user too.
            after = ctx.user
            if (after.language, after.language_choice, after.timezone) != (
                row.language,
                row.language_choice,
                row.timezone,
            ):
                row = row.with_(
                    language=after.language,
                    language_choice=after.language_choice,
                    timezone=after.timezone,
                )
            self.users.put(row)
        return replies or [ctx.reply(ctx.t("core.error"))]


def _clean(text: str) -> str:
    # Control characters (other than newlines and tabs) carry no meaning and can break
    # platform formatting; very long input is cut.
    return _CONTROL.sub("", text[:MAX_INPUT]).strip()
