"""The console: try the bot with no token, interactively or one question at a time."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Iterable
from typing import TextIO

from bot.core.engine import Core
from bot.core.messages import Address, Button, Incoming, Reply
from bot.core.ports import SendResult

__all__ = ["UPDATED", "ConsoleSender", "ask", "ask_lines", "chat", "pressable", "render"]

CONSOLE_USER = "console-user"


UPDATED = "(updated)"


def render(reply: Reply, *, numbered_from: int = 1) -> str:
    """A reply as terminal text: the title, the body, then the buttons, numbered ``[#1]``
    (typing ``#1`` presses one; a bare number is a message: "3" is the third line of a list).

    A link button shows its address (``[link] Website: https://…``) and takes no number. A
    reply that updates the message whose button was pressed (a page, a filter, a toggle) is
    printed again whole, marked ``(updated)``; the platform's short notice of the press, if
    any, follows in brackets.
    """
    parts = []
    if reply.title:
        parts.append(f"== {reply.title} ==" + (f" {UPDATED}" if reply.edit else ""))
    elif reply.edit:
        parts.append(UPDATED)
    parts.append(reply.text)
    number = numbered_from
    for row in reply.buttons:
        labels = []
        for button in row:
            if button.url:
                labels.append(f"[link] {button.label}: {button.url}")
                continue
            labels.append(f"[#{number}] {button.label}")
            number += 1
        parts.append("   ".join(labels))
    if reply.document:
        parts.append(f"(attachment: {reply.document[0]}, {len(reply.document[1])} bytes)")
    if reply.notice:
        parts.append(f"[{reply.notice}]")
    return "\n".join(parts)


def pressable(reply: Reply) -> list[Button]:
    """The buttons of ``reply`` that ``#N`` presses, in order (link buttons are not)."""
    return [b for row in reply.buttons for b in row if not b.url]


def plain(replies: Iterable[Reply]) -> str:
    """Replies as one text, without buttons (for ``ask`` and ``--json``)."""
    return "\n\n".join((f"{r.title}\n{r.text}" if r.title else r.text) for r in replies)


async def ask(core: Core, text: str, *, user_id: str = CONSOLE_USER) -> list[Reply]:
    """One question from the console user."""
    return await core.handle(
        Incoming(platform="console", user_id=user_id, chat_id=user_id, text=text)
    )


async def ask_lines(core: Core, lines: Iterable[str], out: TextIO) -> int:
    """Answer one message per line, as JSON lines in order.

    A plain text line is a question from a new anonymous user. A JSON line
    ``{"chat": "c1", "text": "…"}`` is a message in the conversation ``c1``: lines with the same
    chat are one conversation (one user), so follow-ups ("and in August?") work; ``"action"``
    instead of ``"text"`` presses a button.
    """
    count = 0
    chats: dict[str, str] = {}
    for line in lines:
        text, action, user = _line(line.rstrip("\n"), chats)
        replies = await core.handle(
            Incoming(platform="console", user_id=user, chat_id=user, text=text, action=action)
        )
        language = replies[0].language if replies else core.settings.default_language
        out.write(
            json.dumps({"language": language, "text": plain(replies)}, ensure_ascii=False) + "\n"
        )
        count += 1
    out.flush()
    return count


def _line(line: str, chats: dict[str, str]) -> tuple[str, str | None, str]:
    # (text, button action, user id) of one ``ask --jsonl`` input line.
    if line.lstrip().startswith("{"):
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            message = None
        if isinstance(message, dict) and ("text" in message or "action" in message):
            chat = str(message.get("chat") or uuid.uuid4().hex)
            user = chats.setdefault(chat, f"chat-{uuid.uuid4().hex[:12]}")
            action = message.get("action")
            return str(message.get("text") or ""), str(action) if action else None, user
    return line, None, f"anon-{uuid.uuid4().hex[:12]}"


async def chat(core: Core, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """An interactive session; ``#2`` presses the second button, anything else is a message."""
    stdout.write(
        "Metropolis bot — type a question (es/en/fr), #1 #2… for a button, or Ctrl-D to quit.\n"
    )
    buttons: list[Button] = []
    loop = asyncio.get_running_loop()
    while True:
        stdout.write("> ")
        stdout.flush()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            stdout.write("\n")
            return
        text = line.strip()
        number = text[1:] if text.startswith("#") else ""
        if number.isdigit() and 1 <= int(number) <= len(buttons):
            pressed = buttons[int(number) - 1]
            incoming = Incoming("console", CONSOLE_USER, CONSOLE_USER, action=pressed.action)
        else:
            incoming = Incoming("console", CONSOLE_USER, CONSOLE_USER, text=text)
        replies = await core.handle(incoming)
        buttons = []
        for reply in replies:
            stdout.write(render(reply, numbered_from=len(buttons) + 1) + "\n\n")
            buttons.extend(pressable(reply))


class ConsoleSender:
    """Delivers pushed messages (reminders, updates) to standard output."""

    platform = "console"

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self._out = out

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self._out.write(f"[to {address.platform}:{address.chat_id}]\n{render(reply)}\n\n")
        self._out.flush()
        return SendResult(ok=True)
