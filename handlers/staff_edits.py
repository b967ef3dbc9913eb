"""Staff edits of an item: ``/setdate``, ``/setplace``, ``/setlink``, ``/cancel``,
``/postpone`` — overrides on top of the content files, audited, with change notices — and
``/edit <slug>``, the same as one form (a Slack modal: date, place, link, status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.context import Context
from bot.core.messages import Reply
from bot.db.models import Item, utcnow
from bot.understanding.reading import Reading
from content.index import ContentItem
from content.loader import ContentChange
from handlers.staff_common import (
    CLEAR,
    item_name,
    log_action,
    planner,
    split_args,
    staff_only,
)

__all__ = [
    "FORM_STATUSES",
    "Edit",
    "apply_edits",
    "cancel",
    "edit",
    "form_values",
    "link_ok",
    "postpone",
    "set_date",
    "set_link",
    "set_place",
]


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


@dataclass(frozen=True, slots=True)
class Edit:
    """One override to write.

    Attributes:
        action: What the audit log calls it (``setdate``, ``cancel``…).
        key: The override's key in ``items.overrides`` (``date``, ``place``, ``link``,
            ``status``).
        value: The new value, or ``None`` to clear the override.
        field: The field the change notice names (``when``, ``place``, ``link``, ``status``).
    """

    action: str
    key: str
    value: str | None
    field: str


async def _override(
    ctx: Context, action: str, slug: str, key: str, value: str | None, field: str
) -> list[Reply]:
    """Write one override (``None`` clears it), refresh the content, tell subscribers."""
    return await apply_edits(ctx, slug, [Edit(action, key, value, field)])


async def apply_edits(ctx: Context, slug: str, edits: list[Edit], **detail: Any) -> list[Reply]:
    """Write overrides of one item together, refresh the content, and tell its subscribers
    once about every field that changed; one audit entry per override."""
    if ctx.content.get(slug) is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    before = _snapshot(ctx, slug)
    async with ctx.db.write() as session:
        row = await session.get(Item, slug)
        if row is None:
            return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
        overrides = dict(row.overrides or {})
        for edit in edits:
            if edit.value is None:
                overrides.pop(edit.key, None)
            else:
                overrides[edit.key] = edit.value
        row.overrides = overrides
        row.sequence += 1
        row.updated_at = utcnow()
        kind = row.kind
        raw_when = row.when_raw
    store = ctx.store
    if store is not None:
        ctx.content = await store.refresh()
    after = _snapshot(ctx, slug)
    before["when"] = before.get("when") or raw_when
    after["when"] = after.get("when") or raw_when
    fields = tuple(
        dict.fromkeys(e.field for e in edits if before.get(e.field) != after.get(e.field))
    )
    queued = 0
    if fields:
        change = ContentChange(slug, kind, "changed", fields, before, after)
        queued = await planner(ctx).plan_changes([change], now=ctx.now)
    for edit in edits:
        await log_action(
            ctx, edit.action, slug, recipients=queued, key=edit.key, value=edit.value, **detail
        )
    value = ", ".join(e.value or "—" for e in edits)
    return [
        ctx.reply(ctx.t("staff.edit.done", name=item_name(ctx, slug), value=value, count=queued))
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
    if not link_ok(value):
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


# -- /edit and its form ---------------------------------------------------------------------------

# The statuses the edit form offers: the plan's own (its override cleared), or one of these.
FORM_STATUSES = ("plan", "cancelled", "postponed")
_STATUS_ACTIONS = {"plan": "restore", "cancelled": "cancel", "postponed": "postpone"}


def link_ok(value: str) -> bool:
    """Whether ``value`` is a link staff may set: http(s), at most 500 characters, no spaces."""
    return value.startswith(("https://", "http://")) and len(value) <= 500 and " " not in value


def form_values(item: ContentItem) -> dict[str, str]:
    """What the edit form shows for ``item`` now (``""``: nothing set)."""
    return {
        "date": item.start.isoformat() if item.start and item.precision == "day" else "",
        "place": item.place or "",
        "link": item.link or "",
        "status": item.status if item.status in FORM_STATUSES else "plan",
    }


@staff_only("edit")
async def edit(ctx: Context, reading: Reading) -> list[Reply]:
    """``/edit <slug>``: the edit form where the platform has forms (Slack's modal); the
    commands that do the same elsewhere."""
    if reading.detail == "form":
        return await _edit_form(ctx, reading)
    slug, _ = split_args(reading.args)
    if not slug:
        return _usage(ctx)
    item = ctx.content.get(slug)
    if item is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    text = ctx.t("forms.edit.hint", name=item_name(ctx, slug), slug=item.slug)
    values = (("item", item.slug), *form_values(item).items())
    return [ctx.reply(text, form=f"edit:{item.slug}", fields=values)]


async def _edit_form(ctx: Context, reading: Reading) -> list[Reply]:
    """The edit form, submitted: every field checked first (nothing is written if one is
    wrong), then the overrides that changed written together, as the commands write them."""
    slug = reading.field("item").strip().lower()
    item = ctx.content.get(slug)
    if item is None:
        refused = (("item", ctx.t("staff.unknown_item", slug=slug[:40])),)
        return [ctx.reply(ctx.t("forms.refused"), errors=refused)]
    now = form_values(item)
    wanted = {name: reading.field(name).strip() for name in now}
    errors: list[tuple[str, str]] = []
    edits: list[Edit] = []
    if wanted["date"] != now["date"]:
        try:
            day = date.fromisoformat(wanted["date"]).isoformat() if wanted["date"] else None
            edits.append(Edit("setdate", "date", day, "when"))
        except ValueError:
            errors.append(("date", ctx.t("staff.edit.bad_date")))
    if wanted["place"] != now["place"]:
        edits.append(Edit("setplace", "place", wanted["place"][:200] or None, "place"))
    if wanted["link"] != now["link"]:
        if wanted["link"] and not link_ok(wanted["link"]):
            errors.append(("link", ctx.t("staff.edit.bad_link")))
        else:
            edits.append(Edit("setlink", "link", wanted["link"] or None, "link"))
    if wanted["status"] != now["status"]:
        if wanted["status"] not in FORM_STATUSES:
            errors.append(("status", ctx.t("forms.edit.bad_status")))
        else:
            value = None if wanted["status"] == "plan" else wanted["status"]
            edits.append(Edit(_STATUS_ACTIONS[wanted["status"]], "status", value, "status"))
    if errors:
        return [ctx.reply(ctx.t("forms.refused"), errors=tuple(errors))]
    if not edits:
        return [ctx.reply(ctx.t("forms.edit.unchanged", name=item_name(ctx, slug)))]
    return await apply_edits(ctx, slug, edits, via="form")
