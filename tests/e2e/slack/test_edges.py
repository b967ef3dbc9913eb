"""``POST /slack/events`` at its edges: malformed, forged and replayed requests are refused
before any work, with a 4xx and at most one WARNING line (never a traceback or a 500)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import urllib.parse

import pytest
from sqlalchemy import func, select

from bot.db.models import InboundUpdate
from tests.e2e.slack.conftest import SECRET, TOKEN, Slack
from tests.fakes.slack_api import action_body, command_body, event_body, trigger_id

EN = "UEN0001"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def signed(body: bytes, *, secret: str = SECRET, timestamp: str | None = None) -> dict[str, str]:
    """Slack's two headers for raw ``body`` (any bytes, UTF-8 or not)."""
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


async def post(slack: Slack, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with slack.http.post(slack.url, data=body, headers=headers) as response:
        return response.status, await response.text()


async def inbound_count(slack: Slack) -> int:
    async with slack.app.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundUpdate)) or 0)


def loud(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at WARNING or above."""
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """At most one WARNING line, no traceback anywhere, and no secret."""
    assert len(loud(caplog)) <= 1, [r.getMessage() for r in loud(caplog)]
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]
    text = caplog.text
    assert "Traceback" not in text and SECRET not in text and TOKEN not in text


def form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


UNSIGNED = {
    "json array": (b"[1, 2, 3]", {"Content-Type": JSON}),
    "json string": (b'"hello"', {"Content-Type": JSON}),
    "form payload array": (form({"payload": "[1, 2]"}), {"Content-Type": FORM}),
    "timestamp abc": (b"{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "abc"}),
    "timestamp huge": (b"{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "9" * 40}),
    "signature not ascii": (
        b"{}",
        {"Content-Type": JSON, "X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=é"},
    ),
    "not utf-8": (b"\xff\xfe{", {"Content-Type": JSON}),
}


@pytest.mark.parametrize("case", list(UNSIGNED), ids=list(UNSIGNED))
async def test_unsigned_or_forged_requests_get_401_before_any_parsing(
    slack: Slack, caplog: pytest.LogCaptureFixture, case: str
):
    caplog.set_level(logging.INFO)
    body, headers = UNSIGNED[case]
    status, _ = await post(slack, body, headers)
    assert status == 401
    await asyncio.sleep(0.1)
    assert slack.fake.calls == [] and await inbound_count(slack) == 0
    assert_quiet(caplog)
    assert [r.getMessage() for r in loud(caplog)] == [
        "slack: refused a request from 127.0.0.1: signature missing, invalid or too old (401)"
    ]


SIGNED_MALFORMED = {
    "json array": (b"[1, 2, 3]", JSON),
    "json string": (b'"hello"', JSON),
    "json number": (b"42", JSON),
    "json null": (b"null", JSON),
    "json broken": (b'{"type": "event_callback", "event": ', JSON),
    "json surrogate escape only": (b'"\\ud800"', JSON),
    "form payload array": (form({"payload": "[1, 2]"}), FORM),
    "form payload string": (form({"payload": '"x"'}), FORM),
    "form payload not json": (form({"payload": "{nope"}), FORM),
    "not utf-8": (b'{"type": "\xff"}', JSON),
    "event a string": (
        json.dumps({"type": "event_callback", "event": "x", "event_id": "Ev9"}).encode(),
        JSON,
    ),
    "authorizations a dict": (
        json.dumps({"type": "event_callback", "authorizations": {"a": 1}}).encode(),
        JSON,
    ),
    "actions a string": (
        form({"payload": json.dumps({"type": "block_actions", "actions": "x", "user": "U"})}),
        FORM,
    ),
}


@pytest.mark.parametrize("case", list(SIGNED_MALFORMED), ids=list(SIGNED_MALFORMED))
async def test_signed_but_malformed_requests_get_a_4xx_and_nothing_is_done(
    slack: Slack, caplog: pytest.LogCaptureFixture, case: str
):
    caplog.set_level(logging.INFO)
    body, content_type = SIGNED_MALFORMED[case]
    status, _ = await post(slack, body, {"Content-Type": content_type, **signed(body)})
    assert 400 <= status < 500
    await asyncio.sleep(0.1)
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []
    assert await inbound_count(slack) == 0
    assert_quiet(caplog)


async def test_a_signed_request_no_listener_takes_gets_404_and_an_info_line(
    slack: Slack, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    body = event_body({"type": "reaction_added", "user": EN, "reaction": "tada"}).encode()
    status, _ = await post(slack, body, {"Content-Type": JSON, **signed(body)})
    assert status == 404
    assert loud(caplog) == [] and "Traceback" not in caplog.text


async def test_a_stale_signature_is_refused(slack: Slack, caplog: pytest.LogCaptureFixture):
    body = b"{}"
    headers = {"Content-Type": JSON, **signed(body, timestamp=str(int(time.time()) - 301))}
    assert (await post(slack, body, headers))[0] == 401
    ahead = {"Content-Type": JSON, **signed(body, timestamp=str(int(time.time()) + 301))}
    assert (await post(slack, body, ahead))[0] == 401
    assert slack.fake.calls == []


async def test_slacks_ssl_check_is_answered_without_a_signature(slack: Slack):
    status, _ = await post(slack, form({"ssl_check": "1", "token": "x"}), {"Content-Type": FORM})
    assert status == 200
    assert slack.fake.calls == [] and await inbound_count(slack) == 0


async def test_a_replayed_slash_command_is_answered_once(
    slack: Slack, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    body = command_body(
        "next events", user=EN, response_url=slack.fake.response_url(EN), trigger=trigger_id()
    )
    headers = {"Content-Type": FORM, **signed(body.encode())}
    first = await post(slack, body.encode(), headers)
    await slack.fake.wait_for_responses(1)
    again = await post(slack, body.encode(), headers)  # the same signed request, replayed
    assert first[0] == again[0] == 200
    await asyncio.sleep(0.5)
    assert len(slack.fake.responses) == 1
    assert await inbound_count(slack) == 1
    assert loud(caplog) == []


async def test_a_replayed_button_press_is_handled_once(slack: Slack):
    body = action_body("cmd:help", user=EN, channel="DEN0001", trigger=trigger_id())
    headers = {"Content-Type": FORM, **signed(body.encode())}
    results = await asyncio.gather(*(post(slack, body.encode(), headers) for _ in range(3)))
    assert [status for status, _ in results] == [200, 200, 200]
    await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.5)
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_different_commands_are_each_answered(slack: Slack):
    for text in ("next events", "pilot projects"):
        assert await slack.command(text, user=EN) == 200
    await slack.fake.wait_for_responses(2)


ODD_EVENTS = {
    "home user a list": {"type": "app_home_opened", "user": ["U"], "tab": "home"},
    "home user a number": {"type": "app_home_opened", "user": 5},
    "dm user an object": {"type": "message", "channel_type": "im", "user": {"id": "U"}},
    "dm text a number": {
        "type": "message",
        "channel_type": "im",
        "channel": "DEN0001",
        "user": EN,
        "text": 5,
        "ts": "1.1",
    },
    "mention channel a list": {"type": "app_mention", "user": EN, "channel": ["C"], "text": "x"},
}


@pytest.mark.parametrize("case", list(ODD_EVENTS), ids=list(ODD_EVENTS))
async def test_signed_events_with_odd_field_types_are_ignored_quietly(
    slack: Slack, caplog: pytest.LogCaptureFixture, case: str
):
    caplog.set_level(logging.INFO)
    body = event_body(ODD_EVENTS[case]).encode()
    status, _ = await post(slack, body, {"Content-Type": JSON, **signed(body)})
    assert status in (200, 400)  # acked and ignored, or refused where bolt cannot read it
    await asyncio.sleep(0.3)
    assert_quiet(caplog)


async def test_odd_button_payloads_are_ignored_quietly(
    slack: Slack, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    payload = {
        "type": "block_actions",
        "user": "UEN0001",  # a string where Slack sends an object
        "container": ["x"],
        "trigger_id": trigger_id(),
        "actions": [{"action_id": 5, "value": ["v"]}],
    }
    body = form({"payload": json.dumps(payload)})
    status, _ = await post(slack, body, {"Content-Type": FORM, **signed(body)})
    assert status in (200, 400)
    await asyncio.sleep(0.3)
    assert_quiet(caplog)
