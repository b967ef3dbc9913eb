"""Inbound deduplication: an update is handled once, however many processes receive it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.inbound import prune_inbound, seen_before
from bot.db.models import InboundUpdate, utcnow


async def test_first_time_is_new_then_a_repeat(db: Database) -> None:
    assert await seen_before(db, "telegram", "1001") is False
    assert await seen_before(db, "telegram", "1001") is True
    assert await seen_before(db, "telegram", "1001") is True


async def test_platforms_and_ids_are_separate(db: Database) -> None:
    assert await seen_before(db, "telegram", "42") is False
    assert await seen_before(db, "slack", "42") is False
    assert await seen_before(db, "slack", "Ev0PV52K21") is False
    assert await seen_before(db, "slack", "Ev0PV52K22") is False
    assert await seen_before(db, "slack", "Ev0PV52K21") is True


async def test_racing_web_processes_handle_an_update_once(database_url: str, db: Database) -> None:
    # Eight "web processes", each its own engine and connections, get the same retried update.
    others = [Database(database_url) for _ in range(8)]
    try:
        for round_ in range(5):
            answers = await asyncio.gather(
                *(seen_before(other, "slack", f"Ev{round_}") for other in others)
            )
            assert sorted(answers) == [False] + [True] * 7
    finally:
        for other in others:
            await other.dispose()


async def test_old_updates_are_pruned_recent_ones_kept(db: Database) -> None:
    now = utcnow()
    async with db.write() as session:
        session.add(
            InboundUpdate(platform="telegram", update_id="old", received_at=now - timedelta(days=9))
        )
        session.add(
            InboundUpdate(
                platform="telegram", update_id="new", received_at=now - timedelta(hours=1)
            )
        )
    assert await prune_inbound(db, now=now) == 1
    assert await prune_inbound(db, now=now) == 0
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(InboundUpdate)) == 1
    assert await seen_before(db, "telegram", "new") is True
    assert await seen_before(db, "telegram", "old") is False
