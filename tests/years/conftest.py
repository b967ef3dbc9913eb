"""Fixtures for plans by year: the shipped 2019 plan beside the synthetic 2020 plan of
tests/fixtures/plan-2020 (never a real plan: the product ships 2019 only)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock
from tests.conftest import PLAN_DIR, at, copy_database, sqlite_url

__all__ = ["PLAN_2020", "Say", "two_plans_dir"]

PLAN_2020 = Path(__file__).resolve().parents[1] / "fixtures" / "plan-2020"

Say = Callable[..., Awaitable[list[Reply]]]


def two_plans_dir(target: Path) -> Path:
    """A content folder holding the shipped 2019 plan and the synthetic 2020 one."""
    shutil.copytree(PLAN_DIR / "2019", target / "2019")
    shutil.copytree(PLAN_2020, target / "2020")
    return target


@pytest.fixture(scope="session")
def years_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A migrated database holding both plans, built once, and its content folder."""
    base = tmp_path_factory.mktemp("years")
    content = two_plans_dir(base / "plan")
    path = base / "years.db"

    async def build() -> None:
        app = await build_app(Settings(database_url=sqlite_url(path), content_dir=content))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return path, content


@pytest.fixture
async def years_app(years_template: tuple[Path, Path], tmp_path: Path) -> AsyncIterator[App]:
    """The real app on both plans, the clock on 1 May 2020 (move it with ``set_today``)."""
    path, content = years_template
    target = copy_database(path, tmp_path / "bot.db")
    settings = Settings(database_url=sqlite_url(target), content_dir=content)
    app = await build_app(settings, clock=FixedClock(at(date(2020, 5, 1))))
    yield app
    await app.close()


@pytest.fixture
def set_today(years_app: App) -> Callable[[date], None]:
    """Move the app's clock to noon of a day in Madrid."""

    def move(day: date) -> None:
        clock = years_app.clock
        assert isinstance(clock, FixedClock)
        clock.set(at(day))

    return move


@pytest.fixture
def say(years_app: App) -> Say:
    """Send a message (or press a button) as a Telegram user; returns the replies."""

    async def send(
        text: str = "", *, action: str | None = None, user: str = "u1", hint: str = "en"
    ) -> list[Reply]:
        replies = await years_app.core.handle(
            Incoming("telegram", user, user, text=text, action=action, locale_hint=hint)
        )
        assert replies, text
        for reply in replies:
            for row in reply.buttons:
                for button in row:
                    assert len(button.action.encode()) <= 64
        return replies

    return send
