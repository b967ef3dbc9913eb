"""Fixtures for handler tests: the real core, the real 2019 plan, a real SQLite file.

The plan is loaded once per session into a template database; each test gets its own copy
in ``tmp_path`` (migrating and loading the plan for every test would cost ~0.5 s each).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock

PLAN_DIR = Path(__file__).resolve().parents[2] / "content" / "plan"
MADRID = ZoneInfo("Europe/Madrid")
TODAY = date(2019, 5, 20)

Say = Callable[..., Awaitable[list[Reply]]]


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def at(day: date) -> datetime:
    """Noon of ``day`` in Madrid, for :meth:`FixedClock.set`."""
    return datetime.combine(day, time(12, 0), MADRID)


def copy_database(source: Path, target: Path) -> Path:
    """Copy a SQLite database (with its WAL files, if any) to ``target``."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="session")
def plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the real plan, built once."""
    path = tmp_path_factory.mktemp("plan-template") / "plan.db"

    async def build() -> None:
        app = await build_app(Settings(database_url=_url(path), content_dir=PLAN_DIR))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return path


@pytest.fixture
async def plan_app(plan_template: Path, tmp_path: Path) -> AsyncIterator[App]:
    """The real app on a copy of the template, with the clock on 20 May 2019 (a Monday)."""
    target = copy_database(plan_template, tmp_path / "bot.db")
    settings = Settings(database_url=_url(target), content_dir=PLAN_DIR)
    app = await build_app(settings, clock=FixedClock(at(TODAY)))
    yield app
    await app.close()


@pytest.fixture
def say(plan_app: App) -> Say:
    """Send a message (or press a button) as a Telegram user; returns the replies."""

    async def send(
        text: str = "",
        *,
        action: str | None = None,
        hint: str | None = None,
        user: str = "u1",
    ) -> list[Reply]:
        replies = await plan_app.core.handle(
            Incoming("telegram", user, user, text=text, action=action, locale_hint=hint)
        )
        assert replies, text
        for reply in replies:
            assert reply.text.strip(), (text, reply)
            assert reply.language in ("es", "en", "fr")
            for row in reply.buttons:
                for button in row:
                    assert len(button.action.encode()) <= 64
        return replies

    return send


def actions(reply: Reply) -> list[str]:
    """Every button action of a reply, row by row."""
    return [b.action for row in reply.buttons for b in row]


def bullets(reply: Reply) -> list[str]:
    """The list lines of a reply, without the bullet."""
    return [line[2:] for line in reply.text.splitlines() if line.startswith("• ")]
