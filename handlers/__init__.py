"""Handlers: one module per topic, each answering one or more acts of a resolved reading.

A handler is ``async def handler(ctx, reading) -> list[Reply]``; it acts, renders, and tells
the conversation what it showed, asked or did (``ctx.turn``). Shared presentation lives in
:mod:`handlers.present`. To add a topic: write ``handlers/<topic>.py`` with its ``HANDLERS``
(act → handler) and its texts in ``bot/i18n/texts/<topic>.toml``, then list it below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.context import Context
from bot.core.messages import Reply
from bot.understanding.reading import ACTS, Reading

__all__ = ["Handler", "handlers"]

Handler = Callable[[Context, Reading], Awaitable[list[Reply]]]


def handlers() -> dict[str, Handler]:
    """Every act and the handler that answers it (imported here, not at package import)."""
    from handlers import (
        about,
        calendar,
        counts,
        events,
        help,
        language,
        projects,
        staff,
        status,
        subscriptions,
        themes,
        timezone,
    )

    found: dict[str, Handler] = {}
    for module in (
        about, calendar, counts, events, help, language, projects, staff, status,
        subscriptions, themes, timezone,
    ):  # fmt: skip
        for act, handler in module.HANDLERS.items():
            if act in found:
                raise ValueError(f"act {act!r} answered twice")
            found[act] = handler
    missing = set(ACTS) - set(found)
    if missing:
        raise ValueError(f"acts without a handler: {sorted(missing)}")
    return found
