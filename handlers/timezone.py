"""The user's time zone: ``/timezone Europe/Paris`` or "my time zone is Europe/Paris"."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.core.context import Context
from bot.core.messages import Reply
from bot.db.subscriptions import find_timezone, set_timezone
from bot.understanding.reading import Reading

__all__ = ["HANDLERS"]

_CANDIDATE = re.compile(r"[A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)+|\bUTC\b|\bGMT\b", re.IGNORECASE)
_AFTER = re.compile(
    r"(?:time ?zone|zona horaria|huso horario|fuseau(?: horaire)?)\s*(?:is|es|est|:|=|a|à|to)?"
    r"\s*(?:now\s+)?(.+)$",
    re.IGNORECASE,
)


def _guess(text: str) -> str:
    found = _CANDIDATE.search(text)
    if found:
        return found.group(0)
    after = _AFTER.search(text)
    return (after.group(1) if after else text).strip(" .!?¿¡")


def _time(ctx: Context, zone: str) -> str:
    return ctx.now.astimezone(ZoneInfo(zone)).strftime("%H:%M")


async def choose(ctx: Context, reading: Reading) -> list[Reply]:
    """Show or set the user's time zone."""
    raw = reading.args
    guess = _guess(raw)
    if not guess:
        zone = ctx.user.timezone or ctx.settings.timezone
        return [
            ctx.reply(
                ctx.t(
                    "timezone.current",
                    timezone=zone,
                    time=_time(ctx, zone),
                    hour=ctx.settings.send_hour,
                )
            )
        ]
    zone = find_timezone(guess)
    if zone is None:
        return [ctx.reply(ctx.t("timezone.unknown", text=guess[:40]))]
    async with ctx.db.write() as session:
        await set_timezone(session, ctx.user.id, zone)
    ctx.user.timezone = zone
    return [
        ctx.reply(
            ctx.t("timezone.set", timezone=zone, time=_time(ctx, zone), hour=ctx.settings.send_hour)
        )
    ]


HANDLERS = {"timezone": choose}
