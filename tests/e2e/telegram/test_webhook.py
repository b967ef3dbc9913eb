"""Webhook mode: setWebhook with a secret, POST /telegram on the shared web server."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import pytest

from bot.adapters.telegram.adapter import SECRET_HEADER, TelegramAdapter, webhook_secret
from bot.app import App, build_app
from bot.config import Settings
from bot.services import services_for
from bot.web.server import WebServer
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI

from .conftest import Spy, until

SECRET = "s3cret-Token_1"
PUBLIC_URL = "https://bot.example.org/telegram"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, telegram_webhook_url=PUBLIC_URL, telegram_webhook_secret=SECRET)


async def _serve(app: App) -> tuple[WebServer, TelegramAdapter]:
    web = WebServer(host="127.0.0.1", port=0)
    adapter = TelegramAdapter(app, web=web)
    await web.start()
    await adapter.start()
    return web, adapter


@pytest.fixture
async def hooked(bot_app: App, spy: Spy) -> AsyncIterator[tuple[str, TelegramAdapter]]:
    web, adapter = await _serve(bot_app)
    try:
        yield f"http://127.0.0.1:{web.port}/telegram", adapter
    finally:
        await adapter.stop()
        await web.stop()


async def post(url: str, body: bytes | dict, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers=headers) as response,
    ):
        return response.status


async def test_registers_the_webhook_with_its_secret_and_does_not_poll(
    api: FakeTelegramAPI, hooked: tuple[str, TelegramAdapter]
) -> None:
    (call,) = api.calls_of("setWebhook")
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == SECRET
    assert set(call.params["allowed_updates"]) >= {"message", "callback_query"}
    assert not api.calls_of("getUpdates")


async def test_right_secret_is_answered(
    api: FakeTelegramAPI, hooked: tuple[str, TelegramAdapter], spy: Spy
) -> None:
    url, adapter = hooked
    status = await post(url, api.message_update("¿qué hay en junio?", language_code="es"))
    assert status == 200
    await until(lambda: adapter.handled == 1)
    assert spy.last()[1][0].language == "es"
    assert api.sent()


@pytest.mark.parametrize("secret", [None, "wrong", "", SECRET + "x"])
async def test_wrong_or_missing_secret_is_refused(
    api: FakeTelegramAPI, hooked: tuple[str, TelegramAdapter], spy: Spy, secret: str | None
) -> None:
    url, adapter = hooked
    assert await post(url, api.message_update("/help"), secret=secret) == 403
    # Proof that nothing was queued: a good request afterwards is the first one handled.
    assert await post(url, api.message_update("/start")) == 200
    await until(lambda: adapter.handled == 1)
    assert [i.text for i, _ in spy.seen] == ["/start"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'{"update_id": "x"}', 400),
        (b'{"update_id": 1, "message": ' + b" " * (1024 * 1024) + b"}", 413),
    ],
)
async def test_bad_bodies_are_refused(
    hooked: tuple[str, TelegramAdapter], body: bytes, status: int
) -> None:
    url, adapter = hooked
    assert await post(url, body) == status
    assert adapter.handled == 0


async def test_the_same_update_delivered_twice_is_handled_once(
    api: FakeTelegramAPI, hooked: tuple[str, TelegramAdapter], spy: Spy
) -> None:
    url, adapter = hooked
    update = api.message_update("/help")
    assert await post(url, update) == 200
    assert await post(url, update) == 200  # Telegram retried: still acknowledged
    assert await post(url, api.message_update("/start")) == 200
    await until(lambda: adapter.handled == 2)
    assert [i.text for i, _ in spy.seen] == ["/help", "/start"]


async def test_two_web_processes_handle_a_retried_update_once(
    api: FakeTelegramAPI, settings: Settings, bot_app: App, spy: Spy
) -> None:
    # A second "process": its own app and Application on the same database.
    other_app = await build_app(settings)
    web1, one = await _serve(bot_app)
    web2, two = await _serve(other_app)
    try:
        update = api.message_update("/help")
        for web in (web1, web2):
            assert await post(f"http://127.0.0.1:{web.port}/telegram", update) == 200
        marker = api.message_update("/start")
        assert await post(f"http://127.0.0.1:{web2.port}/telegram", marker) == 200
        await until(lambda: one.handled + two.handled >= 2)
        assert len(api.sent()) == 2
    finally:
        for service in (one, two, web1, web2):
            await service.stop()
        await other_app.close()


def test_services_per_role(bot_app: App) -> None:
    polling = replace(bot_app, settings=replace(bot_app.settings, telegram_webhook_url=None))
    hooked = bot_app

    def names(app: App, role: str) -> list[str]:
        return [s.name for s in services_for(app, role)]

    assert "telegram" in names(polling, "worker") and "telegram" in names(polling, "all")
    assert "telegram" not in names(polling, "web") and "telegram" not in names(polling, "clock")
    assert "telegram" in names(hooked, "web") and "telegram" in names(hooked, "all")
    assert "telegram" not in names(hooked, "worker")
    web_services = names(hooked, "web")
    assert web_services.index("web") < web_services.index("telegram")
    no_token = replace(bot_app, settings=replace(bot_app.settings, telegram_token=None))
    assert "telegram" not in names(no_token, "all")


def test_derived_secret_is_stable_and_valid() -> None:
    derived = webhook_secret(TOKEN, None)
    assert derived == webhook_secret(TOKEN, None) != webhook_secret(TOKEN + "x", None)
    assert derived.isalnum() and len(derived) <= 256
    assert webhook_secret(TOKEN, SECRET) == SECRET


async def test_secret_and_token_never_logged(
    api: FakeTelegramAPI, bot_app: App, spy: Spy, caplog
) -> None:
    caplog.set_level(logging.DEBUG)  # PTB logs every call's parameters at DEBUG
    web, adapter = await _serve(bot_app)
    try:
        url = f"http://127.0.0.1:{web.port}/telegram"
        await post(url, api.message_update("/help"), secret="bad")
        await post(url, api.message_update("/help"))
        await until(lambda: adapter.handled == 1)
    finally:
        await adapter.stop()
        await web.stop()
    assert "setWebhook" in caplog.text  # the parameters were logged…
    assert SECRET not in caplog.text and TOKEN not in caplog.text  # …without the secrets
