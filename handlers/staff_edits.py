"""Staff edits of an item: ``/setdate``, ``/setplace``, ``/setlink``, ``/cancel``,
``/postpone`` — overrides on top of the content files, audited, with change notices."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.context import Context
from bot.core.messages import Reply
from bot.db.models import Item, utcnow
from bot.understanding.reading import Reading
from content.loader import ContentChange
from handlers.staff_common import (
    CLEAR,
    item_name,
    log_action,
    planner,
    split_args,
    staff_only,
)

__all__ = ["cancel", "postpone", "set_date", "set_link", "set_place"]


# -- content edits --------------------------------------------------------------------------------


def _snapshot(ctx: Context, slug: str) -> dict[str, Any]:
    item = ctx.content.get(slug)
    if item is None:
        return {}
    when = None
    if item.start is not None and item.precision == "day":
        when = item.start.isoformat()
    return {
        "status": item.status,
        "when": when,
        "place": item.place,
        "link": item.link,
        "title": dict(item.title),
    }


async def _override(
    ctx: Context, action: str, slug: str, key: str, value: str | None, field: str
) -> list[Reply]:
    """Write one override (``None`` clears it), refresh the content, tell subscribers."""
    if ctx.content.get(slug) is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    before = _snapshot(ctx, slug)
    async with ctx.db.write() as session:
        row = await session.get(Item, slug)
        if row is None:
            return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
        overrides = dict(row.overrides or {})
        if value is None:
            overrides.pop(key, None)
        else:
            overrides[key] = value
        row.overrides = overrides
        row.sequence += 1
        row.updated_at = utcnow()
        kind = row.kind
        raw_when = row.when_raw
    store = ctx.store
    if store is not None:
        ctx.content = await store.refresh()
    after = _snapshot(ctx, slug)
    if field == "when":
        before["when"] = before.get("when") or raw_when
        after["when"] = after.get("when") or raw_when
    queued = 0
    if before.get(field) != after.get(field):
        change = ContentChange(slug, kind, "changed", (field,), before, after)
        queued = await planner(ctx).plan_changes([change], now=ctx.now)
    await log_action(ctx, action, slug, recipients=queued, key=key, value=value)
    return [
        ctx.reply(
            ctx.t("staff.edit.done", name=item_name(ctx, slug), value=value or "—", count=queued)
        )
    ]


def _usage(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx.t("staff.edit.usage"))]


@staff_only("setdate")
async def set_date(ctx: Context, reading: Reading) -> list[Reply]:
    """Set or clear an item's exact date."""
    slug, value = split_args(reading.args)
    if not slug or not value:
        return _usage(ctx)
    if value.lower() in CLEAR:
        return await _override(ctx, "setdate", slug, "date", None, "when")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return [ctx.reply(ctx.t("staff.edit.bad_date"))]
    return await _override(ctx, "setdate", slug, "date", day.isoformat(), "when")


@staff_only("setplace")
async def set_place(ctx: Context, reading: Reading) -> list[Reply]:
    """Set or clear an item's place."""
    slug, value = split_args(reading.args)
    if not slug or not value:
        return _usage(ctx)
    text = None if value.lower() in CLEAR else value[:200]
    return await _override(ctx, "setplace", slug, "place", text, "place")


@staff_only("setlink")
async def set_link(ctx: Context, reading: Reading) -> list[Reply]:
    """Set or clear an item's link (http or https only)."""
    slug, value = split_args(reading.args)
    if not slug or not value:
        return _usage(ctx)
    if value.lower() in CLEAR:
        return await _override(ctx, "setlink", slug, "link", None, "link")
    if not value.startswith(("https://", "http://")) or len(value) > 500 or " " in value:
        return [ctx.reply(ctx.t("staff.edit.bad_link"))]
    return await _override(ctx, "setlink", slug, "link", value, "link")


@staff_only("cancel")
async def cancel(ctx: Context, reading: Reading) -> list[Reply]:
    """Mark an item cancelled."""
    slug, _ = split_args(reading.args)
    if not slug:
        return _usage(ctx)
    return await _override(ctx, "cancel", slug, "status", "cancelled", "status")


@staff_only("postpone")
async def postpone(ctx: Context, reading: Reading) -> list[Reply]:
    """Mark an item postponed."""
    slug, _ = split_args(reading.args)
    if not slug:
        return _usage(ctx)
    return await _override(ctx, "postpone", slug, "status", "postponed", "status")
