"""The composition root: settings → database → content → core. Nothing here runs at import."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.conversation.store import ConversationStore
from bot.core.content_store import ContentStore
from bot.core.engine import Core
from bot.core.language import LanguageResolver
from bot.core.ports import Clock, OffsetClock, Sender, SystemClock
from bot.db.change_feed import ChangeFeed
from bot.db.engine import Database
from bot.db.schema import SchemaError, ensure_schema
from bot.i18n.catalog import Catalog
from bot.startup import database_unusable, open_database
from handlers import handlers

__all__ = ["App", "build_app", "build_senders", "clock_for"]

log = logging.getLogger(__name__)


def clock_for(settings: Settings) -> Clock:
    """The real clock, or the real clock moved: to ``BOT_NOW`` (date and time of day), or to
    ``BOT_TODAY``/``--today`` (the date; the time of day stays the real one). Either way it
    keeps running, so ticks, retries and leases still come due."""
    if settings.now is not None:
        return OffsetClock(settings.now)
    if settings.today is None:
        return SystemClock(settings.tz)
    now = datetime.now(settings.tz)
    return OffsetClock(datetime.combine(settings.today, now.time(), settings.tz))


def build_senders(settings: Settings) -> list[Sender]:
    """A sender for each platform that is configured, and the console's (handed to the
    scheduler, which knows them only as :class:`~bot.core.ports.Sender`)."""
    from bot.adapters.console import ConsoleSender

    senders: list[Sender] = []
    if settings.telegram_token:
        from bot.adapters.telegram.sender import TelegramSender

        senders.append(TelegramSender(settings.telegram_token, settings.telegram_api_url))
    if settings.slack_bot_token:
        from bot.adapters.slack.sender import SlackSender

        senders.append(SlackSender(settings.slack_bot_token, settings.slack_api_url))
    senders.append(ConsoleSender())
    return senders


@dataclass
class App:
    """The assembled bot: what adapters, the scheduler and the CLI are given."""

    settings: Settings
    db: Database
    content: ContentStore
    catalog: Catalog
    clock: Clock
    core: Core

    async def close(self) -> None:
        """Save what the core still holds, then release the database connections."""
        try:
            await self.core.close()
        finally:
            await self.db.dispose()


async def build_app(settings: Settings, *, clock: Clock | None = None) -> App:
    """Assemble the bot: create the schema if needed, load the content, build the core.

    Whatever it opened is closed again if it fails or is cancelled (a signal during start-up).

    Raises:
        StartupError: ``DATABASE_URL`` is unusable, or the database cannot be reached or
            migrated.
        ContentError: The content files are broken (and the database has no content yet).
    """
    db = open_database(settings.database_url)
    try:
        return await _assemble(settings, db, clock)
    except BaseException:
        await db.dispose()
        raise


async def _assemble(settings: Settings, db: Database, clock: Clock | None) -> App:
    try:
        await ensure_schema(db)  # migrations; one quick query when already at head
    except (SQLAlchemyError, SchemaError, OSError, TimeoutError) as exc:
        # The first connection: refused, timed out, unknown host, wrong password, missing
        # database (asyncpg's own errors reach here wrapped in SQLAlchemy's), or a schema
        # this code cannot use.
        raise database_unusable(exc, settings.database_url) from exc
    catalog = Catalog.load()
    content = ContentStore(db, settings.content_dir)
    await content.sync()
    clock = clock or clock_for(settings)
    resolver = LanguageResolver(default=settings.default_language)
    resolver.warm_up()  # at start-up, so the first member to write does not wait for it
    core = Core(
        db=db,
        catalog=catalog,
        resolver=resolver,
        content=content,
        handlers=handlers(),
        clock=clock,
        settings=settings,
        # Several processes share PostgreSQL: each hears which conversations the others
        # wrote, so it need not read the row on every message.
        conversations=ConversationStore(
            db,
            idle_seconds=settings.conversation_idle_minutes * 60,
            feed=None if db.is_sqlite else ChangeFeed(db, "conversations"),
        ),
    )
    return App(settings, db, content, catalog, clock, core)
