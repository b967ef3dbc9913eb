"""Handlers, one module per topic; each exposes ``ROUTES``.

To add a topic: write ``handlers/<topic>.py`` with its ``ROUTES`` and its texts in
``bot/i18n/texts/<topic>.toml``, then list the module in :func:`routes`.
"""

from __future__ import annotations

from bot.core.router import Route
from handlers.help import fallback

__all__ = ["fallback", "routes"]


def routes() -> list[Route]:
    """Every route of every topic (imported here, not at package import, to keep start-up lean)."""
    from handlers import (
        about,
        calendar,
        events,
        help,
        language,
        projects,
        staff,
        subscriptions,
        themes,
        timezone,
    )

    found: list[Route] = []
    for module in (
        help,
        staff,
        language,
        calendar,
        subscriptions,
        timezone,
        projects,
        about,
        themes,
        events,
    ):
        found.extend(module.ROUTES)
    return found
