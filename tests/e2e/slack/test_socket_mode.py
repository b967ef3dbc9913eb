"""Socket Mode: the real AsyncSocketModeHandler connected to the fake's websocket."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

from bot.adapters.slack.services import slack_services
from bot.app import build_app
from bot.startup import ExitCode, StartupError
from bot.web.server import WebServer
from tests.e2e.slack.conftest import settings_for
from tests.fakes.slack_api import FakeSlackAPI, command_body, event_body


@pytest.fixture
async def socket_bot(fake: FakeSlackAPI, tmp_path: Path):
    settings = settings_for(fake, tmp_path).with_(
        slack_app_token=fake.app_token, slack_signing_secret=None
    )
    app = await build_app(settings)
    web = WebServer(host="127.0.0.1", port=0)
    assert slack_services(app, "web", web) == []  # Socket Mode runs in the worker
    services = slack_services(app, "worker", web)
    assert len(services) == 1 and not web.has_routes
    await services[0].start()
    await fake.wait_for_socket()
    try:
        yield app
    finally:
        await services[0].stop()
        await app.close()


async def test_event_over_the_socket_is_acked_and_answered_once(socket_bot, fake: FakeSlackAPI):
    event = {
        "type": "message",
        "channel": "DEN0001",
        "channel_type": "im",
        "user": "UEN0001",
        "text": "hello",
        "ts": "1558000000.000300",
    }
    payload = json.loads(event_body(event, event_id="Ev0SOCKET1"))
    envelope = await fake.socket_push("events_api", payload)
    await fake.wait_for_ack(envelope)
    (call,) = await fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "DEN0001"
    # Slack redelivers (retry_attempt 1): answered once all the same.
    again = await fake.socket_push("events_api", payload, retry_attempt=1, retry_reason="timeout")
    await fake.wait_for_ack(again)
    await fake.wait_for("chat.postMessage")
    assert len(fake.of("chat.postMessage")) == 1
    assert fake.of("apps.connections.open")[0].token == fake.app_token


async def test_slash_command_over_the_socket(socket_bot, fake: FakeSlackAPI):
    form = dict(
        urllib.parse.parse_qsl(
            command_body("hola", user="UES0001", response_url=fake.response_url("sock"))
        )
    )
    envelope = await fake.socket_push("slash_commands", form)
    await fake.wait_for_ack(envelope)
    (response, *_) = await fake.wait_for_responses()
    assert response["response_type"] == "ephemeral"


async def test_bad_app_token_fails_start_up_with_a_clear_error(fake: FakeSlackAPI, tmp_path: Path):
    settings = settings_for(fake, tmp_path).with_(slack_app_token="xapp-wrong")
    app = await build_app(settings)
    (service,) = slack_services(app, "all", WebServer(host="127.0.0.1", port=0))
    try:
        with pytest.raises(StartupError) as refused:
            await service.start()
    finally:
        await app.close()
    assert refused.value.code == ExitCode.REFUSED
    assert refused.value.message == "Slack refused SLACK_APP_TOKEN (invalid_auth): check the token"
    # Asked once, not retried until a timeout.
    assert len(fake.of("apps.connections.open")) == 1
