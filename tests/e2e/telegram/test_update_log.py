"""UpdateLog: update ids recorded in batches, each handled once, across processes too."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import event, func, select

from bot.adapters.telegram.adapter import UpdateLog
from bot.db.engine import Database
from bot.db.models import InboundUpdate


async def _database(tmp_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'log.db'}")
    await db.create_all()
    return db


async def test_a_burst_is_one_transaction_and_repeats_are_caught(tmp_path: Path) -> None:
    db = await _database(tmp_path)
    begins = []
    event.listen(db.engine.sync_engine, "begin", lambda conn: begins.append(1))
    try:
        log = UpdateLog(db, "telegram")
        ids = [str(i) for i in range(100)] + ["5", "7"]
        results = await asyncio.gather(*(log.seen_before(i) for i in ids))
        assert results == [False] * 100 + [True, True]
        assert len(begins) == 1
        assert await log.seen_before("42") is True
        assert await log.seen_before("100") is False
        async with db.read() as session:
            assert await session.scalar(select(func.count()).select_from(InboundUpdate)) == 101
    finally:
        await db.dispose()


async def test_two_processes_racing_on_the_same_ids(tmp_path: Path) -> None:
    one, two = await _database(tmp_path), Database(f"sqlite+aiosqlite:///{tmp_path / 'log.db'}")
    try:
        a, b = UpdateLog(one, "telegram"), UpdateLog(two, "telegram")
        ids = [str(i) for i in range(50)]
        first, second = await asyncio.gather(
            asyncio.gather(*(a.seen_before(i) for i in ids)),
            asyncio.gather(*(b.seen_before(i) for i in ids)),
        )
        # Exactly one of the two handles each update.
        assert all(x != y for x, y in zip(first, second, strict=True))
        assert await UpdateLog(one, "slack").seen_before("1") is False  # per platform
    finally:
        await one.dispose()
        await two.dispose()


async def test_a_database_failure_is_reported_to_every_waiter(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")  # no tables
    try:
        log = UpdateLog(db, "telegram")
        results = await asyncio.gather(
            log.seen_before("1"), log.seen_before("2"), return_exceptions=True
        )
        assert all(isinstance(r, Exception) for r in results)
    finally:
        await db.dispose()
