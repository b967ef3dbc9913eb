"""Fixtures: the fake Bot API on 127.0.0.1, the assembled bot, and the real PTB Application.

``telegram`` is a started :class:`TelegramAdapter` in long-polling mode; ``spy`` records
every ``(Incoming, [Reply])`` the core produced, so tests can check the reply language as
well as what reached Telegram.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI


@dataclass
class Spy:
    """What the core answered, per message."""

    seen: list[tuple[Incoming, list[Reply]]] = field(default_factory=list)

    def last(self) -> tuple[Incoming, list[Reply]]:
        return self.seen[-1]

    def languages(self) -> list[str]:
        return [r.language for _, replies in self.seen for r in replies]


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(max_poll=0.2) as fake:
        yield fake


@pytest.fixture
def settings(tmp_path: Path, api: FakeTelegramAPI) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        today=date(2019, 5, 15),
        telegram_token=TOKEN,
        telegram_api_url=api.url,
    )


@pytest.fixture
async def bot_app(settings: Settings) -> AsyncIterator[App]:
    app = await build_app(settings)
    try:
        yield app
    finally:
        await app.close()


@pytest.fixture
def spy(bot_app: App) -> Spy:
    recorder = Spy()
    handle = bot_app.core.handle

    async def recording(incoming: Incoming) -> list[Reply]:
        replies = await handle(incoming)
        recorder.seen.append((incoming, replies))
        return replies

    bot_app.core.handle = recording  # type: ignore[method-assign]
    return recorder


@pytest.fixture
async def telegram(bot_app: App, spy: Spy) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(bot_app, poll_timeout=1)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


async def until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until ``predicate()`` holds, or fail the test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.01)


async def converse(
    api: FakeTelegramAPI, adapter: TelegramAdapter, *updates: dict, within: float = 10.0
) -> list:
    """Queue ``updates``, wait until the bot answered them all; the ``sendMessage`` and
    ``sendDocument`` calls made meanwhile."""
    handled, calls = adapter.handled, len(api.calls)
    for update in updates:
        api.push(update)
    await until(lambda: adapter.handled >= handled + len(updates), within)
    return [c for c in api.calls[calls:] if c.method in ("sendMessage", "sendDocument")]
