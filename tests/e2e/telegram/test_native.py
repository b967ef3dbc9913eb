"""Telegram's conventions, with the real python-telegram-bot against the fake Bot API on
127.0.0.1: buttons that update their message in place with a toast, deep links, the profile
texts, link buttons, groups (administrators, forum topics, 20 messages a minute)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.groups import ANONYMOUS_ADMIN, GroupPace
from bot.adapters.telegram.sender import TelegramSender
from bot.app import App
from bot.core.messages import Address, Reply
from bot.db.models import Item, Subscription
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, Call, FakeTelegramAPI

from .conftest import Spy, converse

GROUP = -100123


async def press(
    api: FakeTelegramAPI, adapter: TelegramAdapter, data: str, message: Call, **kwargs: Any
) -> list[Call]:
    """Press ``data`` on the bot's message sent by ``message``; every call it caused."""
    before = len(api.calls)
    chat = message.params["chat_id"]
    update = api.callback_update(
        data, message_id=message.result["message_id"], chat_id=chat, **kwargs
    )
    await converse(api, adapter, update)
    return api.calls[before:]


def keyboard_data(call: Call) -> list[str]:
    return [b.get("callback_data", "") for row in call.buttons() for b in row]


def methods(calls: list[Call]) -> list[str]:
    """The methods called, polling left out."""
    return [c.method for c in calls if c.method != "getUpdates"]


# ------------------------------------------------------------------ in place


