"""MessagePoster against fake Slack servers on 127.0.0.1: the client's contract, kept."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.poster import MessagePoster
from bot.adapters.slack.sender import make_client, result_of
from tests.fakes.slack_api import FakeSlackAPI

PAYLOAD = {
    "channel": "D0000001",
    "text": "Junio: <!channel> &amp; más",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Junio*"}}],
    "unfurl_links": False,
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackAPI]:
    api = await FakeSlackAPI().start()
    yield api
    await api.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def test_posts_the_payload_as_json_with_the_token(fake, session):
    poster = MessagePoster(make_client(fake.token, fake.api_url, session=session))
    response = await poster.post("chat.postMessage", PAYLOAD)
    assert response["ok"] and response.status_code == 200
    (call,) = fake.of("chat.postMessage")
    assert call.token == fake.token
    assert call.args["channel"] == "D0000001" and call.args["text"] == PAYLOAD["text"]
    assert call.blocks() == PAYLOAD["blocks"] and call.args["unfurl_links"] is False
    assert fake.token not in repr(poster)


async def test_ephemeral_goes_to_its_own_method(fake, session):
    poster = MessagePoster(make_client(fake.token, fake.api_url, session=session))
    await poster.post("chat.postEphemeral", {**PAYLOAD, "user": "U0000001"})
    (call,) = fake.of("chat.postEphemeral")
    assert call.args["user"] == "U0000001"


async def test_refusal_raises_slack_api_error_like_the_client(fake, session):
    fake.fail("chat.postMessage", "channel_not_found")
    poster = MessagePoster(make_client(fake.token, fake.api_url, session=session))
    with pytest.raises(SlackApiError) as raised:
        await poster.post("chat.postMessage", PAYLOAD)
    assert raised.value.response["error"] == "channel_not_found"
    assert raised.value.response.status_code == 200


async def test_rate_limit_waits_retry_after_then_succeeds(fake, session):
    fake.rate_limit("chat.postMessage", retry_after=1)
    poster = MessagePoster(make_client(fake.token, fake.api_url, session=session))
    started = time.monotonic()
    assert (await poster.post("chat.postMessage", PAYLOAD))["ok"]
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert len(fake.of("chat.postMessage")) == 2


async def test_without_the_rate_limit_handler_429_is_reported(fake, session):
    fake.rate_limit("chat.postMessage", retry_after=7)
    client = make_client(fake.token, fake.api_url, session=session, retry_rate_limits=False)
    with pytest.raises(SlackApiError) as raised:
        await MessagePoster(client).post("chat.postMessage", PAYLOAD)
    assert raised.value.response.status_code == 429
    assert result_of(raised.value).retry_after == 7  # the outbox reads Retry-After from it
    assert len(fake.of("chat.postMessage")) == 1


async def _one_shot_server(answers: list[bytes | None]) -> tuple[asyncio.Server, str, list[bytes]]:
    """A raw HTTP server that answers each request with the next of ``answers``; ``None``
    closes the connection without answering (a dropped keep-alive connection)."""
    received: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        received.append(await reader.readexactly(length))
        answer = answers.pop(0)
        if answer is not None:
            writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/api/", received


def _http(body: bytes, content_type: str = "application/json") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"Connection: close\r\n\r\n" + body


async def test_dropped_connection_is_retried_once(session):
    ok = _http(json.dumps({"ok": True, "ts": "1.2"}).encode())
    server, url, received = await _one_shot_server([None, ok])
    try:
        poster = MessagePoster(make_client("xoxb-test", url, session=session))
        assert (await poster.post("chat.postMessage", PAYLOAD))["ts"] == "1.2"
    finally:
        server.close()
    assert len(received) == 2 and json.loads(received[1])["channel"] == "D0000001"


async def test_dropped_twice_raises_the_network_error(session):
    server, url, received = await _one_shot_server([None, None])
    try:
        poster = MessagePoster(make_client("xoxb-test", url, session=session))
        with pytest.raises(aiohttp.ClientError):
            await poster.post("chat.postMessage", PAYLOAD)
    finally:
        server.close()
    assert len(received) == 2  # one retry, then the error


async def test_a_body_that_is_not_json_is_a_failed_call(session):
    server, url, _ = await _one_shot_server([_http(b"<html>proxy error</html>", "text/html")])
    try:
        poster = MessagePoster(make_client("xoxb-test", url, session=session))
        with pytest.raises(SlackApiError):
            await poster.post("chat.postMessage", PAYLOAD)
    finally:
        server.close()


def test_needs_a_client_with_a_session():
    with pytest.raises(ValueError, match="session"):
        MessagePoster(AsyncWebClient(token="xoxb-test"))
