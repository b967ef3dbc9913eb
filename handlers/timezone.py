"""The user's time zone: ``/timezone Europe/Paris`` or "my time zone is Europe/Paris"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.router import Query, Route
from bot.db.subscriptions import find_timezone, set_timezone

__all__ = ["ROUTES"]

_PHRASES = ("time zone", "timezone", "zona horaria", "huso horario", "fuseau horaire", "fuseau")
# One search instead of a substring test per phrase.
_PHRASE = re.compile("|".join(re.escape(p) for p in _PHRASES))
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


async def choose(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Show or set the user's time zone."""
    raw = str(args.get("text") if args.get("text") is not None else args.get("args") or "")
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


def _match(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if _PHRASE.search(query.joined) and len(query.words) <= 12:
        text = _AFTER.search(query.args)
        return {"text": text.group(1) if text else ""}
    return None


ROUTES = [
    Route(
        "timezone",
        choose,
        commands=("timezone", "tz", "zonahoraria", "fuseau"),
        matcher=_match,
        priority=17,
    ),
]
