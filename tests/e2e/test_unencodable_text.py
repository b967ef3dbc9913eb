"""Text no encoder takes (a lone UTF-16 surrogate, NUL) from Telegram and Slack: made safe at
the edge, and answered — on SQLite and PostgreSQL (which refuses NUL in text)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.text import REPLACEMENT, safe_text
from bot.app import build_app
from bot.config import Settings
from tests.e2e.slack.conftest import TOKEN as SLACK_TOKEN
from tests.e2e.slack.conftest import Slack, running, settings_for
from tests.e2e.telegram.conftest import converse
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, FakeTelegramAPI

LONE = "\ud800"


def test_safe_text_replaces_one_for_one_and_leaves_good_text_alone():
    text = "hola 😀 café"
    assert safe_text(text) is text
    assert safe_text(f"a{LONE}b\x00c\udfff") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}"
    unsafe = f"x{LONE}y"
    assert len(safe_text(unsafe).encode("utf-16-le")) == 2 * len(unsafe)


def quiet(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.fixture
async def telegram(database_url: str) -> AsyncIterator[tuple[FakeTelegramAPI, TelegramAdapter]]:
    async with FakeTelegramAPI(max_poll=0.2) as api:
        settings = Settings(
            database_url=database_url,
            today=date(2019, 5, 15),
            telegram_token=TOKEN,
            telegram_api_url=api.url,
        )
        app = await build_app(settings)
        adapter = TelegramAdapter(app, poll_timeout=1)
        await adapter.start()
        try:
            yield api, adapter
        finally:
            await adapter.stop()
            await app.close()


async def test_telegram_messages_with_unencodable_text_are_answered(
    telegram: tuple[FakeTelegramAPI, TelegramAdapter], caplog: pytest.LogCaptureFixture
):
    api, adapter = telegram
    group = {"chat_id": -500, "chat_type": "group", "user_id": 7}
    updates = [
        api.message_update(f"/events {LONE} junio", user_id=1, language_code="e\x00s"),
        api.message_update(f"tell me about {LONE}\x00", user_id=2, first_name=f"A{LONE}"),
        api.message_update(f"/help {LONE}", **group),
        api.message_update(f"{LONE} @{BOT_USERNAME} what's next in June?", **group),
    ]
    sent = await converse(api, adapter, *updates)
    chats = {call.chat_id for call in sent}
    assert {1, 2, -500} <= chats
    assert len([c for c in sent if c.chat_id == -500]) >= 2
    assert any("Chicago Forum on Global Cities 2019" in c.text for c in sent if c.chat_id == -500)
    quiet(caplog)


async def test_a_telegram_button_with_unencodable_data_is_answered(
    telegram: tuple[FakeTelegramAPI, TelegramAdapter], caplog: pytest.LogCaptureFixture
):
    api, adapter = telegram
    sent = await converse(api, adapter, api.callback_update(f"cmd:help{LONE}", user_id=3))
    assert [c.chat_id for c in sent] and api.calls_of("answerCallbackQuery")
    quiet(caplog)


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[Slack]:
    fake = await FakeSlackAPI(token=SLACK_TOKEN).start()
    try:
        async with running(fake, settings_for(fake, tmp_path)) as harness:
            yield harness
    finally:
        await fake.stop()


async def test_slack_messages_with_unencodable_text_are_answered(
    slack: Slack, caplog: pytest.LogCaptureFixture
):
    status, _ = await slack.dm(f"/events {LONE} x\x00", user="UEN0001")  # quoted back
    assert status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "DEN0001"
    # A button's payload is JSON in a form field: "\ud800" travels as an escape.
    assert await slack.press(f"cmd:help{LONE}", user="UEN0002", channel="DEN0002") == 200
    await slack.fake.wait_for("chat.postMessage", count=2)
    # A slash command is a form: UTF-8 percent-encoded, it can carry NUL but no surrogate.
    assert await slack.command("hola\x00", user="UES0003") == 200
    await slack.fake.wait_for_responses(1)
    await asyncio.sleep(0.2)
    quiet(caplog)
