"""The real python-telegram-bot Application, long polling the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.commands import MENU
from bot.adapters.telegram.convert import render
from bot.app import App
from bot.core.messages import Reply
from bot.db.models import Subscription, User
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, FakeTelegramAPI

from .conftest import Spy, converse, until


def rendered(replies: list[Reply]) -> list[str]:
    return [part.text for reply in replies for part in render(reply) if part.text]


# ------------------------------------------------------------------ languages


@pytest.mark.parametrize(
    ("text", "hint", "language"),
    [
        ("¿qué hay en junio?", "es", "es"),
        ("quoi de prévu en juin ?", "en", "fr"),  # the text wins over the app's language
        ("what's on in June?", "en", "en"),
        ("¿qué hay en junio?", "fr", "es"),
    ],
)
async def test_a_question_is_answered_in_its_language(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy, text: str, hint: str, language: str
) -> None:
    calls = await converse(api, telegram, api.message_update(text, language_code=hint))
    incoming, replies = spy.last()
    assert incoming.text == text and incoming.locale_hint == hint and not incoming.is_group
    assert replies and {r.language for r in replies} == {language}
    assert [c.text for c in calls] == rendered(replies)
    assert all(c.params["parse_mode"] == "HTML" for c in calls)


@pytest.mark.parametrize(
    ("text", "hint", "language", "month"),
    [
        ("¿qué hay en junio?", "es", "es", "junio"),
        ("quoi de prévu en juin ?", "en", "fr", "juin"),
        ("what's on in June?", "fr", "en", "june"),
    ],
)
async def test_june_events_in_the_question_language(
    api: FakeTelegramAPI,
    telegram: TelegramAdapter,
    bot_app: App,
    spy: Spy,
    text: str,
    hint: str,
    language: str,
    month: str,
) -> None:
    if "events" not in bot_app.core.commands:
        pytest.skip("the events handler has not landed yet")
    calls = await converse(api, telegram, api.message_update(text, language_code=hint))
    sent = "\n".join(c.text for c in calls)
    assert {r.language for r in spy.last()[1]} == {language}
    assert month in sent.lower() and "\n1. " in sent  # a numbered list of that month's events


async def test_command_text_reaches_the_core_as_typed(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    await converse(api, telegram, api.message_update(f"/events@{BOT_USERNAME} juin"))
    assert spy.last()[0].text == f"/events@{BOT_USERNAME} juin"


async def test_language_choice_sticks(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    await converse(api, telegram, api.message_update("/language fr", language_code="en"))
    assert spy.last()[1][0].language == "fr"
    for text in ("/help", "/start", "MEGA"):
        await converse(api, telegram, api.message_update(text, language_code="en"))
        assert {r.language for r in spy.last()[1]} == {"fr"}, text


# ------------------------------------------------------------------ /start and buttons


async def test_start_offers_buttons_and_a_press_comes_back_as_an_action(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    calls = await converse(api, telegram, api.message_update("/start", language_code="es"))
    replies = spy.last()[1]
    assert replies[0].language == "es"
    assert calls[0].text.startswith(f"<b>{replies[0].title}</b>")
    actions = [b.action for r in replies for row in r.buttons for b in row]
    assert actions and [d for c in calls for d in c.callback_data()] == actions
    assert all(len(a.encode()) <= 64 for a in actions)

    press = api.callback_update(actions[0], language_code="es")
    calls = await converse(api, telegram, press)
    (answer,) = api.calls_of("answerCallbackQuery")
    assert answer.params["callback_query_id"] == press["callback_query"]["id"]
    incoming, replies = spy.last()
    assert incoming.action == actions[0] and incoming.text == ""
    assert calls and [c.text for c in calls] == rendered(replies)


async def test_a_button_press_subscribes(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App, spy: Spy
) -> None:
    calls = await converse(api, telegram, api.message_update("tell me about MEGA"))
    offered = [d for c in calls for d in c.callback_data() if d.startswith("~sub:")]
    assert offered, "no subscribe button under the project"
    card = calls[-1].result["message_id"]
    sent = len(api.sent())
    await converse(api, telegram, api.callback_update(offered[0], message_id=card))
    assert api.calls_of("answerCallbackQuery")
    assert len(api.sent()) == sent  # the card itself changed: no new message
    async with bot_app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert [(r.target, r.platform, r.chat_id, r.active) for r in rows] == [
        (offered[0].removeprefix("~sub:"), "telegram", "1001", True)
    ]


async def test_an_expired_button_still_gets_its_answer(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    api.fail("answerCallbackQuery", 400, "Bad Request: query is too old")
    calls = await converse(api, telegram, api.callback_update("cmd:themes"))
    assert calls and spy.last()[0].action == "cmd:themes"


# ------------------------------------------------------------------ input that could break


async def test_a_10000_character_question(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    text = ("¿Qué eventos hay en junio en Barcelona? " * 300)[:10_000]
    calls = await converse(api, telegram, api.message_update(text, language_code="es"))
    assert len(spy.last()[0].text) == 10_000
    assert calls and all(len(c.text) <= 4096 for c in calls)
    assert api.counts["sendMessage"] == len(calls)  # no refused message


async def test_html_looking_input_cannot_break_the_reply(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App, spy: Spy
) -> None:
    # The real core: the fake refuses invalid HTML with 400, so an answer proves it is valid.
    calls = await converse(api, telegram, api.message_update("<b>&*"))
    assert calls and api.sent()[-1].text == rendered(spy.last()[1])[-1]

    # A core that quotes the user: what they wrote is shown, escaped, never interpreted.
    async def echo(incoming):  # type: ignore[no-untyped-def]
        return [Reply(text=f"You said: {incoming.text}", language="en", title="<i>Echo</i>")]

    bot_app.core.handle = echo  # type: ignore[method-assign]
    calls = await converse(api, telegram, api.message_update("<b>&* </i><a href='x'>"))
    assert [c.text for c in calls] == [
        "<b>&lt;i&gt;Echo&lt;/i&gt;</b>\n\nYou said: &lt;b&gt;&amp;* &lt;/i&gt;&lt;a href='x'&gt;"
    ]


async def test_a_document_is_sent_as_a_file(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    async def calendar(incoming):  # type: ignore[no-untyped-def]
        return [Reply(text="Your calendar", language="en", document=("plan.ics", b"BEGIN:V"))]

    bot_app.core.handle = calendar  # type: ignore[method-assign]
    calls = await converse(api, telegram, api.message_update("/calendar"))
    assert [c.method for c in calls] == ["sendMessage", "sendDocument"]
    assert calls[1].files["document"] == ("plan.ics", b"BEGIN:V")


# ------------------------------------------------------------------ groups


async def test_in_groups_only_commands_mentions_and_replies_are_answered(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    group = {"chat_id": -500, "chat_type": "group", "user_id": 7}
    ignored = [
        api.message_update("¿qué hay en junio?", **group),
        api.message_update("/help@SomeOtherBot", **group),
    ]
    handled = telegram.handled
    for update in ignored:
        api.push(update)
    # Wait until they are handled (and dropped), or they would count as the answered ones.
    await until(lambda: telegram.handled >= handled + len(ignored))
    calls = await converse(
        api,
        telegram,
        api.message_update("/help", **group),
        api.message_update(f"@{BOT_USERNAME} ¿qué hay en junio?", **group),
        api.message_update("and in July?", reply_to_bot=True, **group),
    )
    texts = [incoming.text for incoming, _ in spy.seen]
    assert texts == ["/help", "¿qué hay en junio?", "and in July?"]
    assert all(incoming.is_group and incoming.chat_id == "-500" for incoming, _ in spy.seen)
    assert {str(c.chat_id) for c in calls} == {"-500"}


# ------------------------------------------------------------------ errors


async def test_429_waits_and_retries(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    api.fail("sendMessage", 429, retry_after=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await converse(api, telegram, api.message_update("/help"))
    assert loop.time() - started >= 1.0
    sent = api.sent()
    assert len(sent) == len(rendered(spy.last()[1])) + 1  # the refused one, then all parts
    assert sent[0].text == sent[1].text


async def test_403_deactivates_the_chats_subscriptions_and_polling_goes_on(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    await converse(api, telegram, api.message_update("/start", user_id=55))
    async with bot_app.db.write() as session:
        user = await session.scalar(select(User).where(User.platform_user_id == "55"))
        assert user is not None
        for target in ("mega", "metroairports"):
            session.add(
                Subscription(
                    user_id=user.id,
                    target_kind="item",
                    target=target,
                    platform="telegram",
                    chat_id="55",
                )
            )
    api.fail("sendMessage", 403, chat_id=55)
    await converse(api, telegram, api.message_update("/help", user_id=55))
    async with bot_app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert [(r.active, r.deactivated_reason) for r in rows] == [(False, "blocked")] * 2
    assert len(api.sent(55)) == 2  # /start's answer, then the refused one: no retry
    calls = await converse(api, telegram, api.message_update("/help", user_id=56))
    assert calls  # still polling, still answering others


async def test_being_blocked_pauses_subscriptions(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    await converse(api, telegram, api.message_update("/start", user_id=77))
    async with bot_app.db.write() as session:
        user = await session.scalar(select(User).where(User.platform_user_id == "77"))
        assert user is not None
        session.add(
            Subscription(
                user_id=user.id, target_kind="theme", target="x", platform="telegram", chat_id="77"
            )
        )
    member = {"id": 123456, "is_bot": True, "first_name": "Metropolis"}
    api.push(
        {
            "my_chat_member": {
                "chat": {"id": 77, "type": "private", "first_name": "Ana"},
                "from": {"id": 77, "is_bot": False, "first_name": "Ana"},
                "date": 1,
                "old_chat_member": {"status": "member", "user": member},
                "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
            }
        }
    )

    async def paused() -> bool:
        async with bot_app.db.read() as session:
            row = await session.scalar(select(Subscription))
        return row is not None and not row.active

    for _ in range(200):
        if await paused():
            break
        await asyncio.sleep(0.02)
    assert await paused()


async def test_a_failing_core_does_not_stop_polling_and_logs_no_token(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    handle = bot_app.core.handle

    async def broken(incoming):  # type: ignore[no-untyped-def]
        if incoming.text == "boom":
            raise RuntimeError(f"exploded near {TOKEN}")
        return await handle(incoming)

    bot_app.core.handle = broken  # type: ignore[method-assign]
    boom = api.send_text("boom", user_id=9)
    api.fail("sendMessage", 502)
    calls = await converse(api, telegram, api.message_update("/help", user_id=9))
    assert calls
    assert f"update {boom['update_id']} failed" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_network_errors_on_getupdates_are_retried(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    api.fail("getUpdates", 502, times=2)
    calls = await converse(api, telegram, api.message_update("/help"), within=20)
    assert calls


# ------------------------------------------------------------------ duplicates, menus


async def test_the_same_update_twice_is_handled_once(
    api: FakeTelegramAPI, telegram: TelegramAdapter, spy: Spy
) -> None:
    update = api.message_update("/help")
    api.push(update)
    api.push(dict(update))
    api.send_text("/start")  # same chat: handled after both copies
    await until(lambda: any(i.text == "/start" for i, _ in spy.seen))
    assert [i.text for i, _ in spy.seen] == ["/help", "/start"]


async def test_command_menus_in_three_languages(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    calls = api.calls_of("setMyCommands")
    assert {c.params.get("language_code") for c in calls} == {"es", "en", "fr", None}
    available = [n for n in MENU if n in bot_app.core.commands]
    assert "start" in available and "help" in available and "language" in available
    for language in ("es", "en", "fr"):
        commands = api.commands[language]
        assert [c["command"] for c in commands] == available
        descriptions = [c["description"] for c in commands]
        expected = [bot_app.catalog.get(f"telegram.command.{n}", language) for n in available]
        assert descriptions == expected
    assert api.commands[""] == api.commands[bot_app.settings.default_language]
    assert api.commands["es"] != api.commands["fr"]
