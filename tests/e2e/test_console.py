"""The console: ``python -m bot ask --jsonl`` with plain lines (a new member each) and JSON
lines that carry a conversation; ``chat`` where ``#N`` presses a button."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.adapters.console import ask_lines, chat, pressable, render
from bot.app import App
from bot.core.messages import Button, Reply

ROOT = Path(__file__).resolve().parents[2]


async def _jsonl(app: App, lines: list[str]) -> list[dict[str, str]]:
    out = io.StringIO()
    count = await ask_lines(app.core, [line + "\n" for line in lines], out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(answers) == len(lines)
    return answers


async def test_lines_of_one_chat_are_one_conversation(plan_app: App) -> None:
    answers = await _jsonl(
        plan_app,
        [
            json.dumps({"chat": "c1", "text": "when is Metropolitan Day?"}),
            json.dumps({"chat": "c2", "text": "¿qué proyectos piloto empiezan?"}),
            json.dumps({"chat": "c1", "text": "and where?"}),
            json.dumps({"chat": "c2", "text": "el segundo"}),
            "and where?",  # a plain line: a new member, nothing to refer to
        ],
    )
    assert [a["language"] for a in answers] == ["en", "es", "en", "es", "en"]
    assert answers[2]["text"].startswith("Metropolitan Day\n")
    assert "Place: the plan does not say where" in answers[2]["text"]
    assert "Proyecto piloto" in answers[3]["text"]
    assert "Which one do you mean?" in answers[4]["text"]


async def test_a_json_line_may_press_a_button(plan_app: App) -> None:
    answers = await _jsonl(
        plan_app,
        [
            json.dumps({"chat": "c1", "text": "tell me about MEGA"}),
            json.dumps({"chat": "c1", "action": "sub:mega"}),
            json.dumps({"chat": "c1", "text": "undo"}),
            "{not json",
        ],
    )
    assert "subscribed to Metropolis Energy GovernAnce" in answers[1]["text"]
    assert answers[2]["text"].startswith("Undone")
    assert answers[3]["text"]  # a broken JSON line is a plain question, answered


def test_buttons_are_pressed_with_a_hash() -> None:
    reply = Reply("1. MEGA", "en", buttons=((Button("Subscribe", "sub:mega"),),))
    assert render(reply).splitlines()[-1] == "[#1] Subscribe"


def test_link_buttons_and_updates_are_shown_readably() -> None:
    reply = Reply(
        "Calendar",
        "en",
        title="Your calendar",
        buttons=(
            (Button("📅 Open my calendar", url="https://example.org/c.ics"), Button("More", "x")),
        ),
        edit=True,
        notice="Saved",
    )
    assert render(reply).splitlines() == [
        "== Your calendar == (updated)",
        "Calendar",
        "[link] 📅 Open my calendar: https://example.org/c.ics   [#1] More",
        "[Saved]",
    ]
    assert [b.action for b in pressable(reply)] == ["x"]


async def test_chat_presses_a_button_with_hash_and_sends_numbers_as_text(plan_app: App) -> None:
    typed = io.StringIO("which pilot projects are starting?\n2\n#1\n")
    out = io.StringIO()
    await chat(plan_app.core, stdin=typed, stdout=out)
    text = out.getvalue()
    assert "== Pilot projects starting in 2019 ==" in text
    assert "\n2. Participatory democracy" in text  # the list's second line…
    assert "== Participatory democracy" in text  # …is what "2" shows
    # "#1": its Subscribe button; the card is printed again, updated, the button turned.
    updated = text.split("\n> ")[-2]
    assert updated.startswith("== Participatory democracy") and "== (updated)" in updated
    assert "[#1] ✓ Subscribed · Unsubscribe" in updated
    assert "[Subscribed to Participatory democracy" in updated


def test_ask_jsonl_from_the_command_line(tmp_path: Path) -> None:
    env = os.environ | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("BOT_TODAY", None)
    lines = [
        json.dumps({"chat": "a", "text": "qué hay en junio"}),
        json.dumps({"chat": "a", "text": "¿y en julio?"}),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--today", "2019-05-20", "--jsonl"],
        input="\n".join(lines) + "\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    june, july = (json.loads(line) for line in done.stdout.splitlines())
    assert "junio de 2019" in june["text"] and "julio de 2019" in july["text"]
