"""Choosing the reply language: ``/language fr``, "en français", or a button."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.db.users import save_language
from bot.understanding.reading import Reading

__all__ = ["HANDLERS"]

LANGUAGES = ("es", "en", "fr")
_NAMES = {
    "es": "es", "espanol": "es", "spanish": "es", "espagnol": "es", "castellano": "es",
    "en": "en", "english": "en", "ingles": "en", "anglais": "en",
    "fr": "fr", "francais": "fr", "french": "fr", "frances": "fr",
}  # fmt: skip


async def choose(ctx: Context, reading: Reading) -> list[Reply]:
    """Set the language from ``/language xx``, a button, or a request in plain words."""
    raw = (reading.detail or "").strip().lower()
    language = _NAMES.get(raw.split()[0] if raw else "")
    if language is None:
        buttons = (
            tuple(
                Button(ctx.catalog.get("language.name", lang), f"lang:{lang}") for lang in LANGUAGES
            ),
        )
        return [ctx.reply(ctx.t("language.ask"), buttons=buttons)]
    if not (ctx.choice_saved and ctx.explicit_choice == language):
        # Saved here unless the core just did ("en français": one transaction, not two).
        # A choice the cached row already had is written again: another process may have
        # changed the row since.
        async with ctx.db.write() as session:
            await save_language(session, ctx.user.id, language, language)
    ctx.language = language
    ctx.user.language = ctx.user.language_choice = language
    if reading.command == "start":  # a deep link (/start lang_fr): the welcome, in it
        from handlers.help import start

        return await start(ctx, reading)
    return [ctx.reply(ctx.t("language.set"))]


HANDLERS = {"language": choose}
