"""Greetings, help, thanks, goodbyes, who the bot is, /start; what the bot does not
understand (with the close names it knows, and a note for staff); and follow-ups it cannot
complete ("which one do you mean?")."""

from __future__ import annotations

from functools import lru_cache

from bot.conversation.state import Pending
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.i18n.catalog import Catalog
from bot.understanding.reading import Reading
from handlers.present.choices import choices_reply

__all__ = ["HANDLERS", "menu_buttons"]


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


async def start(ctx: Context, reading: Reading) -> list[Reply]:
    """The welcome: who the bot is, and a few buttons."""
    return [
        ctx.reply(
            ctx.t("help.welcome", year=ctx.plan_year),
            title=ctx.t("help.welcome_title"),
            buttons=menu_buttons(ctx),
        )
    ]


async def greet(ctx: Context, reading: Reading) -> list[Reply]:
    """A greeting back, with what to ask."""
    return [ctx.reply(ctx.t("help.greeting", year=ctx.plan_year), buttons=menu_buttons(ctx))]


async def thanks(ctx: Context, reading: Reading) -> list[Reply]:
    """You're welcome."""
    return [ctx.reply(ctx.t("help.thanks"))]


async def bye(ctx: Context, reading: Reading) -> list[Reply]:
    """Goodbye."""
    return [ctx.reply(ctx.t("smalltalk.bye"))]


async def identity(ctx: Context, reading: Reading) -> list[Reply]:
    """Who or what the bot is: a bot of the Secretariat General, and what it knows."""
    text = ctx.t("smalltalk.identity", year=ctx.plan_year)
    return [ctx.reply(text, buttons=menu_buttons(ctx))]


async def show_help(ctx: Context, reading: Reading) -> list[Reply]:
    """What the bot can do, with examples in the user's language."""
    return [
        ctx.reply(
            ctx.t("help.body", year=ctx.plan_year),
            title=ctx.t("help.title"),
            buttons=menu_buttons(ctx),
        )
    ]


async def fallback(ctx: Context, reading: Reading) -> list[Reply]:
    """Not understood: say so kindly, offer the close names, and note it for staff."""
    if reading.detail == "not-found":  # "/about quantum teleportation"
        query = reading.subject[:60]
        return [ctx.reply(ctx.t("about.not_found", query=query, year=ctx.plan_year))]
    if reading.detail == "out_of_scope":  # "what's the weather in Bogotá", "book me a flight"
        ctx.turn.unanswered = "fallback"
        return [ctx.reply(ctx.t("help.out_of_scope"), buttons=menu_buttons(ctx))]
    if reading.command is not None:
        text = ctx.t("help.unknown_command", command=reading.command[:32])
        return [ctx.reply(text, buttons=menu_buttons(ctx))]
    if not reading.text.strip():
        return await show_help(ctx, reading)
    near = [i for i in (ctx.content.get(s) for s in reading.choices[:3]) if i is not None]
    if near:
        ctx.turn.unanswered = "did_you_mean"
        text = ctx.t("help.did_you_mean", names="").rstrip()
        return [choices_reply(ctx, near, text=text)]
    ctx.turn.unanswered = "fallback"
    return [ctx.reply(ctx.t("help.fallback"), buttons=menu_buttons(ctx))]


async def unresolved(ctx: Context, reading: Reading) -> list[Reply]:
    """A follow-up the conversation cannot complete: ask rather than guess."""
    ref = reading.ref
    listed = ctx.conversation.listed
    if ref is not None and ref.kind == "nth":
        if not listed:
            return [ctx.reply(ctx.t("conversation.no_list"))]
        return [ctx.reply(ctx.t("conversation.no_such_line", count=len(listed)))]
    # The name that comes next answers the question asked ("¿y eso cuándo es?" → "MEGA").
    ctx.turn.pending = Pending("target", "item", ask=reading.ask)
    return [ctx.reply(ctx.t("conversation.which_item"))]


HANDLERS = {
    "start": start,
    "greet": greet,
    "thanks": thanks,
    "bye": bye,
    "identity": identity,
    "help": show_help,
    "unknown": fallback,
    "followup": unresolved,
}
