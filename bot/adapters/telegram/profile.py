"""The bot's profile texts, per language: ``setMyDescription`` (the text an empty chat shows
before /start) and ``setMyShortDescription`` (the profile page, and a shared link).

At start-up each is read back (``getMyDescription``…) for es, en, fr and the default (no
language code: the bot's default language), and set only where Telegram has something else:
a restart with nothing changed makes no ``set`` call (Telegram rate-limits these methods).
"""

from __future__ import annotations

import logging

from telegram import Bot

from bot.i18n.catalog import LANGUAGES, Catalog

__all__ = ["MAX_DESCRIPTION", "MAX_SHORT_DESCRIPTION", "sync_profile"]

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120


async def sync_profile(bot: Bot, catalog: Catalog, *, default_language: str) -> list[str]:
    """Make Telegram's description and short description match the catalog's, in every
    language; returns what was set (``"description:es"``…). Failures are logged, not
    raised: a bot with an old description still answers."""
    done: list[str] = []
    targets = [(lang, lang) for lang in LANGUAGES] + [("", default_language)]
    try:
        for code, language in targets:
            wanted = catalog.get("telegram.description", language)[:MAX_DESCRIPTION]
            have = await bot.get_my_description(language_code=code or None)
            if have.description != wanted:
                await bot.set_my_description(description=wanted, language_code=code or None)
                done.append(f"description:{code or 'default'}")
            short = catalog.get("telegram.short_description", language)[:MAX_SHORT_DESCRIPTION]
            have_short = await bot.get_my_short_description(language_code=code or None)
            if have_short.short_description != short:
                await bot.set_my_short_description(
                    short_description=short, language_code=code or None
                )
                done.append(f"short_description:{code or 'default'}")
    except Exception as exc:  # a profile is a nicety: never stop the bot for it
        log.warning("telegram: updating the profile texts failed: %s", type(exc).__name__)
    return done
