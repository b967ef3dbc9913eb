"""InboundLedger: ids that arrive together are recorded together, each handled once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, func, select, text

from bot.db.engine import Database
from bot.db.inbound import InboundLedger, seen_before
from bot.db.models import InboundUpdate


def _count_transactions(db: Database) -> list[int]:
    begins: list[int] = []
    event.listen(db.engine.sync_engine, "begin", lambda conn: begins.append(1))
    return begins


async def test_first_is_new_repeats_are_not(db: Database) -> None:
    ledger = InboundLedger(db, "slack")
    assert await ledger.seen_before("Ev1") is False
    assert await ledger.seen_before("Ev1") is True
    assert await ledger.seen_before("Ev2") is False


async def test_a_batch_is_one_transaction_and_repeats_are_caught(db: Database) -> None:
    ledger = InboundLedger(db, "telegram")
    begins = _count_transactions(db)
    ids = [str(i) for i in range(100)] + ["5", "7"]
    assert await ledger.fresh(ids) == [True] * 100 + [False, False]
    assert len(begins) == 1
    assert await ledger.fresh(["42", "100"]) == [False, True]
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(InboundUpdate)) == 101


async def test_a_burst_of_single_questions_shares_a_transaction(db: Database) -> None:
    ledger = InboundLedger(db, "slack")
    begins = _count_transactions(db)
    ids = [f"Ev{n % 50}" for n in range(400)]  # every id eight times, all at once
    results = await asyncio.gather(*(ledger.seen_before(i) for i in ids))
    fresh = [i for i, repeat in zip(ids, results, strict=True) if not repeat]
    assert sorted(fresh) == sorted(set(ids))
    assert len(begins) == 1


async def test_batches_larger_than_the_limit_are_split(db: Database) -> None:
    ledger = InboundLedger(db, "telegram", max_batch=30)
    assert await ledger.fresh([str(i) for i in range(100)]) == [True] * 100
    assert await ledger.fresh([str(i) for i in range(95, 105)]) == [False] * 5 + [True] * 5


async def test_agrees_with_the_single_id_rule(db: Database) -> None:
    ledger = InboundLedger(db, "slack")
    assert await seen_before(db, "slack", "Ev9") is False
    assert await ledger.seen_before("Ev9") is True
    assert await ledger.seen_before("Ev10") is False
    assert await seen_before(db, "slack", "Ev10") is True
    assert await seen_before(db, "telegram", "Ev10") is False  # per platform


async def test_two_processes_racing_on_the_same_ids(database_url: str, db: Database) -> None:
    other = Database(database_url)
    try:
        a, b = InboundLedger(db, "telegram"), InboundLedger(other, "telegram")
        ids = [str(i) for i in range(50)]
        first, second = await asyncio.gather(a.fresh(ids), b.fresh(ids))
        # Exactly one of the two handles each update.
        assert all(x != y for x, y in zip(first, second, strict=True))
    finally:
        await other.dispose()


async def test_database_errors_reach_every_waiter_and_the_ledger_recovers(db: Database) -> None:
    ledger = InboundLedger(db, "slack")
    async with db.write() as session:
        await session.execute(InboundUpdate.__table__.delete())
    # Break the table under the ledger, then mend it.
    await _rename(db, "inbound_updates", "inbound_updates_away")
    try:
        results = await asyncio.gather(
            ledger.seen_before("Ev1"), ledger.seen_before("Ev2"), return_exceptions=True
        )
        assert all(isinstance(r, Exception) and "inbound_updates" in str(r) for r in results)
    finally:
        await _rename(db, "inbound_updates_away", "inbound_updates")
    assert await ledger.seen_before("Ev1") is False  # the next write works again


async def _rename(db: Database, old: str, new: str) -> None:
    async with db.write() as session:
        await session.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))


@pytest.mark.parametrize("copies", [2, 5])
async def test_a_copy_inside_one_batch_is_fresh_once(db: Database, copies: int) -> None:
    ledger = InboundLedger(db, "telegram")
    assert await ledger.fresh(["7"] * copies) == [True] + [False] * (copies - 1)
