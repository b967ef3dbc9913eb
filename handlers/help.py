"""Greetings, help, thanks, /start, and the fallback for what the bot does not understand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.i18n.catalog import Catalog

__all__ = ["ROUTES", "fallback", "menu_buttons"]

_GREETINGS = frozenset(
    "hola buenas buenos hello hi hey bonjour salut bonsoir coucou ola saludos greetings".split()
)
_THANKS = frozenset("gracias thanks thank thx merci ty".split())
_HELP = frozenset("help ayuda aide ayudame aidez aide-moi commands comandos commandes".split())
_HELP_PHRASES = (
    "what can you do",
    "que puedes hacer",
    "que sabes hacer",
    "que peux-tu faire",
    "que pouvez-vous faire",
    "how does this work",
    "como funciona",
    "comment ca marche",
)
# One search instead of a substring test per phrase.
_HELP_PHRASE = re.compile("|".join(re.escape(p) for p in _HELP_PHRASES))
# Words that may accompany a greeting or thanks without making it a question.
_FILLER = frozenset(
    "a al and bot buen buenas dia dias day evening good grand le los metropolis morning much "
    "muchas mucho night noches so tardes the there tres very you vous y".split()
)
_GREETINGS_OK = _GREETINGS | _FILLER
_HELP_OK = _HELP | _FILLER


def menu_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """The few buttons offered with the welcome and the help."""
    return _menu(ctx.catalog, ctx.language)


@lru_cache(maxsize=32)
def _menu(catalog: Catalog, language: str) -> tuple[tuple[Button, ...], ...]:
    # The same buttons for everyone who reads a language: built once (buttons are immutable).
    def label(key: str) -> str:
        return catalog.get(f"help.button.{key}", language)

    return (
        (Button(label("next"), "cmd:next"), Button(label("projects"), "cmd:projects")),
        (
            Button(label("themes"), "cmd:themes"),
            Button(label("subscriptions"), "cmd:subscriptions"),
        ),
    )


def _only(query: Query, vocabulary: frozenset[str], allowed: frozenset[str]) -> bool:
    return not query.word_set.isdisjoint(vocabulary) and query.word_set <= allowed


def _match_greeting(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    return {} if _only(query, _GREETINGS, _GREETINGS_OK) else None


def _match_thanks(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if not query.word_set.isdisjoint(_THANKS) and len(query.words) <= 6:
        return {}
    return None


def _match_help(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if _only(query, _HELP, _HELP_OK) or _HELP_PHRASE.search(query.folded):
        return {}
    return None


async def start(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The welcome: who the bot is, and a few buttons."""
    return [
        ctx.reply(
            ctx.t("help.welcome", year=ctx.content.year),
            title=ctx.t("help.welcome_title"),
            buttons=menu_buttons(ctx),
        )
    ]


async def greet(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """A greeting back, with what to ask."""
    return [ctx.reply(ctx.t("help.greeting", year=ctx.content.year), buttons=menu_buttons(ctx))]


async def thanks(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """You're welcome."""
    return [ctx.reply(ctx.t("help.thanks"))]


async def show_help(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """What the bot can do, with examples in the user's language."""
    return [
        ctx.reply(
            ctx.t("help.body", year=ctx.content.year),
            title=ctx.t("help.title"),
            buttons=menu_buttons(ctx),
        )
    ]


async def fallback(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """When nothing matched: say so kindly, suggest near names and examples."""
    query: Query = args["query"]
    if not query.text and not query.action:
        return await show_help(ctx, args)
    if query.command is not None:
        return [
            ctx.reply(
                ctx.t("help.unknown_command", command=query.command[:32]), buttons=menu_buttons(ctx)
            )
        ]
    near = [m.item for m in ctx.content.find(query.args, limit=3) if m.score >= 0.3]
    if near:
        names = "\n".join(f"• {item.title[ctx.language]}" for item in near)
        buttons = tuple(
            (Button(item.title[ctx.language][:60], f"about:{item.slug}"),) for item in near
        )
        return [ctx.reply(ctx.t("help.did_you_mean", names=names), buttons=buttons)]
    return [ctx.reply(ctx.t("help.fallback"), buttons=menu_buttons(ctx))]


ROUTES = [
    Route("start", start, commands=("start",)),
    Route(
        "help",
        show_help,
        commands=("help", "ayuda", "aide"),
        actions=("help",),
        matcher=_match_help,
        priority=10,
    ),
    Route("greeting", greet, matcher=_match_greeting, priority=11),
    Route("thanks", thanks, matcher=_match_thanks, priority=12),
]
