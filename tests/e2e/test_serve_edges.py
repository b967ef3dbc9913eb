"""The issue's probes, sent to the real ``python -m bot serve`` (Slack HTTP mode, the Telegram
webhook, calendars; fake Slack and Telegram APIs on 127.0.0.1): each gets its answer, nothing
malformed is processed, and the process's log holds no traceback, no token, no calendar token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import aiohttp
import psutil
import pytest

from bot.adapters.telegram.adapter import SECRET_HEADER
from bot.calendars import token_for
from bot.db.engine import Database
from bot.db.models import User
from bot.db.schema import upgrade
from tests.e2e.processes import assert_clean, bot_env, start_bot
from tests.fakes.slack_api import FakeSlackAPI, command_body, event_body, trigger_id
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI
from tests.web.fuzz import generate, send

pytestmark = pytest.mark.slow

SLACK_TOKEN = "xoxb-serve-bot-token-0001"
SECRET = "serve-signing-secret-0001"
WEBHOOK_SECRET = "serve-webhook-secret-0001"


def signed(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


async def calendar_token(database_url: str) -> str:
    db = Database(database_url)
    try:
        await upgrade(db)
        async with db.write() as session:
            member = User(platform="slack", platform_user_id="UCAL", chat_id="UCAL")
            session.add(member)
            await session.flush()
            member_id = member.id
        return await token_for(db, member_id)
    finally:
        await db.dispose()


async def test_the_issues_probes_against_python_m_bot_serve(tmp_path: Path):
    env = bot_env(tmp_path, BOT_TODAY="2019-05-20", LOG_LEVEL="INFO")
    token = await calendar_token(env["DATABASE_URL"])
    slack = await FakeSlackAPI(token=SLACK_TOKEN).start()
    async with FakeTelegramAPI() as telegram:
        env |= {
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram",
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
        bot = await start_bot(tmp_path, "serve", env=env)
        base = f"http://127.0.0.1:{env['PORT']}"
        try:
            await bot.wait_for("started telegram")
            # HOST=127.0.0.1: the server listens there only.
            listening = {
                c.laddr.ip
                for c in psutil.Process(bot.process.pid).net_connections()
                if c.status == psutil.CONN_LISTEN
            }
            assert listening == {"127.0.0.1"}
            async with aiohttp.ClientSession() as http:
                await _probe(http, base, slack, telegram, token)
            code, _took = await bot.stop(within=30)
        finally:
            if bot.process.returncode is None:
                bot.process.kill()
            await slack.stop()
    assert code == 0, bot.text
    assert_clean(bot.text, SLACK_TOKEN, SECRET, WEBHOOK_SECRET, TOKEN, token)


async def _post(http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]) -> int:
    async with http.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status


async def _probe(
    http: aiohttp.ClientSession,
    base: str,
    slack: FakeSlackAPI,
    telegram: FakeTelegramAPI,
    token: str,
) -> None:
    events = f"{base}/slack/events"
    json_type = {"Content-Type": "application/json"}
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    # 1. Malformed Slack requests: refused before any work.
    assert await _post(http, events, b"[1, 2, 3]", json_type) == 401
    stale = {**json_type, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"}
    assert await _post(http, events, b"{}", stale) == 401
    assert await _post(http, events, b'"hello"', {**json_type, **signed(b'"hello"')}) == 400
    array = urllib.parse.urlencode({"payload": "[1, 2]"}).encode()
    assert await _post(http, events, array, {**form_type, **signed(array)}) == 400
    await asyncio.sleep(0.3)
    assert [c.method for c in slack.calls if c.method != "auth.test"] == []

    # 2. A slash command replayed within its five minutes: answered once.
    command = command_body(
        "next events", user="UEN0001", response_url=slack.response_url("c"), trigger=trigger_id()
    ).encode()
    headers = {**form_type, **signed(command)}
    assert await _post(http, events, command, headers) == 200
    await slack.wait_for_responses(1, within=30)
    assert await _post(http, events, command, headers) == 200
    await asyncio.sleep(1.0)
    assert len(slack.responses) == 1

    # 3. A request line over aiohttp's limit, holding a calendar token: 400.
    reader, writer = await asyncio.open_connection("127.0.0.1", int(base.rsplit(":", 1)[1]))
    writer.write(f"GET /calendar/{token}.ics?q={'a' * 20_000} HTTP/1.1\r\n\r\n".encode())
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(12), 10)).endswith(b"400")
    writer.close()
    async with http.get(f"{base}/calendar/{token}.ics") as feed:
        assert feed.status == 200  # the token itself works

    # 4. A lone surrogate, from Telegram and from Slack: made safe and answered.
    update = telegram.message_update("/events \ud800 x", user_id=77)
    raw = json.dumps(update).encode()  # "\ud800" travels as an escape, as Telegram sends it
    hook = {**json_type, SECRET_HEADER: WEBHOOK_SECRET}
    assert await _post(http, f"{base}/telegram", raw, hook) == 200
    await telegram.wait_sent(1, chat_id=77, within=30)
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "DEN0002",
        "user": "UEN0002",
        "text": "/events \ud800 x",
        "ts": "1.5",
    }
    body = event_body(dm).encode()
    assert await _post(http, events, body, {**json_type, **signed(body)}) == 200
    await slack.wait_for("chat.postMessage", within=30)

    # 5. Fuzz: no 5xx.
    statuses: Counter[int | None] = Counter()
    requests = generate(
        7, 300, slack_secret=SECRET, telegram_secret=WEBHOOK_SECRET, calendar_token=token
    )
    for request in requests:
        status = await send(http, base, request)
        assert status is None or status < 500, f"{status} for {request.describe()}"
        statuses[status] += 1
    assert len(statuses) > 3
