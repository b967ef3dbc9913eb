"""AiohttpRequest: PTB's request layer on aiohttp, against servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.adapters.telegram.transport import AiohttpRequest
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


def _bot(url: str, **timeouts: float) -> Bot:
    return Bot(TOKEN, base_url=f"{url}/bot", request=AiohttpRequest(**timeouts))


async def test_form_fields_and_files_reach_the_api(api: FakeTelegramAPI) -> None:
    async with _bot(api.url) as bot:
        message = await bot.send_message(
            chat_id=5, text="<b>hola</b> &amp; adiós", parse_mode="HTML"
        )
        await bot.send_document(chat_id=5, document=InputFile(b"BEGIN:VCALENDAR", filename="a.ics"))
    assert message.text == "<b>hola</b> &amp; adiós"
    sent, document = api.calls_of("sendMessage")[0], api.calls_of("sendDocument")[0]
    assert (sent.params["chat_id"], sent.params["parse_mode"]) == (5, "HTML")
    assert document.files["document"] == ("a.ics", b"BEGIN:VCALENDAR")


async def test_errors_keep_ptbs_meaning(api: FakeTelegramAPI) -> None:
    api.fail("sendMessage", 429, retry_after=3)
    async with _bot(api.url) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(chat_id=5, text="x")


async def _slow_server(delay: float) -> tuple[web.AppRunner, str]:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


async def test_a_slow_answer_is_a_timeout() -> None:
    runner, url = await _slow_server(2.0)
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{url}/bot{TOKEN}/getMe")
        # An explicit timeout for one call wins over the default.
        body = await asyncio.wait_for(
            request.do_request(f"{url}/x", "POST", read_timeout=5.0, write_timeout=5.0), 10
        )
        assert body[0] == 200 and json.loads(body[1])["ok"] is True
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_unreachable_is_a_network_error() -> None:
    runner, url = await _slow_server(0)
    await runner.cleanup()  # nobody listens there any more
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"{url}/bot{TOKEN}/getMe")
        assert TOKEN not in str(caught.value)
    finally:
        await request.shutdown()


async def test_must_be_initialized_and_can_be_again(api: FakeTelegramAPI) -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{api.url}/bot{TOKEN}/getMe", "POST")
    for _ in range(2):
        await request.initialize()
        assert (await request.post(f"{api.url}/bot{TOKEN}/getMe"))["is_bot"] is True
        await request.shutdown()


async def test_proxy_variables_are_read_once_per_origin(monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request._proxy_for("https://api.telegram.org/bot1:x/getMe") == "http://127.0.0.1:3128"
    assert request._proxy_for("http://127.0.0.1:8081/bot1:x/getMe") is None
    monkeypatch.delenv("HTTPS_PROXY")
    # Remembered: the environment is not read on every request.
    assert request._proxy_for("https://api.telegram.org/bot1:x/sendMessage") == (
        "http://127.0.0.1:3128"
    )
