"""The command menu, registered once per language with ``set_my_commands(language_code=…)``.

Each user sees the menu in their Telegram app's language; other languages get the bot's
default language. Only commands the core knows are listed, so the menu never
offers something that answers "unknown command".
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from telegram import Bot, BotCommand

from bot.i18n.catalog import LANGUAGES, Catalog

__all__ = ["MENU", "menu", "register_commands"]

log = logging.getLogger(__name__)

# In menu order.
MENU = (
    "start",
    "help",
    "next",
    "events",
    "projects",
    "themes",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "language",
    "timezone",
    "calendar",
)


def menu(
    catalog: Catalog, language: str, available: Collection[str] | None = None
) -> list[BotCommand]:
    """The menu in ``language``: the commands of :data:`MENU` that are ``available``."""
    return [
        BotCommand(name, catalog.get(f"telegram.command.{name}", language))
        for name in MENU
        if available is None or name in available
    ]


async def register_commands(
    bot: Bot,
    catalog: Catalog,
    *,
    default_language: str,
    available: Collection[str] | None = None,
) -> list[str]:
    """Register the menu for es, en and fr, and the default language's for everyone else.

    Returns the commands registered. Failures are logged, not raised: a bot without a menu
    still answers.
    """
    commands = menu(catalog, default_language, available)
    missing = [name for name in MENU if available is not None and name not in available]
    if missing:
        log.info("telegram: not in the menu (no route yet): %s", ", ".join(missing))
    try:
        for language in LANGUAGES:
            await bot.set_my_commands(menu(catalog, language, available), language_code=language)
        await bot.set_my_commands(commands)
    except Exception as exc:  # a menu is a nicety: never stop the bot for it
        log.warning("telegram: registering the command menu failed: %s", type(exc).__name__)
    return [c.command for c in commands]
