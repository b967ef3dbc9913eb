"""Engine and session factory, built at start-up by the composition root (never at import)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy import insert as sql_insert
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.models import Base

__all__ = ["CONNECT_TIMEOUT", "Database"]

# Seconds to open a PostgreSQL connection.
CONNECT_TIMEOUT = 10.0


def _use_wal(cursor: Any) -> None:
    """Put the database file in WAL mode (it stays so: later connections find it done).

    Switching needs an exclusive lock, and SQLite answers "database is locked" at once,
    without waiting, when other connections are switching the same new file at the same
    moment (processes starting together). Whoever succeeds switches it for all: a loser
    looks again, briefly, instead of failing.
    """
    for attempt in range(50):
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:  # the driver's OperationalError, whichever driver
            if "locked" not in str(exc) or attempt == 49:
                raise
        time.sleep(0.02)  # at start-up only, on a brand-new file


class Database:
    """One engine and its session factory.

    SQLite runs in WAL mode with a busy timeout, and :meth:`write` opens its transaction
    with ``BEGIN IMMEDIATE`` so that read-then-write transactions queue instead of failing
    with "database is locked".
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        parsed = make_url(url)
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=5, max_overflow=5, pool_pre_ping=True)
            # asyncpg waits 60 s for a server that does not answer: start-up (and a request
            # needing a new connection) should give up sooner and say so.
            kwargs["connect_args"] = {"timeout": CONNECT_TIMEOUT}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            self._configure_sqlite()
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def _configure_sqlite(self) -> None:
        sync_engine = self.engine.sync_engine

        @event.listens_for(sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            _use_wal(cursor)
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "BEGIN")
            conn.exec_driver_sql(mode)

    def insert(self, table: Any) -> Any:
        """An ``INSERT`` for this database's dialect, with ``on_conflict_do_*`` available."""
        dialect = sqlite_dialect if self.is_sqlite else postgresql_dialect
        return dialect.insert(table)

    def insert_if_absent(self, table: Any, *, key: Sequence[str]) -> Any:
        """An ``INSERT`` that skips rows whose unique ``key`` is already taken.

        On SQLite it is ``INSERT OR IGNORE``: a plain, cacheable insert. SQLAlchemy compiles
        the dialects' ``on_conflict_do_nothing`` inserts again on every execution (they opt
        out of its statement cache), which costs more than the insert itself on the hot
        paths (inbound ids, new users). ``OR IGNORE`` also skips NOT NULL and CHECK
        failures, so callers give every required column. PostgreSQL keeps
        ``ON CONFLICT (key) DO NOTHING``.
        """
        if self.is_sqlite:
            return sql_insert(table).prefix_with("OR IGNORE", dialect="sqlite")
        return postgresql_dialect.insert(table).on_conflict_do_nothing(index_elements=list(key))

    async def create_all(self) -> None:
        """Create missing tables (the embedded default; migrations manage PostgreSQL)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading (and simple writes), committed on success."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction takes the write lock at once on SQLite.

        Committed when the block ends, rolled back if it raises.
        """
        async with self.sessions() as session:
            if self.is_sqlite:
                await session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