async def test_every_in_place_press_edits_its_message(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    # A page of "what's next", the period arrows, a project filter, a card's toggle: each
    # press edits the message it was on, and sends nothing new.
    cases = [
        ("what's next", "~more:"),
        ("/events june", "~cmd:events 2019-07"),
        ("/projects", "~cmd:projects closing"),
    ]
    for text, wanted in cases:
        (shown,) = await converse(api, telegram, api.message_update(text))
        data = next(d for d in keyboard_data(shown) if d.startswith(wanted))
        calls = await press(api, telegram, data, shown)
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"], (text, methods(calls))
        (edit,) = api.edits()[-1:]
        assert edit.params["message_id"] == shown.result["message_id"]
        assert edit.params["parse_mode"] == "HTML" and edit.text != shown.text
    # The page after has a button back to the first, which edits the message again.
    page_two = api.edits()[0]
    back = next(d for d in keyboard_data(page_two) if d.startswith("~more:"))
    (first,) = [c for c in api.sent() if c.text.startswith("<b>What's next")]
    calls = await press(api, telegram, back, first)
    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls[-1].text == first.text


async def test_the_subscribe_toggle_changes_only_the_buttons_with_a_toast(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    (card,) = await converse(api, telegram, api.message_update("tell me about MEGA"))
    calls = await press(api, telegram, "~sub:mega", card)
    assert methods(calls) == ["answerCallbackQuery", "editMessageReplyMarkup"]
    toast, edit = [c for c in calls if c.method != "getUpdates"]
    assert toast.params["text"] == "Subscribed to Metropolis Energy GovernAnce: MEGA"
    labels = [b["text"] for row in edit.buttons() for b in row]
    assert "✓ Subscribed · Unsubscribe" in labels and "~unsub:mega" in keyboard_data(edit)
    assert api.messages[(str(card.chat_id), card.result["message_id"])]["text"] == card.text
    calls = await press(api, telegram, "~unsub:mega", card)
    assert methods(calls) == ["answerCallbackQuery", "editMessageReplyMarkup"]
    toast, edit = [c for c in calls if c.method != "getUpdates"]
    assert toast.params["text"] == "Unsubscribed from Metropolis Energy GovernAnce: MEGA"
    assert "~sub:mega" in keyboard_data(edit)
    async with bot_app.db.read() as session:
        (row,) = (await session.scalars(select(Subscription))).all()
    assert (row.target, row.active) == ("mega", False)


async def test_a_press_without_a_notice_is_answered_without_a_toast(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    (shown,) = await converse(api, telegram, api.message_update("/projects"))
    calls = await press(api, telegram, "~cmd:projects ongoing", shown)
    (toast,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "text" not in toast.params


async def test_a_message_too_old_or_refused_gets_a_new_message_instead(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    (shown,) = await converse(api, telegram, api.message_update("/projects"))
    # Older than Telegram's 48 hours: not even tried.
    calls = await press(api, telegram, "~cmd:projects closing", shown, age=49 * 3600)
    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    # Telegram no longer shows the message (InaccessibleMessage): a new one.
    update = api.callback_update("~cmd:projects ongoing", inaccessible=True)
    calls = await converse(api, telegram, update)
    assert methods(calls) == ["sendMessage"]
    # Refused for any reason (here: "message can't be edited"): a new one, no error shown.
    api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    before = len(api.calls)
    await converse(api, telegram, api.callback_update("~cmd:projects starting"))
    assert methods(api.calls[before:]) == [
        "answerCallbackQuery",
        "editMessageText",
        "sendMessage",
    ]
    assert "Pilot projects starting" in api.calls[-1].text
    # A message the bot never sent (not found) likewise.
    before = len(api.calls)
    ghost = api.callback_update("~cmd:projects closing", message_id=999_999)
    await converse(api, telegram, ghost)
    assert methods(api.calls[before:])[-1] == "sendMessage"


async def test_a_reply_no_edit_can_hold_is_sent_as_new_messages(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    # A reply with a file (or in several parts) cannot replace one message.
    calls = await converse(api, telegram, api.callback_update("~cmd:calendar"))
    assert "editMessageText" not in [c.method for c in api.calls]
    assert [c.method for c in calls] == ["sendMessage", "sendDocument"]


# ------------------------------------------------------------------ deep links


async def test_deep_links_of_each_kind(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App, spy: Spy
) -> None:
    (welcome,) = await converse(api, telegram, api.message_update("/start", user_id=7))
    (card,) = await converse(api, telegram, api.message_update("/start item_mega", user_id=8))
    assert card.text.startswith("<b>Metropolis Energy GovernAnce: MEGA</b>")
    (june,) = await converse(api, telegram, api.message_update("/start month_2019-06"))
    assert june.text.startswith("<b>Events and actions: June 2019</b>")
    (done,) = await converse(api, telegram, api.message_update("/start sub_mega", user_id=9))
    assert "subscribed to Metropolis Energy GovernAnce" in done.text
    async with bot_app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert [(r.chat_id, r.target) for r in rows] == [("9", "mega")]
    (french,) = await converse(api, telegram, api.message_update("/start lang_fr", user_id=10))
    assert spy.last()[1][0].language == "fr" and french.text.startswith("<b>")
    for bad in ("sub_nothing", "item_", "month_2019-13", "lang_de", "x" * 64, "sub-mega"):
        (reply,) = await converse(api, telegram, api.message_update(f"/start {bad}", user_id=7))
        assert reply.text == welcome.text, bad
    hooks = bot_app.core.platforms["telegram"]
    assert hooks.deep_link == f"https://t.me/{BOT_USERNAME}?start={{payload}}"


# ------------------------------------------------------------------ profile


async def test_the_profile_texts_are_set_once_per_language(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    sets = [c for c in api.calls if c.method.startswith("setMy") and "escription" in c.method]
    assert sorted((c.method, c.params.get("language_code", "")) for c in sets) == sorted(
        (method, code)
        for method in ("setMyDescription", "setMyShortDescription")
        for code in ("es", "en", "fr", "")
    )
    assert api.descriptions["fr"].startswith("Je suis le bot de Metropolis")
    assert api.descriptions[""] == api.descriptions["en"]  # the default language's
    assert all(len(t) <= 120 for t in api.short_descriptions.values())
    # A restart finds them as they should be: it reads them, and sets nothing.
    await telegram.stop()
    api.calls.clear()
    again = TelegramAdapter(bot_app, poll_timeout=1)
    await again.start()
    try:
        reads = [c.method for c in api.calls if "escription" in c.method]
        assert reads and all(m.startswith("getMy") for m in reads)
        assert len(reads) == 8
    finally:
        await again.stop()


# ------------------------------------------------------------------ link buttons


async def test_link_buttons_are_url_buttons_and_local_links_stay_in_the_text(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    async with bot_app.db.write() as session:
        row = await session.get(Item, "mega")
        assert row is not None
        row.overrides = {"link": "https://example.org/mega"}
        row.sequence += 1
    await bot_app.content.refresh()
    (card,) = await converse(api, telegram, api.callback_update("about:mega"))
    links = [b for row in card.buttons() for b in row if "url" in b]
    assert links == [{"text": "🌐 Website", "url": "https://example.org/mega"}]
    # The calendar feed's link is http://127.0.0.1 here: Telegram would refuse the button.
    calls = await converse(api, telegram, api.message_update("/calendar"))
    assert "/calendar/" in calls[0].text
    assert not any("url" in b for c in calls for row in c.buttons() for b in row)


# ------------------------------------------------------------------ groups


async def test_only_group_admins_change_the_groups_subscriptions(
    api: FakeTelegramAPI, telegram: TelegramAdapter, bot_app: App
) -> None:
    api.admins[GROUP] = {42}
    member = api.message_update("/subscribe MEGA", user_id=41, chat_id=GROUP, chat_type="group")
    (refused,) = await converse(api, telegram, member)
    assert "Only the group's administrators" in refused.text
    admin = api.message_update("/subscribe MEGA", user_id=42, chat_id=GROUP, chat_type="group")
    (done,) = await converse(api, telegram, admin)
    assert "subscribed to" in done.text
    asked = [(c.params["chat_id"], c.params["user_id"]) for c in api.calls_of("getChatMember")]
    assert asked == [(GROUP, 41), (GROUP, 42)]
    async with bot_app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert [(r.chat_id, r.target) for r in rows] == [(str(GROUP), "mega")]
    # A question needs no one's leave; the answer is cached for the next change.
    await converse(api, telegram, api.message_update("/projects", user_id=41, chat_id=GROUP))
    press = api.callback_update("unsub:mega", user_id=42, chat_id=GROUP)
    await converse(api, telegram, press)
    assert len(api.calls_of("getChatMember")) == 2


async def test_replies_stay_in_the_forum_topic(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    asked = api.message_update(
        "/projects", user_id=41, chat_id=GROUP, chat_type="supergroup", thread_id=77
    )
    (answer,) = await converse(api, telegram, asked)
    assert answer.params["message_thread_id"] == 77
    # A press whose reply cannot edit (a file) answers in the topic too.
    calls = await press(api, telegram, "~cmd:calendar", answer, user_id=41, thread_id=77)
    sent = [c for c in calls if c.method in ("sendMessage", "sendDocument")]
    assert sent and all(c.params["message_thread_id"] == 77 for c in sent)
    # Outside a topic, no thread id.
    plain = api.message_update("/projects", user_id=41, chat_id=GROUP, chat_type="supergroup")
    (answer,) = await converse(api, telegram, plain)
    assert "message_thread_id" not in answer.params


async def test_a_group_gets_at_most_20_messages_a_minute(api: FakeTelegramAPI) -> None:
    now = [1000.0]
    sender = TelegramSender(TOKEN, api.url, pace=GroupPace(clock=lambda: now[0]))
    try:
        reply = Reply("Reminder", "en")
        results = [await sender.send(Address("telegram", str(GROUP)), reply) for _ in range(25)]
        assert [r.ok for r in results] == [True] * 20 + [False] * 5
        assert all(r.retry_after and 0 < r.retry_after <= 60 for r in results[20:])
        assert len(api.sent(GROUP)) == 20
        # A private chat is not held back by the group's minute.
        assert (await sender.send(Address("telegram", "5"), reply)).ok
        now[0] += 60.5
        assert (await sender.send(Address("telegram", str(GROUP)), reply)).ok
        assert len(api.sent(GROUP)) == 21
    finally:
        await sender.close()


async def test_an_anonymous_administrator_is_an_administrator(
    api: FakeTelegramAPI, telegram: TelegramAdapter
) -> None:
    roles = telegram.core.platforms["telegram"].group_roles
    assert roles is not None
    assert await roles.is_admin(str(GROUP), ANONYMOUS_ADMIN)
    assert api.calls_of("getChatMember") == []  # only administrators can post anonymously
