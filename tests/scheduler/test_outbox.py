"""The outbox on its own: once per key, leases, marks, expiry."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db import outbox
from bot.db.models import Delivery, Subscription
from bot.db.outbox import Planned

from .conftest import UTC, add_sub, add_user, broadcast

NOW = datetime(2019, 6, 5, 7, 0, tzinfo=UTC)


def _row(chat: str, **kw) -> Planned:
    base = {"occurrence": "t1", "expires_at": None, "payload": {"text": f"hello {chat}"}}
    return broadcast(chat, NOW, **(base | kw))


async def test_enqueue_twice_inserts_once(db):
    rows = [_row(str(n)) for n in range(1200)]
    assert await outbox.enqueue(db, rows, now=NOW) == 1200
    assert await outbox.enqueue(db, rows, now=NOW) == 0
    assert await outbox.enqueue(db, [*rows[:10], _row("new")], now=NOW) == 1
    assert (await outbox.counts(db))["pending"] == 1201


async def test_concurrent_enqueue_of_the_same_rows_inserts_once(db):
    rows = [_row(str(n)) for n in range(300)]
    results = await asyncio.gather(*(outbox.enqueue(db, rows, now=NOW) for _ in range(4)))
    assert sum(results) == 300
    assert (await outbox.counts(db))["pending"] == 300


async def test_claim_leases_and_a_second_claimer_gets_the_rest(db):
    await outbox.enqueue(db, [_row(str(n)) for n in range(30)], now=NOW)
    first = await outbox.claim(db, "telegram", owner="a", now=NOW, limit=20)
    second = await outbox.claim(db, "telegram", owner="b", now=NOW, limit=20)
    assert len(first) == 20 and len(second) == 10
    assert not {r.id for r in first} & {r.id for r in second}
    assert await outbox.claim(db, "telegram", owner="c", now=NOW) == []
    # An expired lease (a killed sender) lets another sender take the row.
    later = NOW + timedelta(seconds=121)
    again = await outbox.claim(db, "telegram", owner="c", now=later, limit=100)
    assert len(again) == 30


async def test_rows_not_due_yet_and_other_platforms_are_not_claimed(db):
    await outbox.enqueue(
        db,
        [_row("1", due_at=NOW + timedelta(hours=1)), _row("2", platform="slack")],
        now=NOW,
    )
    assert await outbox.claim(db, "telegram", owner="a", now=NOW) == []
    assert len(await outbox.claim(db, "slack", owner="a", now=NOW)) == 1


async def test_mark_sent_is_final(db):
    await outbox.enqueue(db, [_row("1")], now=NOW)
    (row,) = await outbox.claim(db, "telegram", owner="a", now=NOW)
    assert await outbox.mark_sent(db, row.id, now=NOW)
    assert not await outbox.mark_sent(db, row.id, now=NOW)
    later = NOW + timedelta(hours=1)
    assert await outbox.claim(db, "telegram", owner="b", now=later) == []
    assert (await outbox.counts(db))["sent"] == 1


async def test_expired_rows_are_skipped_at_claim(db):
    await outbox.enqueue(db, [_row("1", expires_at=NOW + timedelta(minutes=5))], now=NOW)
    later = NOW + timedelta(minutes=6)
    assert await outbox.claim(db, "telegram", owner="a", now=later) == []
    async with db.read() as session:
        row = await session.scalar(select(Delivery))
    assert row.status == "skipped" and row.last_error == "expired"


async def test_retry_counts_attempts_and_fails_at_the_last(db):
    await outbox.enqueue(db, [_row("1")], now=NOW)
    now = NOW
    statuses = []
    for _ in range(3):
        (row,) = await outbox.claim(db, "telegram", owner="a", now=now)
        statuses.append(
            await outbox.mark_retry(db, row, now=now, delay=10, error="boom", max_attempts=3)
        )
        now += timedelta(seconds=11)
    assert statuses == ["pending", "pending", "failed"]
    failed = await outbox.failed_deliveries(db)
    assert [(f.attempts, f.last_error) for f in failed] == [(3, "boom")]


async def test_rate_limits_do_not_use_up_attempts(db):
    await outbox.enqueue(db, [_row("1")], now=NOW)
    now = NOW
    for _ in range(10):
        (row,) = await outbox.claim(db, "telegram", owner="a", now=now)
        status = await outbox.mark_retry(
            db, row, now=now, delay=1, error="429", count_attempt=False, max_attempts=3
        )
        assert status == "pending"
        now += timedelta(seconds=2)
    (row,) = await outbox.claim(db, "telegram", owner="a", now=now)
    assert row.attempts == 0


async def test_release_gives_leases_back(db):
    await outbox.enqueue(db, [_row(str(n)) for n in range(5)], now=NOW)
    rows = await outbox.claim(db, "telegram", owner="a", now=NOW)
    assert await outbox.release(db, [r.id for r in rows], owner="b") == 0
    assert await outbox.release(db, [r.id for r in rows], owner="a") == 5
    assert len(await outbox.claim(db, "telegram", owner="b", now=NOW)) == 5


async def test_recipient_gone_deactivates_and_skips(db):
    user = await add_user(db, "42")
    sub = await add_sub(db, user, "all_events", at=NOW)
    await outbox.enqueue(
        db,
        [_row("42", subscription_id=sub), _row("42", occurrence="t2", subscription_id=sub)],
        now=NOW,
    )
    rows = await outbox.claim(db, "telegram", owner="a", now=NOW, limit=1)
    subs, skipped = await outbox.recipient_gone(db, rows[0], now=NOW, error="Forbidden")
    assert (subs, skipped) == (1, 1)
    async with db.read() as session:
        row = await session.get(Subscription, sub)
    assert not row.active and "Forbidden" in row.deactivated_reason
    assert await outbox.counts(db) == {"pending": 0, "sent": 0, "failed": 1, "skipped": 1}
