"""Property-based tests of the core: no input breaks it, every reply fits the platforms.

Arbitrary Unicode (control characters, right-to-left text, emoji, zero-width characters, up to
10,000 characters, SQL-looking and HTML/mrkdwn-looking text), typed as a message, as a command,
or forged as a button payload, by a member and by staff. Every message gets at least one reply
in es, en or fr; no exception escapes; the Telegram rendering stays within 4096 UTF-16 units per
message and the Slack rendering never carries a broadcast mention.

``HYPOTHESIS_MAX_EXAMPLES`` sets the number of examples (2,000 by default when ``CI=true``).
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.slack.convert import (
    MAX_BLOCKS,
    MAX_BUTTON_LABEL,
    MAX_FALLBACK,
    MAX_SECTION,
    from_slack,
    to_messages,
)
from bot.adapters.telegram.convert import MAX_TEXT, render, utf16_len
from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock

PLAN_DIR = Path(__file__).resolve().parents[2] / "content" / "plan"
_CI = os.environ.get("CI", "").lower() == "true"
MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES") or (2000 if _CI else 200))
BROADCASTS = ("<!channel>", "<!here>", "<!everyone>")

_SPECIAL = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u200b\u200c\u200d\u2060\ufeff\u202e\u202d\u2066\u2069"
    "\u0645\u0631\u062d\u0628\u0627\u05e9\u05dc\u05d5\u05dd😀👍🏽👨‍👩‍👧🇪🇸"
    "\U0010ffff<>&*_~`|!@#/\\'\"\n\t "
)
_SNIPPETS = (
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    "1; DELETE FROM subscriptions WHERE 1=1",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "&lt;&amp;&gt;&#0;",
    "<!channel>",
    "<!here|here>",
    "<!everyone>",
    "@channel @here @everyone",
    "<@U123ABC>",
    "<#C123|general>",
    "<https://evil.example|click>",
    "*bold* _it_ ~strike~ `code` ```block```",
    "{name} {0} %s %(x)s",
    "/start",
    "/help",
    "/announce",
    "/stats",
    "/setplace",
    "subscribe",
    "hola",
    "events in june",
)

_texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=_SPECIAL, max_size=300),
    st.lists(st.sampled_from(_SNIPPETS), min_size=1, max_size=6).map(" ".join),
    st.tuples(st.sampled_from(_SNIPPETS), st.text(max_size=80)).map(" ".join),
    st.builds(
        lambda part, n: (part * n)[:10_000],
        st.text(min_size=1, max_size=30),
        st.integers(min_value=100, max_value=10_000),
    ),
)
_commands = st.one_of(
    st.tuples(
        st.sampled_from(
            (
                "announce",
                "setdate",
                "setplace",
                "setlink",
                "cancel",
                "postpone",
                "retry",
                "stats",
                "failed",
                "audit",
                "staff",
                "about",
                "events",
                "subscribe",
                "unsubscribe",
                "language",
                "timezone",
                "calendar",
                "projects",
                "themes",
            )
        ),
        st.sampled_from(("", "board-policy-debate-2019 ", "all ", "2019-06-01 ")),
        _texts,
    ).map(lambda t: f"/{t[0]} {t[1]}{t[2]}"),
    st.text(alphabet=_SPECIAL, max_size=40).map(lambda s: "/" + s),
)
_actions = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(("stf", "sub", "unsub", "lang", "help", "more", "about", "cmd", "zzz")),
        st.text(max_size=40),
    )
    .map(lambda t: f"{t[0]}:{t[1]}")
    .filter(lambda a: len(a.encode()) <= 64),
)
_messages = st.tuples(
    st.one_of(_texts, _commands),
    _actions,
    st.sampled_from(("console", "telegram", "slack")),
    st.sampled_from(("u1", "u2", "U3")),
    st.sampled_from((None, "es", "en", "fr", "de", "pt-BR", "", "zz-ZZ-x")),
    st.booleans(),
)


def _check(replies: list[Reply]) -> None:
    assert len(replies) >= 1
    for reply in replies:
        assert reply.language in ("es", "en", "fr")
        assert reply.text.strip() or reply.document
        for call in render(reply):
            if call.text is not None:
                assert utf16_len(call.text) <= MAX_TEXT
        for message in to_messages(reply):
            assert len(message.text) <= MAX_FALLBACK
            assert len(message.blocks) <= MAX_BLOCKS
            for block in message.blocks:
                if block["type"] == "section":
                    assert len(block["text"]["text"]) <= MAX_SECTION
                for element in block.get("elements", ()):
                    if element.get("type") == "button":
                        assert len(element["text"]["text"]) <= MAX_BUTTON_LABEL
            dumped = message.text + json.dumps(message.blocks, ensure_ascii=False)
            for mention in BROADCASTS:
                assert mention not in dumped


def _run_property(tmp_path: Path, examples: int, *, staff: bool) -> None:
    loop = asyncio.new_event_loop()
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    config = Settings(
        database_url=url,
        content_dir=PLAN_DIR,
        console_staff=staff,
        staff_telegram_ids=frozenset({"u1", "u2"}) if staff else frozenset(),
        staff_slack_ids=frozenset({"U3"}) if staff else frozenset(),
    )
    clock = FixedClock(datetime.combine(datetime(2019, 5, 20), time(12), ZoneInfo("Europe/Madrid")))
    app: App = loop.run_until_complete(build_app(config, clock=clock))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_messages)
    def check(message: tuple[str, str | None, str, str, str | None, bool]) -> None:
        text, action, platform, user, hint, is_group = message
        if platform == "slack":
            text = from_slack(text)  # as the Slack adapter reads what users type
        incoming = Incoming(
            platform,
            user,
            f"chat-{user}",
            text=text,
            action=action,
            locale_hint=hint,
            is_group=is_group,
        )
        _check(loop.run_until_complete(app.core.handle(incoming)))

    try:
        check()
    finally:
        loop.run_until_complete(app.close())
        loop.close()


def test_any_message_from_a_member_gets_a_safe_reply(tmp_path: Path) -> None:
    _run_property(tmp_path, MAX_EXAMPLES, staff=False)


def test_any_message_from_staff_gets_a_safe_reply(tmp_path: Path) -> None:
    _run_property(tmp_path, max(50, MAX_EXAMPLES // 4), staff=True)
