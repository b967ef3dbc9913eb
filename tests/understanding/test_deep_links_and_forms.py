"""Deep links (``/start <payload>``), submitted forms and in-place presses, read into
readings."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.conversation.state import ConversationState
from bot.understanding.commands import read_action, read_command
from bot.understanding.interpret import interpreter_for
from bot.understanding.reading import Reading
from bot.understanding.stage import understand


def _start(app: App, payload: str) -> Reading:
    reading = read_command(
        interpreter_for(app.content.index),
        f"/start {payload}",
        language="en",
        today=date(2019, 5, 20),
    )
    assert reading is not None
    return reading


@pytest.mark.parametrize(
    ("payload", "act", "check"),
    [
        ("sub_mega", "subscribe", lambda r: r.items == ("mega",) and r.detail == "button"),
        ("sub_all", "subscribe", lambda r: r.targets == ("all_events",)),
        ("sub_digest", "subscribe", lambda r: r.targets == ("digest",)),
        ("sub_gender-equality", "subscribe", lambda r: r.items == ("gender-equality",)),
        ("item_mega", "item", lambda r: r.items == ("mega",)),
        ("month_2019-06", "events", lambda r: r.period.code() == "2019-06"),
        ("lang_fr", "language", lambda r: r.detail == "fr" and r.command == "start"),
    ],
)
async def test_deep_links(plan_app: App, payload: str, act: str, check) -> None:  # type: ignore[no-untyped-def]
    reading = _start(plan_app, payload)
    assert reading.act == act, reading
    assert check(reading)


@pytest.mark.parametrize(
    "payload",
    [
        "sub_no-such-item",
        "item_",
        "item_no-such-item",
        "month_2019-13",
        "month_2019-6",
        "month_june",
        "lang_de",
        "lang_",
        "foo_bar",
        "sub:mega",
        "x" * 80,
        "item_mega extra",
        "<script>",
    ],
)
async def test_bad_deep_links_are_the_welcome(plan_app: App, payload: str) -> None:
    reading = _start(plan_app, payload)
    assert reading.act == "start", reading


def test_forms_are_read_with_their_fields() -> None:
    fields = (("item", "mega"), ("item", "all"), ("item", "gender-equality"), ("item", "mega"))
    reading = read_action("form:subscribe", fields)
    assert reading.act == "subscribe" and reading.detail == "button"
    assert reading.items == ("mega", "gender-equality")
    assert reading.targets == ("all_events",)
    edit = read_action("form:edit", (("item", "mega"), ("date", "2019-06-01")))
    assert (edit.act, edit.command, edit.detail) == ("staff", "edit", "form")
    assert edit.field("date") == "2019-06-01" and edit.field("place") == ""
    assert read_action("form:announce").command == "announce"
    assert read_action("form:nosuch").act == "unknown"


async def test_in_place_presses_are_read_like_the_plain_ones(plan_app: App) -> None:
    def read(action: str) -> Reading:
        return understand(
            plan_app.content.index,
            text="",
            action=action,
            language="en",
            today=date(2019, 5, 20),
            chosen=None,
            state=ConversationState(),
        )

    assert read("~sub:mega").detail == "toggle"  # a card's Subscribe button
    assert read("~unsub:mega").act == "unsubscribe" and read("~unsub:mega").detail == "toggle"
    assert read("sub:mega").detail == "button"
    assert read("~cmd:projects closing").status == "closing"
    assert read("~more:nx::10").value == "nx::10"
    assert read("~cmd:events 2019-07").period.code() == "2019-07"
