"""The change feed: keys announced in a write's transaction are heard by the other processes
(PostgreSQL ``LISTEN``/``NOTIFY``), on commit only; a lost connection is found, listened to
again, and everything cached is forgotten."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.change_feed import MAX_PAYLOAD, ChangeFeed
from bot.db.engine import Database
from bot.db.schema import upgrade
from tests.conftest import sqlite_url


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


class Process:
    """One process's side: its database engine, its feed and what it heard."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.feed = ChangeFeed(self.db, "conversations", retry=0.05)
        self.heard: list[tuple[str, ...]] = []
        self.resets = 0
        self.feed.on_change(self.heard.extend)
        self.feed.on_reset(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    async def close(self) -> None:
        await self.feed.stop()
        await self.db.dispose()


@pytest.fixture
async def processes(postgres_database_url: str) -> AsyncIterator[tuple[Process, Process]]:
    first = Database(postgres_database_url)
    await upgrade(first)
    await first.dispose()
    one, two = Process(postgres_database_url), Process(postgres_database_url)
    for process in (one, two):
        process.feed.start()
    await _until(lambda: one.feed.live and two.feed.live)
    try:
        yield one, two
    finally:
        await one.close()
        await two.close()


def test_a_feed_needs_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        ChangeFeed(Database(sqlite_url(tmp_path / "bot.db")), "conversations")


def test_long_lists_of_keys_go_in_several_notices_under_the_limit() -> None:
    feed = ChangeFeed(Database("postgresql+asyncpg://nobody@127.0.0.1:9/none"), "conversations")
    keys = [("slack", f"D{n:08d}" + "é" * 40, f"U{n:08d}") for n in range(600)]
    payloads = feed.payloads(keys)
    assert len(payloads) > 1
    assert all(len(p.encode()) < MAX_PAYLOAD for p in payloads)
    decoded = [tuple(k) for p in payloads for k in json.loads(p)["k"]]
    assert decoded == keys


@pytest.mark.postgres
async def test_another_process_hears_the_keys_on_commit_and_the_writer_does_not(
    processes: tuple[Process, Process],
) -> None:
    one, two = processes
    keys = [("slack", f"D{n}", f"U{n}") for n in range(400)]  # several notices
    async with one.db.write() as session:
        await one.feed.announce(session, keys)
        await asyncio.sleep(0.1)
        assert two.heard == []  # not before the commit
    await _until(lambda: len(two.heard) == len(keys))
    assert two.heard == keys
    assert one.heard == []  # its own notices


@pytest.mark.postgres
async def test_a_write_rolled_back_is_never_announced(processes: tuple[Process, Process]) -> None:
    one, two = processes
    with pytest.raises(RuntimeError):
        async with one.db.write() as session:
            await one.feed.announce(session, [("telegram", "c1", "rolled-back")])
            raise RuntimeError("the write failed")
    async with one.db.write() as session:
        await one.feed.announce(session, [("telegram", "c2", "committed")])
    await _until(lambda: bool(two.heard))
    assert two.heard == [("telegram", "c2", "committed")]


@pytest.mark.postgres
async def test_a_lost_connection_is_listened_to_again_and_the_cache_forgotten(
    processes: tuple[Process, Process], postgres_database_url: str
) -> None:
    one, two = processes
    assert two.resets == 1  # when it first listened
    async with one.db.read() as session:
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'bot-conversations-feed' AND pid <> pg_backend_pid()"
                " AND usename = current_user"
            )
        )
    await _until(lambda: not two.feed.live)
    await _until(lambda: two.feed.live)
    assert two.resets == 2  # notices may have been missed meanwhile
    async with one.db.write() as session:
        await one.feed.announce(session, [("slack", "D1", "U1")])
    await _until(lambda: bool(two.heard))


@pytest.mark.postgres
async def test_a_notice_it_cannot_read_makes_it_forget_everything(
    processes: tuple[Process, Process], caplog: pytest.LogCaptureFixture
) -> None:
    one, two = processes
    async with one.db.write() as session:
        await session.execute(
            text("SELECT pg_notify('conversations_' || current_schema(), 'not json')")
        )
    await _until(lambda: two.resets == 2)
    assert two.heard == []
    assert "cannot read" in caplog.text
