"""Staff commands: updates to subscribers, content edits, stats, failed deliveries, audit log.

Every command checks the role here, in the core, whatever the platform; a member gets the polite
refusal ``core.staff_only`` and the attempt is written to the audit log with ``allowed=False``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, timedelta
from functools import wraps
from typing import Any

from sqlalchemy import func, select, update

from bot.core.content_store import ContentStore
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.db import audit
from bot.db.heartbeat import last
from bot.db.models import Announcement, Delivery, Item, Subscription, utcnow
from bot.db.subscriptions import active_recipients
from content.loader import ContentChange, fingerprint, read_plan
from content.schema import ContentError
from scheduler.planner import Planner, covers

__all__ = ["ROUTES"]

StaffHandler = Callable[[Context, Mapping[str, Any]], Awaitable[list[Reply]]]

_CLEAR = frozenset({"clear", "borrar", "effacer", "-"})
LANGUAGES = ("es", "en", "fr")
_TAGGED = re.compile(r"^(es|en|fr)\s*:\s*(.+)$", re.DOTALL | re.IGNORECASE)


def _actor(ctx: Context) -> str:
    return f"{ctx.incoming.platform}:{ctx.incoming.user_id}"


async def _log(
    ctx: Context,
    action: str,
    target: str | None = None,
    *,
    recipients: int = 0,
    allowed: bool = True,
    **detail: Any,
) -> None:
    await audit.record(
        ctx.db,
        platform=ctx.incoming.platform,
        actor=_actor(ctx),
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
        async def guarded(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
            if not ctx.is_staff:
                what = str(args.get("args") or args.get("value") or "")[:64] or None
                await _log(ctx, name, what, allowed=False)
                return [ctx.reply(ctx.t("core.staff_only"))]
            return await handler(ctx, args)

        return guarded

    return wrap


def _store(ctx: Context) -> ContentStore | None:
    store = ctx.services.get("content")
    return store if isinstance(store, ContentStore) else None


def _planner(ctx: Context) -> Planner:
    store = _store(ctx)
    return Planner(
        ctx.db,
        (lambda: store.index) if store is not None else (lambda: ctx.content),
        ctx.settings,
        ctx.clock,
    )


def _split(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition(" ")
    return head.strip().lower(), rest.strip()


def _name(ctx: Context, slug: str) -> str:
    item = ctx.content.get(slug)
    if item is None:
        return slug
    return item.title.get(ctx.language) or next(iter(item.title.values()), slug)


# -- /staff ---------------------------------------------------------------------------------------


@staff_only("staff")
async def staff_help(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The list of staff commands."""
    await _log(ctx, "staff")
    return [ctx.reply(ctx.t("staff.help"), title=ctx.t("staff.help_title"))]


# -- /announce ----------------------------------------------------------------------------------


async def _audience(ctx: Context, slug: str, kind: str) -> Counter[tuple[str, str]]:
    """Chats that would get an update about ``slug``, counted by (platform, language)."""
    async with ctx.db.read() as session:
        recipients = await active_recipients(
            session,
            default_language=ctx.settings.default_language,
            default_timezone=ctx.settings.timezone,
            target_kinds=("item", "theme", "all_events"),
        )
    item = ctx.content.get(slug)
    chats: dict[tuple[str, str], str] = {}
    for r in recipients:
        if kind == "theme":
            hit = r.target_kind == "theme" and r.target == slug
        else:
            hit = item is not None and covers(r.target_kind, r.target, item)
        if hit:
            chats.setdefault((r.platform, r.chat_id), r.language)
    return Counter((platform, lang) for (platform, _), lang in chats.items())


def _audience_lines(ctx: Context, counts: Counter[tuple[str, str]]) -> str:
    if not counts:
        return ctx.t("staff.announce.nobody")
    return "\n".join(
        f"• {platform} · {lang}: {n}" for (platform, lang), n in sorted(counts.items())
    )


def parse_texts(text: str, language: str) -> dict[str, str] | None:
    """The update per language: ``es: … | en: … | fr: …``, or one text in ``language``.

    Returns ``None`` when tagged parts are malformed.
    """
    if not _TAGGED.match(text.strip()):
        return {language: text.strip()[:3000]}
    texts: dict[str, str] = {}
    for part in text.split("|"):
        found = _TAGGED.match(part.strip())
        if found is None:
            return None
        texts[found.group(1).lower()] = found.group(2).strip()[:3000]
    return texts


def complete_texts(ctx: Context, texts: dict[str, str]) -> dict[str, str]:
    """Every language: a missing one gets the source-language text (or the first) with a note."""
    source = ctx.content.source_language
    origin = source if source in texts else next(iter(texts))
    full = {}
    for lang in LANGUAGES:
        if texts.get(lang):
            full[lang] = texts[lang]
        else:
            name = ctx.catalog.get(f"staff.language_{origin}", lang)
            note = ctx.catalog.get("staff.announce.untranslated", lang, language=name)
            full[lang] = f"{texts[origin]}\n\n{note}"
    return full


