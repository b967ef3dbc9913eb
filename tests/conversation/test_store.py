"""Conversations kept across a restart and across processes (SQLite and PostgreSQL), written
after the reply, never replaced by an older write, expired and pruned when idle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from bot.app import App, build_app
from bot.config import Settings
from bot.conversation.state import Action, ConversationState, Pending
from bot.conversation.store import ConversationStore
from bot.core.messages import Incoming, Reply
from bot.core.periods import month_period
from bot.core.ports import FixedClock
from bot.db.conversations import load_conversation, save_conversations
from bot.db.engine import Database
from bot.db.models import Conversation, Subscription, User
from bot.understanding.reading import Reading
from tests.conftest import PLAN_DIR, TODAY, at, sqlite_url

KEY = ("telegram", "c1", "u1")
NOON = datetime(2019, 5, 20, 10, tzinfo=UTC)


def _state(**changes: Any) -> ConversationState:
    base = ConversationState(
        focus=("mega",),
        earlier=("metroairports",),
        listed=("mega", "metroairports"),
        period=month_period(2019, 6),
        last=Reading("events", period=month_period(2019, 6), theme="mobility", subject="june"),
        pending=Pending("confirm", "subscribe", items=("mega", "metroairports")),
        undo=Action("subscribe", items=("mega",), targets=("digest",)),
        done="events",
        language="es",
        updated_at=NOON,
    )
    return replace(base, **changes)


def test_a_state_survives_its_record() -> None:
    state = _state()
    assert ConversationState.from_record(state.to_record(), NOON) == state


def test_a_record_of_another_version_starts_afresh() -> None:
    broken = {"focus": ["mega"], "pending": {"kind": "confirm", "nonsense": 1}}
    assert ConversationState.from_record(broken, NOON) == ConversationState(updated_at=NOON)


def test_idle_states_expire() -> None:
    state = _state()
    assert not state.expired(NOON + timedelta(minutes=30), 1800)
    assert state.expired(NOON + timedelta(minutes=31), 1800)


async def test_written_after_the_reply_and_read_back(db: Database) -> None:
    store = ConversationStore(db, trust_cache=False, delay=60)
    store.put(KEY, _state())
    assert await load_conversation(db, KEY) is None  # queued, not written yet
    assert await store.get(KEY, NOON) == _state()  # this process knows its own queued state
    await store.flush()
    found = await load_conversation(db, KEY)
    assert found is not None and ConversationState.from_record(*found) == _state()
    fresh = ConversationStore(db, trust_cache=False)
    assert await fresh.get(KEY, NOON + timedelta(minutes=5)) == _state()
    assert await fresh.get(KEY, NOON + timedelta(minutes=45)) == ConversationState()


async def test_an_older_write_never_replaces_a_newer_one(db: Database) -> None:
    newer = _state(focus=("metroairports",), updated_at=NOON + timedelta(seconds=5))
    await save_conversations(db, {KEY: (newer.to_record(), newer.updated_at)})
    older = _state(updated_at=NOON)
    await save_conversations(db, {KEY: (older.to_record(), older.updated_at)})
    found = await load_conversation(db, KEY)
    assert found is not None and ConversationState.from_record(*found).focus == ("metroairports",)


async def test_idle_rows_are_pruned(db: Database) -> None:
    store = ConversationStore(db, idle_seconds=1800, delay=60)
    store.put(("telegram", "old", "old"), _state(updated_at=NOON - timedelta(hours=2)))
    await store.flush()
    store.put(KEY, _state(updated_at=NOON + timedelta(hours=1)))
    await store.flush()
    async with db.read() as session:
        left = set((await session.execute(select(Conversation.user_id))).scalars())
    assert left == {"u1"}


# --- Through the real core ---------------------------------------------------------------------


async def _app(url: str) -> App:
    settings = Settings(database_url=url, content_dir=PLAN_DIR)
    return await build_app(settings, clock=FixedClock(at(TODAY)))


async def _say(app: App, text: str) -> list[Reply]:
    return await app.core.handle(Incoming("telegram", "u1", "u1", text=text, locale_hint="en"))


async def _follows(app: App) -> set[str]:
    async with app.db.read() as session:
        rows = await session.execute(
            select(Subscription.target)
            .join(User, User.id == Subscription.user_id)
            .where(User.platform_user_id == "u1", Subscription.active.is_(True))
        )
    return set(rows.scalars())


async def test_a_restart_keeps_the_conversation(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "bot.db")
    first = await _app(url)
    await _say(first, "tell me about MEGA")
    await first.close()  # writes what is queued
    second = await _app(url)
    try:
        await _say(second, "subscribe me to it")
        assert await _follows(second) == {"mega"}
    finally:
        await second.close()


@pytest.fixture
async def two_processes(postgres_database_url: str) -> AsyncIterator[tuple[App, App]]:
    """Two web processes on one PostgreSQL database: nothing shared but the database."""
    one = await _app(postgres_database_url)
    two = await _app(postgres_database_url)
    assert not one.core.conversations.trust_cache  # only while it hears the other's writes
    try:
        yield one, two
    finally:
        await one.close()
        await two.close()


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def _statements(db: Database) -> list[str]:
    """The SQL statements ``db`` sends from now on (a real count, no mock)."""
    sent: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    return sent


MEMBER = ("telegram", "u1", "u1")


@pytest.mark.postgres
async def test_the_conversation_moves_between_processes(two_processes: tuple[App, App]) -> None:
    one, two = two_processes
    await _say(one, "tell me about MEGA")
    await one.core.conversations.flush()  # a moment after the reply
    await _say(two, "subscribe me to it")  # the next message reaches the other process
    assert await _follows(two) == {"mega"}
    await _until(lambda: one.core.conversations.trusted)
    await two.core.conversations.flush()
    # Back at the first process: its own memory of the conversation is stale; the other
    # process's write told it so, and the database has what that process did.
    await _until(lambda: one.core.conversations.peek(MEMBER) is None)
    await _say(one, "undo")
    assert await _follows(one) == set()
    async with one.db.read() as session:
        rows = await session.scalar(select(func.count()).select_from(Conversation))
    assert rows == 1


@pytest.mark.postgres
async def test_a_process_that_hears_the_others_reads_no_row_per_message(
    two_processes: tuple[App, App],
) -> None:
    one, _two = two_processes
    await _say(one, "tell me about MEGA")  # its first message starts its feed
    await _until(lambda: one.core.conversations.trusted)
    sent = _statements(one.db)
    await _say(one, "and when is it?")
    assert not [s for s in sent if "conversations" in s]  # its memory is the truth
    await one.core.conversations.flush()
    assert [s for s in sent if "pg_notify" in s]  # the write is announced with it
    sent.clear()
    await _say(one, "subscribe me to it")  # its own write does not make it doubt
    assert not [s for s in sent if "FROM conversations" in s]
    assert await _follows(one) == {"mega"}


@pytest.mark.postgres
async def test_without_the_feed_every_message_reads_its_row(
    two_processes: tuple[App, App],
) -> None:
    one, two = two_processes
    await _say(one, "tell me about MEGA")
    await one.core.conversations.flush()  # nothing of its own left to prefer
    await _until(lambda: one.core.conversations.trusted)
    user = make_url(one.db.url).username
    async with two.db.read() as session:  # the listening connection is cut
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'bot-conversations-feed' AND usename = :user"
            ),
            {"user": user},
        )
    await _until(lambda: not one.core.conversations.trusted)
    sent = _statements(one.db)
    await _say(one, "and when is it?")
    assert [s for s in sent if "FROM conversations" in s]  # it reads, as without a feed


async def test_a_message_is_answered_when_its_conversation_cannot_be_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await _app(sqlite_url(tmp_path / "bot.db"))
    try:
        await _say(app, "hello")  # the member exists

        async def unreachable(*args: object, **kwargs: object) -> ConversationState:
            raise ConnectionError("database gone")

        monkeypatch.setattr(app.core.conversations, "get", unreachable)
        (reply,) = await _say(app, "what's next in June?")
        assert "June 2019" in (reply.title or "")  # read alone, still answered
        assert "conversation unavailable" in caplog.text
    finally:
        await app.close()
