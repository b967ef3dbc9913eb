"""EventLedger: each event_id handled once, with ids that arrive together written together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.slack.dedup import EventLedger
from bot.db.engine import Database
from bot.db.inbound import seen_before


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'dedup.db'}")
    await database.create_all()
    yield database
    await database.dispose()


async def test_first_is_new_repeats_are_not(db: Database):
    ledger = EventLedger(db)
    assert await ledger.seen_before("Ev1") is False
    assert await ledger.seen_before("Ev1") is True
    assert await ledger.seen_before("Ev2") is False


async def test_a_burst_with_copies_answers_each_id_once(db: Database):
    ledger = EventLedger(db)
    ids = [f"Ev{n % 50}" for n in range(400)]  # every id eight times, all at once
    results = await asyncio.gather(*(ledger.seen_before(i) for i in ids))
    fresh = [i for i, repeat in zip(ids, results, strict=True) if not repeat]
    assert sorted(fresh) == sorted(set(ids))


async def test_agrees_with_the_shared_rule(db: Database):
    # Another process (or code path) using bot.db.inbound sees the same table.
    ledger = EventLedger(db, "slack")
    assert await seen_before(db, "slack", "Ev9") is False
    assert await ledger.seen_before("Ev9") is True
    assert await ledger.seen_before("Ev10") is False
    assert await seen_before(db, "slack", "Ev10") is True
    assert await seen_before(db, "telegram", "Ev10") is False


async def test_database_errors_reach_the_caller_and_the_ledger_recovers(
    db: Database, tmp_path: Path
):
    empty = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")  # no tables
    broken = EventLedger(empty)
    try:
        with pytest.raises(Exception, match="inbound_updates"):
            await broken.seen_before("Ev1")
        await empty.create_all()
        assert await broken.seen_before("Ev1") is False  # the next write works again
    finally:
        await empty.dispose()