@staff_only("announce")
async def announce(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """A preview of an update with its recipients, and a confirm button."""
    slug, text = _split(str(args.get("args", "")))
    if not slug or not text:
        return [ctx.reply(ctx.t("staff.announce.usage"))]
    item = ctx.content.get(slug)
    if item is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    texts = parse_texts(text, ctx.language)
    if not texts:
        return [ctx.reply(ctx.t("staff.announce.usage"))]
    counts = await _audience(ctx, slug, item.kind)
    async with ctx.db.write() as session:
        draft = Announcement(
            author=_actor(ctx)[:96],
            target_kind="theme" if item.kind == "theme" else "item",
            target=slug,
            texts=texts,
            status="draft",
            created_at=ctx.now,
        )
        session.add(draft)
        await session.flush()
        draft_id = draft.id
    total = sum(counts.values())
    await _log(ctx, "announce.draft", slug, recipients=total, announcement=draft_id)
    preview = ctx.t(
        "staff.announce.preview",
        name=_name(ctx, slug),
        text="\n".join(f"[{lang}] {body}" for lang, body in texts.items()),
        total=total,
        audience=_audience_lines(ctx, counts),
    )
    buttons = (
        (
            Button(ctx.t("staff.button.confirm"), f"stf:ann:{draft_id}"),
            Button(ctx.t("staff.button.drop"), f"stf:drop:{draft_id}"),
        ),
    )
    return [ctx.reply(preview, buttons=buttons)]


async def _confirm_announce(ctx: Context, draft_id: int) -> list[Reply]:
    async with ctx.db.write() as session:
        draft = await session.get(Announcement, draft_id)
        if draft is None or draft.status != "draft":
            return [ctx.reply(ctx.t("staff.announce.gone"))]
        draft.status = "confirmed"
        slug, texts = draft.target, dict(draft.texts or {})
    texts = complete_texts(ctx, texts)
    try:
        number, count = await _planner(ctx).announce(slug, texts, author=_actor(ctx), now=ctx.now)
    except ValueError:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug))]
    await _log(ctx, "announce", slug, recipients=count, announcement=number, draft=draft_id)
    return [ctx.reply(ctx.t("staff.announce.sent", count=count, name=_name(ctx, slug)))]


async def _drop_announce(ctx: Context, draft_id: int) -> list[Reply]:
    async with ctx.db.write() as session:
        draft = await session.get(Announcement, draft_id)
        if draft is None or draft.status != "draft":
            return [ctx.reply(ctx.t("staff.announce.gone"))]
        draft.status = "dropped"
    await _log(ctx, "announce.drop", str(draft_id))
    return [ctx.reply(ctx.t("staff.announce.dropped"))]


