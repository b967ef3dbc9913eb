"""Transaction-scoped named locks, for read-then-write work several processes may start at once.

SQLite needs none: :meth:`~bot.db.engine.Database.write` already opens its transaction with
``BEGIN IMMEDIATE``, which serialises writers. PostgreSQL runs writers side by side, so a
"read what exists, insert what is missing" transaction (loading the content at start-up, in
every process) takes ``pg_advisory_xact_lock`` first; the lock goes with the commit.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["lock_key", "xact_lock"]


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name``."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def xact_lock(session: AsyncSession, name: str) -> None:
    """Wait for, then hold until the transaction ends, the lock called ``name``."""
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
