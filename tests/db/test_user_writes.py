"""UserWriter: users' inferred changes merged and written many per transaction, nothing lost."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, select, text

from bot.db.engine import Database
from bot.db.models import User, utcnow
from bot.db.user_writes import UserWriter


async def _users(db: Database, count: int) -> list[int]:
    async with db.write() as session:
        rows = [
            User(
                platform="telegram",
                platform_user_id=str(n),
                chat_id=str(n),
                role="member",
                created_at=utcnow(),
            )
            for n in range(count)
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def _languages(db: Database) -> dict[int, str | None]:
    async with db.read() as session:
        rows = (await session.execute(select(User.id, User.language))).all()
    return {row.id: row.language for row in rows}


async def test_changes_are_merged_per_user_and_written_in_one_transaction(db: Database) -> None:
    ids = await _users(db, 50)
    writer = UserWriter(db, delay=60)  # no timer: flushed by hand
    for user_id in ids:
        writer.later(user_id, {"language": "es"})
        writer.later(user_id, {"language": "fr", "locale_hint": "fr-FR"})  # newer wins
    writer.later(ids[0], {"timezone": "Europe/Madrid"})  # another set of columns
    assert writer.pending == 50
    begins: list[int] = []
    event.listen(db.engine.sync_engine, "begin", lambda conn: begins.append(1))
    await writer.flush()
    assert len(begins) == 1 and writer.pending == 0
    assert set((await _languages(db)).values()) == {"fr"}
    async with db.read() as session:
        first = await session.get(User, ids[0])
    assert first is not None and (first.timezone, first.locale_hint) == ("Europe/Madrid", "fr-FR")
    await writer.close()


async def test_queued_changes_are_written_a_moment_later(db: Database) -> None:
    (user_id,) = await _users(db, 1)
    writer = UserWriter(db, delay=0.01)
    writer.later(user_id, {"language": "en"})
    for _ in range(200):
        if (await _languages(db))[user_id] == "en":
            break
        await asyncio.sleep(0.01)
    assert (await _languages(db))[user_id] == "en" and writer.pending == 0
    await writer.close()


async def test_a_decision_is_written_after_what_was_queued_before_it(db: Database) -> None:
    (user_id,) = await _users(db, 1)
    writer = UserWriter(db, delay=60)
    writer.later(user_id, {"language": "en"})
    await writer.now(user_id, {"language": "fr", "language_choice": "fr"})
    async with db.read() as session:
        row = await session.get(User, user_id)
    assert row is not None and (row.language, row.language_choice) == ("fr", "fr")
    await writer.close()  # nothing older is left to overwrite it
    assert (await _languages(db))[user_id] == "fr"


async def test_close_writes_what_is_queued(db: Database) -> None:
    ids = await _users(db, 3)
    writer = UserWriter(db, delay=60)
    for user_id in ids:
        writer.later(user_id, {"language": "es"})
    await writer.close()
    assert set((await _languages(db)).values()) == {"es"}


async def test_a_failed_write_keeps_the_changes_and_newer_ones_win(db: Database) -> None:
    (user_id,) = await _users(db, 1)
    writer = UserWriter(db, delay=60)
    writer.later(user_id, {"language": "es", "locale_hint": "es"})
    async with db.write() as session:
        await session.execute(text("ALTER TABLE users RENAME TO users_away"))
    try:
        with pytest.raises(Exception, match="users"):
            await writer.flush()
        assert writer.pending == 1
        writer.later(user_id, {"language": "fr"})  # arrives while the database is away
    finally:
        async with db.write() as session:
            await session.execute(text("ALTER TABLE users_away RENAME TO users"))
    await writer.flush()
    async with db.read() as session:
        row = await session.get(User, user_id)
    assert row is not None and (row.language, row.locale_hint) == ("fr", "es")
    await writer.close()


async def test_the_timer_retries_after_a_failure(db: Database, caplog) -> None:
    (user_id,) = await _users(db, 1)
    writer = UserWriter(db, delay=0.01, retry_delay=0.05)
    async with db.write() as session:
        await session.execute(text("ALTER TABLE users RENAME TO users_away"))
    writer.later(user_id, {"language": "en"})
    # Failed, and kept for the next try (between tries: during one, the value is out of the
    # queue, so a fixed sleep could look in the middle of one on a busy machine).
    for _ in range(1000):
        if "user-writes: writing 1 failed" in caplog.text and writer.pending == 1:
            break
        await asyncio.sleep(0.005)
    assert writer.pending == 1
    assert "user-writes: writing 1 failed" in caplog.text
    async with db.write() as session:
        await session.execute(text("ALTER TABLE users_away RENAME TO users"))
    for _ in range(200):
        if writer.pending == 0:
            break
        await asyncio.sleep(0.01)
    assert (await _languages(db))[user_id] == "en"
    await writer.close()


async def test_closing_while_the_timer_writes_waits_for_that_write(db: Database) -> None:
    ids = await _users(db, 200)
    for turns in range(30):
        writer = UserWriter(db, delay=0)
        for user_id in ids:
            writer.later(user_id, {"language": "fr"})
        for _ in range(turns):  # the timer is somewhere in its write...
            await asyncio.sleep(0)
        await writer.close()  # ...and closing neither cuts it short nor deadlocks
        assert writer.pending == 0
        for user_id in ids:
            writer.later(user_id, {"language": "es"})
        await writer.close()
    assert set((await _languages(db)).values()) == {"es"}
