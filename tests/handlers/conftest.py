"""Fixtures for handler tests: a ``say`` helper over the real core (``plan_app``, in
tests/conftest.py), and small readers of replies."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from bot.app import App
from bot.core.messages import Incoming, Reply
from tests.conftest import MADRID, PLAN_DIR, TODAY, at, copy_database

__all__ = ["MADRID", "PLAN_DIR", "TODAY", "actions", "at", "bullets", "copy_database"]

Say = Callable[..., Awaitable[list[Reply]]]


@pytest.fixture
def say(plan_app: App) -> Say:
    """Send a message (or press a button) as a Telegram user; returns the replies."""

    async def send(
        text: str = "",
        *,
        action: str | None = None,
        hint: str | None = None,
        user: str = "u1",
    ) -> list[Reply]:
        replies = await plan_app.core.handle(
            Incoming("telegram", user, user, text=text, action=action, locale_hint=hint)
        )
        assert replies, text
        for reply in replies:
            assert reply.text.strip(), (text, reply)
            assert reply.language in ("es", "en", "fr")
            for row in reply.buttons:
                for button in row:
                    assert len(button.action.encode()) <= 64
        return replies

    return send


def actions(reply: Reply) -> list[str]:
    """Every button action of a reply, row by row."""
    return [b.action for row in reply.buttons for b in row]


_LINE = re.compile(r"^(?:• |\d+\. )(.*)$")


def bullets(reply: Reply) -> list[str]:
    """The list lines of a reply ("1. …" or "• …"), without their number or bullet."""
    return [found.group(1) for line in reply.text.splitlines() if (found := _LINE.match(line))]
