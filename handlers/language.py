"""Choosing the reply language: ``/language fr``, "en français", or a button."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.db.users import save_language

__all__ = ["ROUTES"]

LANGUAGES = ("es", "en", "fr")
_NAMES = {
    "es": "es", "espanol": "es", "spanish": "es", "espagnol": "es", "castellano": "es",
    "en": "en", "english": "en", "ingles": "en", "anglais": "en",
    "fr": "fr", "francais": "fr", "french": "fr", "frances": "fr",
}  # fmt: skip


def _match_choice(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    # The resolver already stored an explicit choice ("en français"); when that is all the
    # message says, confirm it rather than treat the rest as a question.
    if ctx.explicit_choice and len(query.words) <= 5:
        return {"language": ctx.explicit_choice}
    return None


async def choose(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Set the language from ``/language xx``, a button, or confirm a phrase's choice."""
    raw = args.get("language") or args.get("value") or ""
    if not raw:
        words = args["query"].words
        raw = words[0] if words else ""
    language = _NAMES.get(str(raw).lower())
    if language is None:
        buttons = (
            tuple(
                Button(ctx.catalog.get("language.name", lang), f"lang:{lang}") for lang in LANGUAGES
            ),
        )
        return [ctx.reply(ctx.t("language.ask"), buttons=buttons)]
    async with ctx.db.write() as session:
        await save_language(session, ctx.user.id, language, language)
    ctx.language = language
    ctx.user.language = ctx.user.language_choice = language
    return [ctx.reply(ctx.t("language.set"))]


ROUTES = [
    Route(
        "language",
        choose,
        commands=("language", "idioma", "langue", "lang"),
        actions=("lang",),
        matcher=_match_choice,
        priority=5,
    ),
]
