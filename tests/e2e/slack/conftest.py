"""The Slack scenario harness: the real bot (bolt AsyncApp on the real WebServer, 127.0.0.1,
port 0) with its Web API client pointed at a fake Slack Web API on 127.0.0.1, and a client
that sends signed requests the way Slack does."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from bot.adapters.slack.services import slack_services
from bot.app import App, build_app
from bot.config import Settings
from bot.web.server import WebServer
from tests.fakes.slack_api import (
    FakeSlackAPI,
    action_body,
    command_body,
    event_body,
    sign,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-1234-5678-secret-bot-token"
TODAY = date(2019, 5, 20)
LOCALES = {"UES0001": "es-ES", "UEN0001": "en-US", "UFR0001": "fr-FR"}


@dataclass
class Slack:
    """The running bot and helpers to talk to it as Slack would."""

    app: App
    adapter: SlackAdapter
    web: WebServer
    fake: FakeSlackAPI
    http: aiohttp.ClientSession
    startup_calls: list[Any] = field(default_factory=list)  # made before the first request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web.port}{EVENTS_PATH}"

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        secret: str = SECRET,
        timestamp: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        headers = {"Content-Type": content_type, **sign(secret, body, timestamp), **(extra or {})}
        async with self.http.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any
    ) -> tuple[int, str]:
        return await self.post(
            event_body(event, event_id=event_id), content_type="application/json", **kwargs
        )

    async def mention(self, text: str, *, user: str, channel: str = "C0000GEN") -> str:
        ts = f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT0001> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
        status, _ = await self.event(event)
        assert status == 200
        return ts

    async def dm(self, text: str, *, user: str, **fields: Any) -> tuple[int, str]:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel": "D" + user[1:],
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            **fields,
        }
        return await self.event(event)

    async def command(self, text: str, *, user: str, channel: str = "C0000GEN") -> int:
        body = command_body(
            text, user=user, channel=channel, response_url=self.fake.response_url(user)
        )
        status, _ = await self.post(body, content_type="application/x-www-form-urlencoded")
        return status

    async def press(self, value: str, *, user: str, **kwargs: Any) -> int:
        body = action_body(value, user=user, **kwargs)
        status, _ = await self.post(body, content_type="application/x-www-form-urlencoded")
        return status


def settings_for(fake: FakeSlackAPI, tmp_path: Path, **changes: Any) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        today=TODAY,
        port=0,
        slack_bot_token=fake.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        **changes,
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackAPI]:
    api = await FakeSlackAPI(token=TOKEN, locales=dict(LOCALES)).start()
    yield api
    await api.stop()


@asynccontextmanager
async def running(fake: FakeSlackAPI, settings: Settings) -> AsyncIterator[Slack]:
    """The bot built from ``settings``, its Slack adapter served on 127.0.0.1:0."""
    app = await build_app(settings)
    web = WebServer(host="127.0.0.1", port=0)
    services = slack_services(app, "all", web)
    assert len(services) == 1
    adapter: SlackAdapter = services[0].adapter  # type: ignore[attr-defined]
    for service in services:
        await service.start()
    await web.start()
    # The start-up's own calls (auth.test) apart: tests look at what requests cause.
    startup_calls = list(fake.calls)
    fake.calls.clear()
    http = aiohttp.ClientSession()
    try:
        yield Slack(app, adapter, web, fake, http, startup_calls)
    finally:
        await http.close()
        await web.stop()
        for service in reversed(services):
            await service.stop()
        await app.close()


@pytest.fixture
async def slack(fake: FakeSlackAPI, tmp_path: Path) -> AsyncIterator[Slack]:
    async with running(fake, settings_for(fake, tmp_path)) as harness:
        yield harness


def texts(calls: list[Any]) -> str:
    """Every text of the recorded calls (or response_url bodies), joined."""
    parts = []
    for call in calls:
        parts.append(call.all_text() if hasattr(call, "all_text") else json.dumps(call))
    return "\n".join(parts)
