"""Fuzzing the web endpoints — health, calendars, Slack events, the Telegram webhook — on the
real server with the real adapters (fake Slack and Telegram APIs on 127.0.0.1): no 5xx, no
traceback, no secret in the log."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack.services import slack_services
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.app import App, build_app
from bot.calendars import token_for
from bot.config import Settings
from bot.db.models import User
from bot.web import calendar, health
from bot.web.server import WebServer
from tests.conftest import PLAN_DIR, copy_database, sqlite_url
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI
from tests.web.fuzz import generate, raw_request_lines, send

SLACK_TOKEN = "xoxb-fuzz-bot-token-0001"
SLACK_SECRET = "fuzz-signing-secret-0001"
TELEGRAM_SECRET = "fuzz-webhook-secret-0001"
SECRETS = (SLACK_TOKEN, SLACK_SECRET, TELEGRAM_SECRET, TOKEN, TOKEN.partition(":")[2])


@dataclass
class Site:
    app: App
    url: str
    port: int
    calendar_token: str


@pytest.fixture
async def site(plan_template: Path, tmp_path: Path) -> AsyncIterator[Site]:
    slack = await FakeSlackAPI(token=SLACK_TOKEN).start()
    async with FakeTelegramAPI(max_poll=0.2) as telegram:
        settings = Settings(
            database_url=sqlite_url(copy_database(plan_template, tmp_path / "bot.db")),
            content_dir=PLAN_DIR,
            slack_bot_token=SLACK_TOKEN,
            slack_signing_secret=SLACK_SECRET,
            slack_api_url=slack.api_url,
            telegram_token=TOKEN,
            telegram_api_url=telegram.url,
            telegram_webhook_url="https://bot.example.org/telegram",
            telegram_webhook_secret=TELEGRAM_SECRET,
        )
        app = await build_app(settings)
        web = WebServer(host="127.0.0.1", port=0)
        health.mount(web, app)
        calendar.mount(web, app)
        services = [*slack_services(app, "web", web), TelegramAdapter(app, web=web, webhook=True)]
        for service in services:
            await service.start()
        await web.start()
        async with app.db.write() as session:
            member = User(platform="slack", platform_user_id="UFUZZ", chat_id="UFUZZ")
            session.add(member)
            await session.flush()
            member_id = member.id
        token = await token_for(app.db, member_id)
        try:
            yield Site(app, f"http://127.0.0.1:{web.port}", web.port, token)
        finally:
            await web.stop()
            for service in reversed(services):
                await service.stop()
            await app.close()
            await slack.stop()


def assert_log_clean(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [(r.name, r.getMessage()[:200]) for r in errors]
    traced = [r for r in caplog.records if r.levelno >= logging.INFO and (r.exc_info or r.exc_text)]
    assert not traced, [(r.name, r.getMessage()[:200]) for r in traced]
    assert "Traceback" not in caplog.text
    for secret in secrets:
        assert secret not in caplog.text


async def test_fuzzed_requests_get_no_5xx_and_leave_no_traceback(
    site: Site, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    requests = generate(
        19,
        1500,
        slack_secret=SLACK_SECRET,
        telegram_secret=TELEGRAM_SECRET,
        calendar_token=site.calendar_token,
    )
    statuses: Counter[int | None] = Counter()
    connector = aiohttp.TCPConnector(limit=16)
    async with aiohttp.ClientSession(connector=connector) as http:
        for start in range(0, len(requests), 16):
            batch = requests[start : start + 16]
            answers = await asyncio.gather(*(send(http, site.url, r) for r in batch))
            for request, status in zip(batch, answers, strict=True):
                assert status is None or status < 500, f"{status} for {request.describe()}"
                statuses[status] += 1
    await asyncio.sleep(1.0)  # answers to signed requests run after the acknowledgement
    assert sum(n for status, n in statuses.items() if status is not None) > 1000
    assert {400, 401, 404, 405, 413} <= set(statuses), statuses
    assert_log_clean(caplog, site.calendar_token, *SECRETS)


async def test_fuzzed_request_lines_are_refused_in_one_line_each(
    site: Site, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    for data in raw_request_lines(19, 200, site.calendar_token):
        reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
        try:
            writer.write(data)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(64), 10)
        except ConnectionError:
            answer = b""
        finally:
            writer.close()
        assert not answer.startswith(b"HTTP/1.1 5") and not answer.startswith(b"HTTP/1.0 5")
    assert_log_clean(caplog, site.calendar_token, *SECRETS)
    refusals = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert all(r.getMessage().startswith("web: refused") for r in refusals)
