"""Fixtures for the reminder tests: a database, the test plan, fake time and a fake sender."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.messages import Address, Reply
from bot.core.ports import FixedClock, SendResult
from bot.db.engine import Database
from bot.db.models import Base, User
from bot.db.outbox import Planned
from bot.db.subscriptions import subscribe
from bot.i18n.catalog import Catalog
from scheduler.planner import Planner
from scheduler.render import Renderer
from scheduler.senders import DeliveryWorker, SendPolicy

PLAN = Path(__file__).with_name("plan")
MADRID = ZoneInfo("Europe/Madrid")
UTC = ZoneInfo("UTC")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite by default; ``SCHEDULER_TEST_DATABASE_URL`` (or the PostgreSQL suite
    overriding this fixture) runs the same tests on PostgreSQL."""
    return os.environ.get("SCHEDULER_TEST_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    )


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    if not database.is_sqlite:
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.drop_all)
    await database.create_all()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="sqlite+aiosqlite:///:memory:",
        timezone="Europe/Madrid",
        default_language="en",
        content_dir=PLAN,
        slack_staff_channel="C-STAFF",
    )


@pytest.fixture
async def content(db: Database) -> ContentStore:
    store = ContentStore(db, PLAN)
    await store.sync(force=True)
    return store


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.load()


class FakeTime:
    """A clock whose sleeps move it forward at once."""

    def __init__(self, when: datetime) -> None:
        self.clock = FixedClock(when)
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        from datetime import timedelta

        if seconds > 0:
            self.slept += seconds
            self.clock.set(self.clock.now() + timedelta(seconds=seconds))

    def set(self, when: datetime) -> None:
        self.clock.set(when)

    def now(self) -> datetime:
        return self.clock.now()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime(datetime(2019, 6, 5, 9, 0, tzinfo=MADRID))


@dataclass
class FakeSender:
    """Records what it is asked to send; ``script`` decides each answer (ok by default)."""

    platform: str = "telegram"
    sent: list[tuple[str, Reply]] = field(default_factory=list)
    calls: int = 0
    script: Callable[[Address, int], SendResult] | None = None

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.calls += 1
        result = self.script(address, self.calls) if self.script else SendResult(ok=True)
        if result.ok:
            self.sent.append((address.chat_id, reply))
        return result

    def to(self, chat_id: str) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]


@pytest.fixture
def planner(db: Database, content: ContentStore, settings: Settings, fake_time: FakeTime):
    return Planner(db, lambda: content.index, settings, fake_time.clock)


@pytest.fixture
def renderer(catalog: Catalog, content: ContentStore, settings: Settings) -> Renderer:
    return Renderer(catalog, lambda: content.index, settings.timezone)


@pytest.fixture
def make_worker(db: Database, renderer: Renderer, fake_time: FakeTime):
    def make(sender, **policy) -> DeliveryWorker:
        base = {"rate": 25.0, "per_chat": 1.0, "concurrency": 1, "backoff_base": 5.0}
        return DeliveryWorker(
            db,
            sender,
            renderer,
            fake_time.clock,
            SendPolicy(**(base | policy)),
            monotonic=fake_time.monotonic,
            sleep=fake_time.sleep,
        )

    return make


async def add_user(
    db: Database,
    uid: str,
    *,
    platform: str = "telegram",
    language: str = "en",
    timezone: str | None = None,
) -> int:
    async with db.write() as session:
        user = User(
            platform=platform,
            platform_user_id=uid,
            chat_id=uid,
            language=language,
            timezone=timezone,
            role="member",
        )
        session.add(user)
        await session.flush()
        return user.id


async def add_sub(
    db: Database,
    user_id: int,
    kind: str,
    target: str = "*",
    *,
    at: datetime,
    chat: str | None = None,
    platform: str = "telegram",
) -> int:
    async with db.write() as session:
        user = await session.get(User, user_id)
        assert user is not None
        row, _ = await subscribe(
            session,
            user_id=user_id,
            platform=platform,
            chat_id=chat or user.chat_id,
            target_kind=kind,
            target=target,
            now=at,
        )
        return row.id


def broadcast(chat: str, due: datetime, **changes: object) -> Planned:
    """A broadcast row for ``chat``, due at ``due`` and useful for a day."""
    base: dict[str, object] = dict(
        kind="broadcast",
        item_slug=None,
        occurrence="b1",
        platform="telegram",
        chat_id=chat,
        language="en",
        due_at=due,
        expires_at=due + timedelta(days=1),
        payload={"texts": {"en": f"hello {chat}"}},
    )
    return Planned(**(base | changes))  # type: ignore[arg-type]
