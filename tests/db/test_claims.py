"""Claiming deliveries (bot/db/outbox.py) from several processes: disjoint, never waiting on a
busy claimer (PostgreSQL SKIP LOCKED), and taken again once a lease expires."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Delivery, utcnow
from bot.db.outbox import Planned
from bot.db.schema import upgrade


def _rows(n: int, now) -> list[Planned]:
    return [
        Planned(
            kind="broadcast",
            item_slug=None,
            occurrence="claims",
            platform="telegram",
            chat_id=str(i),
            language="en",
            due_at=now,
            payload={"texts": {"en": "hi"}},
        )
        for i in range(n)
    ]


async def test_concurrent_claimers_get_disjoint_rows(database_url: str, db: Database) -> None:
    now = utcnow()
    assert await outbox.enqueue(db, _rows(400, now), now=now) == 400
    claimers = [Database(database_url) for _ in range(4)]

    async def drain(i: int, claimer: Database) -> list[int]:
        got: list[int] = []
        while rows := await outbox.claim(claimer, "telegram", owner=f"c{i}", now=now, limit=15):
            got.extend(r.id for r in rows)
            for r in rows:
                await outbox.mark_sent(claimer, r.id, now=now)
        return got

    try:
        results = await asyncio.gather(*(drain(i, c) for i, c in enumerate(claimers)))
    finally:
        for c in claimers:
            await c.dispose()
    claimed = [i for ids in results for i in ids]
    assert len(claimed) == len(set(claimed)) == 400
    assert sum(1 for ids in results if ids) >= 2  # they shared the work
    assert (await outbox.counts(db))["sent"] == 400


async def test_an_expired_lease_lets_another_sender_finish(db: Database) -> None:
    now = utcnow()
    await outbox.enqueue(db, _rows(10, now), now=now)
    dead = await outbox.claim(db, "telegram", owner="dead", now=now, limit=10, lease_seconds=30)
    assert len(dead) == 10
    later = now + timedelta(seconds=20)
    assert await outbox.claim(db, "telegram", owner="alive", now=later, limit=10) == []
    after = now + timedelta(seconds=31)
    taken = await outbox.claim(db, "telegram", owner="alive", now=after, limit=10)
    assert {r.id for r in taken} == {r.id for r in dead}
    async with db.read() as session:
        owners = set((await session.scalars(select(Delivery.lease_owner))).all())
    assert owners == {"alive"}


@pytest.mark.postgres
async def test_a_claimer_mid_transaction_does_not_hold_up_another(
    postgres_database_url: str,
) -> None:
    # PostgreSQL only: SQLite serialises claimers with BEGIN IMMEDIATE by design.
    db = Database(postgres_database_url)
    other = Database(postgres_database_url)
    try:
        await upgrade(db)
        now = utcnow()
        await outbox.enqueue(db, _rows(20, now), now=now)
        async with db.engine.connect() as slow, slow.begin():
            locked = (
                await slow.execute(
                    text("SELECT id FROM deliveries ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED")
                )
            ).all()
            assert len(locked) == 10
            rows = await asyncio.wait_for(
                outbox.claim(other, "telegram", owner="fast", now=now, limit=20), timeout=5
            )
            assert {r.id for r in rows}.isdisjoint({row[0] for row in locked})
            assert len(rows) == 10
    finally:
        await other.dispose()
        await db.dispose()