@staff_only("button")
async def button(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The staff buttons: confirm or drop an update."""
    what, _, number = str(args.get("value", "")).partition(":")
    if what == "reload":
        return await _apply_reload(ctx, number)
    if not number.isdigit():
        return [ctx.reply(ctx.t("staff.announce.gone"))]
    if what == "ann":
        return await _confirm_announce(ctx, int(number))
    if what == "drop":
        return await _drop_announce(ctx, int(number))
    return [ctx.reply(ctx.t("staff.announce.gone"))]


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
    store = _store(ctx)
    if store is not None:
        ctx.content = await store.refresh()
    after = _snapshot(ctx, slug)
    if field == "when":
        before["when"] = before.get("when") or raw_when
        after["when"] = after.get("when") or raw_when
    queued = 0
    if before.get(field) != after.get(field):
        change = ContentChange(slug, kind, "changed", (field,), before, after)
        queued = await _planner(ctx).plan_changes([change], now=ctx.now)
    await _log(ctx, action, slug, recipients=queued, key=key, value=value)
    return [
        ctx.reply(ctx.t("staff.edit.done", name=_name(ctx, slug), value=value or "—", count=queued))
    ]


def _usage(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx.t("staff.edit.usage"))]


@staff_only("setdate")
async def set_date(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Set or clear an item's exact date."""
    slug, value = _split(str(args.get("args", "")))
    if not slug or not value:
        return _usage(ctx)
    if value.lower() in _CLEAR:
        return await _override(ctx, "setdate", slug, "date", None, "when")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return [ctx.reply(ctx.t("staff.edit.bad_date"))]
    return await _override(ctx, "setdate", slug, "date", day.isoformat(), "when")


@staff_only("setplace")
async def set_place(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Set or clear an item's place."""
    slug, value = _split(str(args.get("args", "")))
    if not slug or not value:
        return _usage(ctx)
    text = None if value.lower() in _CLEAR else value[:200]
    return await _override(ctx, "setplace", slug, "place", text, "place")


@staff_only("setlink")
async def set_link(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Set or clear an item's link (http or https only)."""
    slug, value = _split(str(args.get("args", "")))
    if not slug or not value:
        return _usage(ctx)
    if value.lower() in _CLEAR:
        return await _override(ctx, "setlink", slug, "link", None, "link")
    if not value.startswith(("https://", "http://")) or len(value) > 500 or " " in value:
        return [ctx.reply(ctx.t("staff.edit.bad_link"))]
    return await _override(ctx, "setlink", slug, "link", value, "link")


@staff_only("cancel")
async def cancel(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Mark an item cancelled."""
    slug, _ = _split(str(args.get("args", "")))
    if not slug:
        return _usage(ctx)
    return await _override(ctx, "cancel", slug, "status", "cancelled", "status")


@staff_only("postpone")
async def postpone(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Mark an item postponed."""
    slug, _ = _split(str(args.get("args", "")))
    if not slug:
        return _usage(ctx)
    return await _override(ctx, "postpone", slug, "status", "postponed", "status")


# -- /stats, /failed, /retry, /audit --------------------------------------------------------------


@staff_only("stats")
async def stats(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Subscribers per item, platform and language; deliveries of the last 7 days; last tick."""
    since = ctx.now - timedelta(days=7)
    async with ctx.db.read() as session:
        recipients = await active_recipients(
            session,
            default_language=ctx.settings.default_language,
            default_timezone=ctx.settings.timezone,
        )
        deliveries = dict(
            (
                await session.execute(
                    select(Delivery.status, func.count())
                    .where(Delivery.created_at >= since)
                    .group_by(Delivery.status)
                )
            ).all()
        )
        total_subs = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.active.is_(True))
        )
    per_item = Counter(f"{r.target_kind}:{r.target}" for r in recipients)
    per_place = Counter((r.platform, r.language) for r in recipients)
    items = "\n".join(f"• {target}: {n}" for target, n in per_item.most_common(15)) or "—"
    places = "\n".join(f"• {p} · {lang}: {n}" for (p, lang), n in sorted(per_place.items()))
    beat = await last(ctx.db, "clock")
    tick = beat.at.astimezone(ctx.user_tz).strftime("%Y-%m-%d %H:%M") if beat else "—"
    await _log(ctx, "stats")
    text = ctx.t(
        "staff.stats.body",
        total=int(total_subs or 0),
        items=items,
        platforms=places or "—",
        sent=int(deliveries.get("sent", 0)),
        pending=int(deliveries.get("pending", 0)),
        failed=int(deliveries.get("failed", 0)),
        tick=tick,
    )
    return [ctx.reply(text, title=ctx.t("staff.stats.title"))]


@staff_only("failed")
async def failed(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The latest failed deliveries."""
    async with ctx.db.read() as session:
        rows = (
            await session.scalars(
                select(Delivery)
                .where(Delivery.status == "failed")
                .order_by(Delivery.id.desc())
                .limit(20)
            )
        ).all()
    await _log(ctx, "failed", recipients=len(rows))
    if not rows:
        return [ctx.reply(ctx.t("staff.failed.none"))]
    lines = "\n".join(
        f"• #{d.id} {d.kind} {d.item_slug or ''} → {d.platform} ({(d.last_error or '?')[:80]})"
        for d in rows
    )
    return [ctx.reply(ctx.t("staff.failed.list", lines=lines))]


@staff_only("retry")
async def retry(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Put failed deliveries back in the queue: one by id, or all."""
    target = str(args.get("args", "")).strip().lstrip("#").lower()
    statement = update(Delivery).where(Delivery.status == "failed")
    if target.isdigit():
        statement = statement.where(Delivery.id == int(target))
    elif target != "all":
        return [ctx.reply(ctx.t("staff.retry.usage"))]
    statement = statement.values(
        status="pending",
        attempts=0,
        next_attempt_at=ctx.now,
        expires_at=None,
        lease_owner=None,
        lease_until=None,
    )
    async with ctx.db.write() as session:
        result = await session.execute(statement)
        count = int(getattr(result, "rowcount", 0) or 0)
    await _log(ctx, "retry", target, recipients=count)
    return [ctx.reply(ctx.t("staff.retry.done", count=count))]


@staff_only("audit")
async def show_audit(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The last 20 entries of the audit log."""
    entries = await audit.recent(ctx.db, limit=20)
    await _log(ctx, "audit")
    if not entries:
        return [ctx.reply(ctx.t("staff.audit.none"))]
    lines = []
    for e in entries:
        mark = "✓" if e.allowed else "✗"
        when = e.at.astimezone(ctx.user_tz).strftime("%m-%d %H:%M")
        target = f" {e.target}" if e.target else ""
        lines.append(f"• {when} {mark} {e.actor} {e.action}{target} ({e.recipients})")
    return [ctx.reply("\n".join(lines), title=ctx.t("staff.audit.title"))]


# -- /reload --------------------------------------------------------------------------------------


async def _diff(ctx: Context, store: ContentStore) -> tuple[list[str], list[str], list[str]]:
    """What loading the files would add, change and remove (nothing is written).

    Raises:
        ContentError: The files are broken.
    """
    plan = read_plan(store.directory)
    async with ctx.db.read() as session:
        rows = {row.slug: row for row in (await session.scalars(select(Item))).all()}
    added, changed = [], []
    for spec in plan.items:
        row = rows.pop(spec.slug, None)
        if row is None:
            added.append(spec.slug)
        elif row.removed or row.content_hash != spec.content_hash():
            changed.append(spec.slug)
    removed = [slug for slug, row in rows.items() if not row.removed]
    return added, changed, removed


def _slugs(ctx: Context, slugs: list[str]) -> str:
    if not slugs:
        return "—"
    shown = ", ".join(slugs[:20])
    return shown + (f" (+{len(slugs) - 20})" if len(slugs) > 20 else "")


@staff_only("reload")
async def reload(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Validate the content files and show what would change, with a confirm button."""
    store = _store(ctx)
    if store is None:
        return [ctx.reply(ctx.t("core.error"))]
    try:
        added, changed, removed = await _diff(ctx, store)
    except ContentError as exc:
        await _log(ctx, "reload.refused", exc.file, error=str(exc)[:300])
        return [ctx.reply(ctx.t("staff.reload.broken", error=str(exc)[:500]))]
    await _log(ctx, "reload.check", added=len(added), changed=len(changed), removed=len(removed))
    summary = ctx.t(
        "staff.reload.preview",
        added=_slugs(ctx, added),
        changed=_slugs(ctx, changed),
        removed=_slugs(ctx, removed),
    )
    if not (added or changed or removed):
        return [ctx.reply(ctx.t("staff.reload.nothing"))]
    mark = fingerprint(store.directory)[:24]
    buttons = ((Button(ctx.t("staff.button.apply"), f"stf:reload:{mark}"),),)
    return [ctx.reply(summary, buttons=buttons)]


async def _apply_reload(ctx: Context, mark: str) -> list[Reply]:
    store = _store(ctx)
    if store is None:
        return [ctx.reply(ctx.t("core.error"))]
    if fingerprint(store.directory)[:24] != mark:
        return [ctx.reply(ctx.t("staff.reload.stale"))]
    try:
        result = await store.sync(force=True)
    except ContentError as exc:
        await _log(ctx, "reload.refused", exc.file, error=str(exc)[:300])
        return [ctx.reply(ctx.t("staff.reload.broken", error=str(exc)[:500]))]
    changes = result.changes if result else ()
    queued = await _planner(ctx).plan_changes(changes, now=ctx.now) if changes else 0
    await _log(ctx, "reload", recipients=queued, changes=len(changes))
    return [ctx.reply(ctx.t("staff.reload.done", changes=len(changes), count=queued))]


_BY_COMMAND: dict[str, StaffHandler] = {}
_BANG = re.compile(r"^(?:!|staff\s+!?)([a-z]+)\b\s*(.*)$", re.DOTALL | re.IGNORECASE)


def _match_bang(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    """``!stats`` or ``staff stats``: staff commands where a slash cannot be typed (Slack)."""
    found = _BANG.match(query.text)
    if found is None or found.group(1).lower() not in _BY_COMMAND:
        return None
    return {"command": found.group(1).lower(), "args": found.group(2).strip()}


async def bang(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Run the staff command named in plain words (each handler checks the role)."""
    return await _BY_COMMAND[str(args["command"])](ctx, args)


ROUTES = [
    Route("staff", staff_help, commands=("staff", "personal")),
    Route("staff.announce", announce, commands=("announce", "anunciar", "annoncer")),
    Route("staff.button", button, actions=("stf",)),
    Route("staff.setdate", set_date, commands=("setdate",)),
    Route("staff.setplace", set_place, commands=("setplace",)),
    Route("staff.setlink", set_link, commands=("setlink",)),
    Route("staff.cancel", cancel, commands=("cancel",)),
    Route("staff.postpone", postpone, commands=("postpone",)),
    Route("staff.stats", stats, commands=("stats",)),
    Route("staff.failed", failed, commands=("failed",)),
    Route("staff.retry", retry, commands=("retry",)),
    Route("staff.audit", show_audit, commands=("audit",)),
    Route("staff.reload", reload, commands=("reload",)),
]
_BY_COMMAND.update((command, route.handler) for route in ROUTES for command in route.commands)
ROUTES.append(Route("staff.words", bang, matcher=_match_bang, priority=1))
