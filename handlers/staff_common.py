"""What every staff command shares: who may run it, the audit log of every attempt, and
reading its arguments ("/setdate mega 2019-06-12")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from bot.core.context import Context
from bot.core.messages import Reply
from bot.db import audit
from bot.understanding.reading import Reading
from scheduler.planner import Planner

__all__ = [
    "CLEAR",
    "StaffHandler",
    "actor",
    "item_name",
    "log_action",
    "planner",
    "split_args",
    "staff_only",
]

StaffHandler = Callable[[Context, Reading], Awaitable[list[Reply]]]


def actor(ctx: Context) -> str:
    """Who does it: ``platform:user id``."""
    return f"{ctx.incoming.platform}:{ctx.incoming.user_id}"


async def log_action(
    ctx: Context,
    action: str,
    target: str | None = None,
    *,
    recipients: int = 0,
    allowed: bool = True,
    **detail: Any,
) -> None:
    """Record a staff action (or a refused attempt at one) in the audit log."""
    await audit.record(
        ctx.db,
        platform=ctx.incoming.platform,
        actor=actor(ctx),
        action=action,
        target=target,
        recipients=recipients,
        allowed=allowed,
        detail=detail,
    )


def staff_only(name: str) -> Callable[[StaffHandler], StaffHandler]:
    """Refuse members politely (and log the attempt) before the handler runs."""

    def wrap(handler: StaffHandler) -> StaffHandler:
        @wraps(handler)
        async def guarded(ctx: Context, reading: Reading) -> list[Reply]:
            if not ctx.is_staff:
                what = (reading.args or reading.value)[:64] or None
                await log_action(ctx, name, what, allowed=False)
                return [ctx.reply(ctx.t("core.staff_only"))]
            return await handler(ctx, reading)

        return guarded

    return wrap


# Words that clear an override ("/setplace mega clear").
CLEAR = frozenset({"clear", "borrar", "effacer", "-"})


def planner(ctx: Context) -> Planner:
    """A planner over the live content (staff changes plan notices right away)."""
    store = ctx.store
    return Planner(
        ctx.db,
        (lambda: store.index) if store is not None else (lambda: ctx.content),
        ctx.settings,
        ctx.clock,
    )


def split_args(text: str) -> tuple[str, str]:
    """The first word (lower-cased: a slug) and the rest."""
    head, _, rest = text.strip().partition(" ")
    return head.strip().lower(), rest.strip()


def item_name(ctx: Context, slug: str) -> str:
    """An item's title in the reply language (its slug if it is gone)."""
    item = ctx.content.get(slug)
    if item is None:
        return slug
    return item.title.get(ctx.language) or next(iter(item.title.values()), slug)
