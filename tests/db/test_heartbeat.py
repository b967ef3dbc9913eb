"""Heartbeats: the clock's last tick, readable by /healthz and staff."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.db.engine import Database
from bot.db.heartbeat import beat, last
from bot.db.models import utcnow


async def test_never_beaten_is_none(db: Database) -> None:
    assert await last(db, "clock") is None


async def test_last_beat_wins(db: Database) -> None:
    t0 = utcnow() - timedelta(minutes=2)
    await beat(db, "clock", {"tick": 1, "planned": 3}, at=t0)
    await beat(db, "clock", {"tick": 2}, at=t0 + timedelta(seconds=30))
    got = await last(db, "clock")
    assert got is not None
    assert got.name == "clock"
    assert got.at == t0 + timedelta(seconds=30)
    assert got.at.tzinfo is not None
    assert got.detail == {"tick": 2}
    assert got.age(t0 + timedelta(seconds=110)) == timedelta(seconds=80)


async def test_names_are_separate_and_concurrent_beats_do_not_fail(
    database_url: str, db: Database
) -> None:
    others = [Database(database_url) for _ in range(4)]
    try:
        await asyncio.gather(
            *(beat(other, "clock", {"pid": i}) for i, other in enumerate(others) for _ in range(3))
        )
    finally:
        for other in others:
            await other.dispose()
    await beat(db, "sender:telegram")
    clock, sender = await last(db, "clock"), await last(db, "sender:telegram")
    assert clock is not None and clock.detail["pid"] in range(4)
    assert sender is not None and sender.detail == {}
