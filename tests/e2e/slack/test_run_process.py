"""As a new user would: ``python -m bot run`` with the Slack variables, against the fake API."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.slack.conftest import SECRET, TOKEN
from tests.fakes.slack_api import FakeSlackAPI, command_body, event_body, sign

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _post(http: aiohttp.ClientSession, url: str, body: str, content_type: str) -> int:
    headers = {"Content-Type": content_type, **sign(SECRET, body)}
    async with http.post(url, data=body.encode(), headers=headers) as response:
        return response.status


async def test_python_m_bot_run_answers_slack(fake: FakeSlackAPI, tmp_path: Path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_"))},
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BOT_TODAY": "2019-05-20",
        "LOG_LEVEL": "DEBUG",
    }
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--no-console",
            cwd=str(ROOT), env=env, stdout=out, stderr=out,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        async with aiohttp.ClientSession() as http:
            challenge = json.dumps({"type": "url_verification", "challenge": "c1", "token": "x"})
            deadline = time.monotonic() + 60
            while True:
                assert process.returncode is None, log.read_text()
                try:
                    if await _post(http, url, challenge, "application/json") == 200:
                        break
                except aiohttp.ClientError:
                    pass
                assert time.monotonic() < deadline, "the bot did not start"
                await asyncio.sleep(0.1)

            mention = {
                "type": "app_mention",
                "user": "UES0001",
                "channel": "C0000GEN",
                "text": "<@UBOT0001> ¿qué hay en junio?",
                "ts": "1558000000.000001",
            }
            assert await _post(http, url, event_body(mention), "application/json") == 200
            (answer,) = await fake.wait_for("chat.postMessage")
            assert "Foro Chicago sobre Ciudades Globales 2019" in answer.all_text()

            command = command_body(
                "événements en novembre", user="UFR0001", response_url=fake.response_url("r")
            )
            assert await _post(http, url, command, "application/x-www-form-urlencoded") == 200
            (response,) = await fake.wait_for_responses()
            assert response["response_type"] == "ephemeral"
            assert "Congrès mondial de CGLU" in fake.of("response_url")[0].all_text()

            dm = {
                "type": "message",
                "channel_type": "im",
                "channel": "DEN0001",
                "user": "UEN0001",
                "text": "which pilot projects are closing?",
                "ts": "1558000000.000002",
            }
            assert await _post(http, url, event_body(dm), "application/json") == 200
            calls = await fake.wait_for("chat.postMessage", count=2)
            assert "MEGA" in calls[1].all_text()

            home = {"type": "app_home_opened", "user": "UEN0001", "tab": "home"}
            assert await _post(http, url, event_body(home), "application/json") == 200
            (view,) = await fake.wait_for("views.publish")
            assert view.args["user_id"] == "UEN0001"
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
    assert process.returncode == 0, log.read_text()[-3000:]
    logged = log.read_text()
    assert TOKEN not in logged and SECRET not in logged
