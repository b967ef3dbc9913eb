"""Commands and buttons read into the same readings as plain words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.understanding.commands import read_action, read_command, split_command
from bot.understanding.interpret import interpreter_for
from bot.understanding.reading import Reading


def _command(app: App, text: str) -> Reading | None:
    return read_command(
        interpreter_for(app.content.index), text, language="en", today=date(2019, 5, 20)
    )


def test_commands_are_split_off() -> None:
    assert split_command("/Events@MetropolisBot  junio ") == ("events", "junio")
    assert split_command("!stats") == ("stats", "")
    assert split_command("STAFF !stats now") == ("stats", "now")
    assert split_command("staff meeting") is None  # not a staff command: a question
    assert split_command("what's next") is None


@pytest.mark.parametrize(
    ("text", "act", "check"),
    [
        ("/events", "overview", lambda r: True),
        ("/next", "events", lambda r: r.upcoming),
        ("/events june", "events", lambda r: r.period.code() == "2019-06"),
        ("/events may", "events", lambda r: r.period.code() == "2019-05"),  # lenient
        ("/events mobility", "events", lambda r: r.theme == "mobility"),
        ("/projects closing", "projects", lambda r: r.status == "closing"),
        ("/projects water", "projects", lambda r: r.subject == "water"),
        ("/about mega", "item", lambda r: r.items == ("mega",)),
        ("/subscribe MEGA", "subscribe", lambda r: r.items == ("mega",)),
        ("/unsubscribe digest", "unsubscribe", lambda r: r.targets == ("digest",)),
        ("/themes training", "themes", lambda r: r.detail == "training"),
        ("/calendar reset", "calendar", lambda r: r.detail == "reset"),
        ("/setdate mega 2019-06-01", "staff", lambda r: r.args == "mega 2019-06-01"),
        ("/nosuch", "unknown", lambda r: r.command == "nosuch"),
    ],
)
async def test_commands(plan_app: App, text: str, act: str, check) -> None:  # type: ignore[no-untyped-def]
    reading = _command(plan_app, text)
    assert reading is not None and reading.act == act, reading
    assert check(reading)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("about:mega", Reading("item", items=("mega",), value="mega")),
        ("sub:all", Reading("subscribe", targets=("all_events",), detail="button", value="all")),
        ("unsub:mega", Reading("unsubscribe", items=("mega",), detail="button", value="mega")),
        ("ok:yes", Reading("confirm", detail="button", value="yes")),
        ("ok:no", Reading("cancel", detail="button", value="no")),
        ("lang:fr", Reading("language", detail="fr", value="fr")),
        ("zzz:1", Reading("unknown", value="1")),
    ],
)
def test_buttons(action: str, expected: Reading) -> None:
    assert read_action(action) == expected
