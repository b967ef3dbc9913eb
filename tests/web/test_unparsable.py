"""Requests aiohttp cannot parse: 400, one WARNING line, no traceback, no calendar token.

Sent as raw bytes over a socket to the real web server on 127.0.0.1 (an HTTP client would
refuse to send most of them).
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web

from bot.calendars import token_for
from bot.db.models import User
from bot.logs import SecretFilter, redact_paths
from bot.web.server import WebServer
from tests.web.conftest import Served


async def raw(port: int, data: bytes) -> bytes:
    """Send ``data`` as is; the start of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(200), 10)
    finally:
        writer.close()
        await writer.wait_closed()


async def personal_token(served: Served) -> str:
    async with served.db.write() as session:
        user = User(platform="slack", platform_user_id="U1", chat_id="U1", language="en")
        session.add(user)
        await session.flush()
        user_id = user.id
    return await token_for(served.db, user_id)


def port_of(served: Served) -> int:
    return int(served.url.rsplit(":", 1)[1])


def cases(token: str) -> dict[str, tuple[bytes, str]]:
    path = f"/calendar/{token}.ics"
    return {
        "request line too long": (
            f"GET {path}?q={'a' * 20_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
            "LineTooLong",
        ),
        "header too long": (
            f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Pad: {'b' * 20_000}\r\n\r\n".encode(),
            "LineTooLong",
        ),
        "bad version": (f"GET {path} HTTP/9.9\r\nHost: x\r\n\r\n".encode(), "BadStatusLine"),
        "bad header": (f"GET {path} HTTP/1.1\r\nHo st: x\r\n\r\n".encode(), "BadHttpMessage"),
        "broken chunked body": (
            b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "BadHttpMessage",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "request line too long",
        "header too long",
        "bad version",
        "bad header",
        "broken chunked body",
    ],
)
async def test_an_unparsable_request_is_one_warning_line_without_the_token(
    served: Served, caplog: pytest.LogCaptureFixture, case: str
):
    token = await personal_token(served)
    caplog.set_level(logging.DEBUG)
    data, kind = cases(token)[case]
    answer = await raw(port_of(served), data)
    assert answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.0 400")
    await asyncio.sleep(0.05)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].getMessage().startswith("web: refused an unparsable request from 127.0.0.1")
    assert kind in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]
    assert token not in caplog.text and "Traceback" not in caplog.text


async def test_a_request_that_is_not_http_at_all_stays_at_debug(
    served: Served, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    answer = await raw(
        port_of(served), b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"
    )
    assert b"400" in answer
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Traceback" not in caplog.text


async def test_a_handlers_own_error_keeps_its_traceback(caplog: pytest.LogCaptureFixture):
    # A bug must stay visible: only requests the server cannot parse are quietened.
    async def broken(request):
        raise RuntimeError("a bug")

    server = WebServer(host="127.0.0.1", port=0)
    server.add_get("/broken", broken)
    await server.start()
    try:
        answer = await raw(server.port, b"GET /broken HTTP/1.1\r\nHost: x\r\n\r\n")
    finally:
        await server.stop()
    assert answer.startswith(b"HTTP/1.1 500")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].exc_info is not None


def test_the_secret_filter_rewrites_any_record_and_its_traceback():
    guard = SecretFilter(["123456:ABCDEFGHsecret", "xoxb-very-secret"])
    try:
        raise ValueError("GET /calendar/AbC_dEf-123.ics with xoxb-very-secret")
    except ValueError as exc:
        record = logging.LogRecord(
            "any", logging.ERROR, __file__, 1, "call %s failed: %s", ("x", exc), exc.__traceback__
        )
        record.exc_info = (ValueError, exc, exc.__traceback__)
    record.args = ("/bot123456:ABCDEFGHsecret/getMe", "ABCDEFGHsecret")
    assert guard.filter(record)
    assert record.getMessage() == "call /bot***/getMe failed: ***"
    assert record.exc_text is not None
    assert "/calendar/***" in record.exc_text and "xoxb" not in record.exc_text
    assert redact_paths("/calendar/abc") == "/calendar/***"
    assert redact_paths("/calendar.ics?lang=fr") == "/calendar.ics?lang=fr"


async def test_a_compressed_body_is_refused_before_it_is_read(
    served: Served, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    body = b"[" * 200_000  # claims to be deflate; a large one once held the handler forever
    async with served.session.post(
        served.url + "/healthz",
        data=body,
        headers={"Content-Encoding": "deflate", "Content-Type": "application/json"},
    ) as response:
        assert response.status == 415
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ["web: refused a compressed request body from 127.0.0.1 (415)"]


async def test_a_client_leaving_in_the_middle_of_its_body_is_not_an_error(
    served: Served, caplog: pytest.LogCaptureFixture
):
    from bot.web.server import WebServer as Server

    caplog.set_level(logging.DEBUG)
    read = asyncio.Event()

    async def reads(request):
        read.set()
        return web.Response(text=str(len(await request.read())))

    server = Server(host="127.0.0.1", port=0)
    server.add_post("/reads", reads)
    await server.start()
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"POST /reads HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789")
        await writer.drain()
        await read.wait()
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(0.2)
    finally:
        await server.stop()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Traceback" not in caplog.text
