"""TelegramSender against the fake Bot API: one attempt, errors mapped to SendResult."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiohttp import web
from telegram.error import RetryAfter

from bot.adapters.telegram.sender import TelegramSender, retry_after_seconds
from bot.core.messages import Address, Button, Reply
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI

CHAT = Address("telegram", "4242")


@pytest.fixture
async def api():
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def sender(api):
    s = TelegramSender(TOKEN, api.url)
    yield s
    await s.close()


def reply(text: str = "Hola", **kw) -> Reply:
    return Reply(text=text, language="es", **kw)


async def test_sends_html_with_title_and_buttons(api, sender):
    result = await sender.send(
        CHAT,
        reply("a < b & c", title="Junio <2019>", buttons=((Button("Suscribirme", "sub:mega"),),)),
    )
    assert result.ok
    (call,) = api.sent("4242")
    assert call.params["parse_mode"] == "HTML"
    assert call.text == "<b>Junio &lt;2019&gt;</b>\n\na &lt; b &amp; c"
    assert call.callback_data() == ["sub:mega"]


async def test_long_reply_is_split_and_buttons_go_last(api, sender):
    text = "\n".join(f"• line {i} " + "x" * 80 for i in range(120))
    result = await sender.send(CHAT, reply(text, buttons=((Button("Más", "more:2"),),)))
    assert result.ok
    calls = api.sent("4242")
    assert len(calls) == 3
    assert all(len(c.text) <= 4096 for c in calls)
    assert "\n".join(c.text for c in calls) == text
    assert [c.callback_data() for c in calls] == [[], [], ["more:2"]]


async def test_document(api, sender):
    result = await sender.send(CHAT, reply("Tu calendario", document=("plan.ics", b"BEGIN:X")))
    assert result.ok
    (doc,) = api.calls_of("sendDocument")
    assert doc.files["document"] == ("plan.ics", b"BEGIN:X")


async def test_rate_limit_reports_retry_after(api, sender):
    api.fail("sendMessage", 429, retry_after=7)
    result = await sender.send(CHAT, reply())
    assert not result.ok and not result.permanent
    assert result.retry_after == 7
    assert (await sender.send(CHAT, reply())).ok


async def test_blocked_is_permanent(api, sender):
    api.fail("sendMessage", 403)
    result = await sender.send(CHAT, reply())
    assert not result.ok and result.permanent
    assert "blocked" in (result.error or "")


async def test_chat_not_found_is_permanent(api, sender):
    api.fail("sendMessage", 400, "Bad Request: chat not found")
    result = await sender.send(CHAT, reply())
    assert not result.ok and result.permanent


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_temporary(api, sender, status):
    api.fail("sendMessage", status)
    result = await sender.send(CHAT, reply())
    assert not result.ok and not result.permanent and result.retry_after is None


async def test_unreachable_server_is_temporary_and_never_raises():
    sender = TelegramSender(TOKEN, "http://127.0.0.1:9")
    try:
        result = await sender.send(CHAT, reply())
    finally:
        await sender.close()
    assert not result.ok and not result.permanent


async def test_group_migrated_is_resent_to_the_new_chat(api, sender):
    # Telegram answers 400 with parameters.migrate_to_chat_id, once.
    original = api._m_sendMessage
    state = {"first": True}

    async def migrating(params, files):
        if state["first"]:
            state["first"] = False
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": -100777},
                },
                status=400,
            )
        return await original(params, files)

    api._m_sendMessage = migrating
    result = await sender.send(Address("telegram", "-42"), reply())
    assert result.ok
    assert [str(c.chat_id) for c in api.sent()] == ["-42", "-100777"]


async def test_deliver_waits_out_rate_limit_and_resumes(api, sender):
    text = "\n".join("y" * 100 for _ in range(60))  # two parts
    api.fail("sendMessage", 429, retry_after=1, chat_id="4242")
    result = await sender.deliver(CHAT, reply(text))
    assert result.ok
    calls = api.sent("4242")
    assert len(calls) == 3  # the refused first part, then both parts once


async def test_deliver_backs_off_on_network_errors(api, sender):
    api.fail("sendMessage", 502, times=2)
    result = await sender.deliver(CHAT, reply(), backoff=0.01)
    assert result.ok
    assert len(api.sent("4242")) == 3


async def test_token_never_logged_or_reported(api, caplog):
    caplog.set_level(logging.DEBUG)
    sender = TelegramSender(TOKEN, api.url.replace(str(api.port), "9"))
    try:
        result = await sender.send(CHAT, reply())
    finally:
        await sender.close()
    assert TOKEN not in (result.error or "")
    assert TOKEN.split(":")[1] not in caplog.text
    assert "TEST-fake" not in repr(sender)


@pytest.mark.parametrize("timedelta_mode", ["true", "false"])
def test_retry_after_int_or_timedelta(monkeypatch, timedelta_mode):
    monkeypatch.setenv("PTB_TIMEDELTA", timedelta_mode)
    assert retry_after_seconds(RetryAfter(12)) == 12.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=3))) == 3.0
