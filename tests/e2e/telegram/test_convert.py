"""Reply → Telegram HTML (escaping, splitting, buttons) and Update → Incoming, without network."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, Update, User

from bot.adapters.telegram.convert import (
    MAX_TEXT,
    incoming_from_update,
    keyboard,
    link_allowed,
    render,
    split_html,
    utf16_len,
    visible_text,
)
from bot.core.messages import Button, Reply
from tests.fakes.telegram_api import BOT_ID, BOT_USERNAME, FakeTelegramAPI, _check_html

api = FakeTelegramAPI()


def test_escapes_text_and_title() -> None:
    assert split_html("<b>&*", title="a<b") == ["<b>a&lt;b</b>\n\n&lt;b&gt;&amp;*"]


def test_empty_text_with_title_only() -> None:
    assert split_html("", title="Hi") == ["<b>Hi</b>"]


def test_splits_on_line_boundaries() -> None:
    lines = [f"• {i:04d} " + "é" * 90 for i in range(200)]
    parts = split_html("\n".join(lines))
    assert len(parts) > 1
    assert all(utf16_len(p) <= MAX_TEXT for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


def test_a_single_huge_line_is_cut_at_spaces() -> None:
    text = " ".join(["palabra"] * 2000)
    parts = split_html(text)
    assert all(utf16_len(p) <= MAX_TEXT for p in parts)
    assert all(not p.startswith(" ") and p.split(" ")[0] == "palabra" for p in parts)
    assert " ".join(parts) == text


def test_escaping_never_splits_an_entity() -> None:
    text = "&" * 5000  # 25,000 characters once escaped
    parts = split_html(text)
    assert all(utf16_len(p) <= MAX_TEXT and _check_html(p) is None for p in parts)
    assert "".join(html.unescape(p) for p in parts) == text


def test_emoji_count_double() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 units
    parts = split_html(text)
    assert len(parts) == 2 and all(utf16_len(p) <= MAX_TEXT for p in parts)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=9000))
def test_any_text_gives_valid_parts(text: str) -> None:
    parts = split_html(text, title="T&<>")
    assert all(0 < utf16_len(p) <= MAX_TEXT for p in parts)
    assert all(_check_html(p) is None for p in parts)


def test_buttons_on_the_last_text_part_and_document_last() -> None:
    reply = Reply(
        text="x\n" * 3000,
        language="en",
        buttons=((Button("More", "more:events:2"), Button("Sub", "sub:mega")),),
        document=("a.ics", b"X"),
    )
    calls = render(reply)
    assert [c.document is not None for c in calls] == [False, False, True]
    assert [c.markup is not None for c in calls] == [False, True, False]
    row = calls[1].markup["inline_keyboard"][0]  # type: ignore[index]
    assert [b["callback_data"] for b in row] == ["more:events:2", "sub:mega"]
    assert [b["text"] for b in row] == ["More", "Sub"]


def _bot() -> Bot:
    bot = Bot("1:x")
    bot._bot_user = User(BOT_ID, "Metropolis", True, username=BOT_USERNAME)  # as after getMe
    return bot


def _update(data: dict) -> Update:
    bot = _bot()
    return Update.de_json(data, bot)  # type: ignore[return-value]


def test_private_message() -> None:
    incoming = incoming_from_update(
        _update(api.message_update("/events juin", language_code="fr-FR")), _bot()
    )
    assert incoming is not None
    assert (incoming.platform, incoming.user_id, incoming.chat_id) == ("telegram", "1001", "1001")
    assert incoming.text == "/events juin" and incoming.locale_hint == "fr-FR"
    assert not incoming.is_group and incoming.display_name == "Ana"


def test_button_press() -> None:
    incoming = incoming_from_update(_update(api.callback_update("sub:mega", user_id=5)), _bot())
    assert incoming is not None and incoming.action == "sub:mega" and incoming.chat_id == "5"


def test_groups() -> None:
    group = {"chat_id": -9, "chat_type": "supergroup"}
    bot = _bot()

    def text_of(message: str, **kw: object) -> str | None:
        found = incoming_from_update(_update(api.message_update(message, **group, **kw)), bot)
        return None if found is None else found.text

    assert text_of("hola a todos") is None
    assert text_of("/help") == "/help"
    assert text_of(f"/help@{BOT_USERNAME}") == f"/help@{BOT_USERNAME}"
    assert text_of("/help@OtherBot") is None
    assert text_of(f"@{BOT_USERNAME} ¿qué hay en junio?") == "¿qué hay en junio?"
    assert text_of(f"😀 oye @{BOT_USERNAME}, eventos de julio") == "😀 oye eventos de julio"
    assert text_of(f"@{BOT_USERNAME}x hola") is None  # another user's name
    assert text_of("¿y en julio?", reply_to_bot=True) == "¿y en julio?"


def test_messages_of_bots_and_without_text_are_ignored() -> None:
    data = api.message_update("hi")
    data["message"]["from"]["is_bot"] = True
    assert incoming_from_update(_update(data), _bot()) is None
    data = api.message_update("hi")
    del data["message"]["text"]
    data["message"]["sticker"] = {
        "file_id": "s",
        "file_unique_id": "u",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    assert incoming_from_update(_update(data), _bot()) is None


def test_link_buttons_become_url_buttons_where_telegram_takes_them() -> None:
    reply = Reply(
        "x",
        "en",
        buttons=(
            (Button("Site", url="https://example.org/a?b=1"), Button("More", "~more:nx::10")),
            (Button("Local", url="http://127.0.0.1:8080/calendar/t.ics"),),
            (Button("Bare", url="http://intranet/feed"),),
        ),
    )
    assert keyboard(reply) == {
        "inline_keyboard": [
            [
                {"text": "Site", "url": "https://example.org/a?b=1"},
                {"text": "More", "callback_data": "~more:nx::10"},
            ]
        ]
    }
    assert link_allowed("http://example.org") and not link_allowed("ftp://example.org")


def test_visible_text_is_what_telegram_gives_back() -> None:
    (part,) = render(Reply("a < b & c", "en", title="Junio <2019>"))
    assert visible_text(part.text or "") == "Junio <2019>\n\na < b & c"
