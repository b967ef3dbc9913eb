"""Fixtures for the calendar and health tests: a plan in a temporary directory, a real SQLite
file, the loaded content, and a real web server on 127.0.0.1 (port 0)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.ports import FixedClock
from bot.db.engine import Database
from bot.i18n.catalog import Catalog
from bot.web.calendar import CalendarFeeds
from bot.web.health import Health
from bot.web.server import WebServer

HERE = Path(__file__).resolve().parent
FIXTURE_PLAN = HERE.parents[0] / "fixtures" / "plan"
REAL_PLAN = HERE.parents[1] / "content" / "plan"
NOW = datetime(2019, 1, 15, 9, 30, tzinfo=UTC)
BASE_URL = "https://bot.example.org"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    """The test plan (tests/fixtures/plan plus tests/web/cases.toml), in a copy we may edit."""
    target = tmp_path / "plan"
    shutil.copytree(FIXTURE_PLAN, target)
    shutil.copy(HERE / "cases.toml", target / "cases.toml")
    return target


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'calendar.db'}")
    await db.create_all()
    yield db
    await db.dispose()


@pytest.fixture
async def store(sqlite_db: Database, plan_dir: Path) -> ContentStore:
    content = ContentStore(sqlite_db, plan_dir)
    await content.sync()
    return content


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@dataclass
class Served:
    """A running web server with the calendar and health routes, and what it reads."""

    url: str
    db: Database
    store: ContentStore
    feeds: CalendarFeeds
    session: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, str, aiohttp.typedefs.LooseHeaders]:
        async with self.session.get(self.url + path) as response:
            return response.status, await response.text(), response.headers


@pytest.fixture
async def served(
    sqlite_db: Database, store: ContentStore, catalog: Catalog
) -> AsyncIterator[Served]:
    server = WebServer(host="127.0.0.1", port=0)
    feeds = CalendarFeeds(
        db=sqlite_db,
        content=store,
        catalog=catalog,
        clock=FixedClock(NOW),
        settings=Settings(public_base_url=BASE_URL, default_language="en"),
        refresh_seconds=0,
    )
    feeds.mount(server)
    Health(sqlite_db).mount(server)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            yield Served(f"http://127.0.0.1:{server.port}", sqlite_db, store, feeds, session)
    finally:
        await server.stop()
