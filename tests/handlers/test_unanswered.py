"""What the bot did not understand is noted for staff (``/unanswered``), without who asked;
a "did you mean" the member answered by picking is taken out again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock
from bot.db.models import Unanswered
from tests.conftest import PLAN_DIR, TODAY, at, copy_database, sqlite_url


@pytest.fixture
async def app(plan_template: Path, tmp_path: Path) -> AsyncIterator[App]:
    target = copy_database(plan_template, tmp_path / "bot.db")
    settings = Settings(
        database_url=sqlite_url(target), content_dir=PLAN_DIR, staff_telegram_ids=frozenset({"S"})
    )
    built = await build_app(settings, clock=FixedClock(at(TODAY)))
    yield built
    await built.close()


async def _say(app: App, user: str, text: str = "", action: str | None = None) -> list[Reply]:
    return await app.core.handle(
        Incoming("telegram", user, user, text=text, action=action, locale_hint="en")
    )


async def _logged(app: App) -> list[tuple[str, str, str]]:
    await app.core.unanswered.flush()
    async with app.db.read() as session:
        rows = await session.execute(select(Unanswered.text, Unanswered.kind, Unanswered.platform))
    return sorted(rows.tuples())


async def test_not_understood_is_noted_without_who_asked(app: App) -> None:
    await _say(app, "m1", "what's the weather in Paris?")
    await _say(app, "m2", "What's the weather in Paris?")
    await _say(app, "m3", "what's next in June")  # understood: not noted
    assert await _logged(app) == [
        ("What's the weather in Paris?", "fallback", "telegram"),
        ("what's the weather in Paris?", "fallback", "telegram"),
    ]


async def test_a_picked_did_you_mean_is_taken_out(app: App) -> None:
    (offer,) = await _say(app, "m1", "any conference in tokyo?")
    assert "Did you mean" in offer.text
    assert [k for _, k, _ in await _logged(app)] == ["did_you_mean"]
    await _say(app, "m1", "the first one")
    assert await _logged(app) == []
    (offer,) = await _say(app, "m2", "any conference in tokyo?")
    await _say(app, "m2", "what's next")  # not picked: it stays
    assert [k for _, k, _ in await _logged(app)] == ["did_you_mean"]


async def test_staff_read_the_most_asked(app: App) -> None:
    for user in ("m1", "m2", "m3"):
        await _say(app, user, "can you book me a taxi")
    await _say(app, "m4", "zzkrr")
    (report,) = await _say(app, "S", "/unanswered")
    lines = report.text.splitlines()
    assert lines[0].startswith("1. 3× [en] “can you book me a taxi”")
    assert lines[1].startswith("2. 1× [en] “zzkrr”")
    (refused,) = await _say(app, "m1", "/unanswered")
    assert "reserved for Metropolis staff" in refused.text
