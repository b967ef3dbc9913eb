"""Staff commands: updates to subscribers, content edits, stats, failed deliveries, audit log.

Every command checks the role here, in the core, whatever the platform; a member gets the polite
refusal ``core.staff_only`` and the attempt is written to the audit log with ``allowed=False``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.core.content_store import ContentStore
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.periods import format_day, plan_in_force
from bot.db.models import Announcement, Item
from bot.db.subscriptions import active_recipients
from bot.understanding.reading import Reading
from content.plans import fingerprint, read_plans
from content.schema import ContentError, plain_slug
from handlers.staff_common import (
    StaffHandler,
    actor,
    item_name,
    log_action,
    planner,
    split_args,
    staff_only,
)
from handlers.staff_edits import cancel, edit, postpone, set_date, set_link, set_place
from handlers.staff_links import links
from handlers.staff_reports import failed, retry, show_audit, stats
from handlers.unanswered import show_unanswered
from scheduler.planner import covers

__all__ = ["HANDLERS"]

LANGUAGES = ("es", "en", "fr")
_TAGGED = re.compile(r"^(es|en|fr)\s*:\s*(.+)$", re.DOTALL | re.IGNORECASE)


# -- /staff ---------------------------------------------------------------------------------------


@staff_only("staff")
async def staff_help(ctx: Context, reading: Reading) -> list[Reply]:
    """The list of staff commands."""
    await log_action(ctx, "staff")
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
            hit = r.target_kind == "theme" and plain_slug(r.target) == plain_slug(slug)
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
async def announce(ctx: Context, reading: Reading) -> list[Reply]:
    """A preview of an update with its recipients, and a confirm button. Without a text,
    the form (Slack's modal: item or theme, one text per language) where there is one."""
    if reading.detail == "form":
        return await _announce_form(ctx, reading)
    slug, text = split_args(reading.args)
    if not slug or not text:
        known = ctx.content.get(slug) if slug else None
        values = (("item", known.slug),) if known is not None else ()
        return [ctx.reply(ctx.t("staff.announce.usage"), form="announce", fields=values)]
    item = ctx.content.get(slug)
    if item is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    texts = parse_texts(text, ctx.language)
    if not texts:
        return [ctx.reply(ctx.t("staff.announce.usage"))]
    return await _draft(ctx, item.slug, item.kind, texts)


async def _announce_form(ctx: Context, reading: Reading) -> list[Reply]:
    """The announce form, submitted: an item or theme and a text in at least one language,
    then the same preview as the command's."""
    slug = reading.field("item").strip().lower()
    item = ctx.content.get(slug) if slug else None
    texts = {
        lang: text[:3000] for lang in LANGUAGES if (text := reading.field(f"text_{lang}").strip())
    }
    errors = []
    if item is None:
        errors.append(("item", ctx.t("forms.announce.pick")))
    if not texts:
        errors.append((f"text_{ctx.language}", ctx.t("forms.announce.no_text")))
    if item is None or not texts:
        return [ctx.reply(ctx.t("forms.refused"), errors=tuple(errors))]
    return await _draft(ctx, item.slug, item.kind, texts)


async def _draft(ctx: Context, slug: str, kind: str, texts: dict[str, str]) -> list[Reply]:
    """Store the update as a draft; its preview, with the recipients and Confirm/Drop."""
    item = ctx.content.get(slug)
    assert item is not None
    counts = await _audience(ctx, slug, kind)
    async with ctx.db.write() as session:
        draft = Announcement(
            author=actor(ctx)[:96],
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
    await log_action(ctx, "announce.draft", slug, recipients=total, announcement=draft_id)
    preview = ctx.t(
        "staff.announce.preview",
        name=item_name(ctx, slug),
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
        number, count = await planner(ctx).announce(slug, texts, author=actor(ctx), now=ctx.now)
    except ValueError:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug))]
    await log_action(ctx, "announce", slug, recipients=count, announcement=number, draft=draft_id)
    return [ctx.reply(ctx.t("staff.announce.sent", count=count, name=item_name(ctx, slug)))]


async def _drop_announce(ctx: Context, draft_id: int) -> list[Reply]:
    async with ctx.db.write() as session:
        draft = await session.get(Announcement, draft_id)
        if draft is None or draft.status != "draft":
            return [ctx.reply(ctx.t("staff.announce.gone"))]
        draft.status = "dropped"
    await log_action(ctx, "announce.drop", str(draft_id))
    return [ctx.reply(ctx.t("staff.announce.dropped"))]


@staff_only("button")
async def button(ctx: Context, reading: Reading) -> list[Reply]:
    """The staff buttons: confirm or drop an update."""
    what, _, number = reading.value.partition(":")
    if what == "reload":
        return await _apply_reload(ctx, number)
    if not number.isdigit():
        return [ctx.reply(ctx.t("staff.announce.gone"))]
    if what == "ann":
        return await _confirm_announce(ctx, int(number))
    if what == "drop":
        return await _drop_announce(ctx, int(number))
    return [ctx.reply(ctx.t("staff.announce.gone"))]


# -- /reload --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Diff:
    """What loading the files would do: items added, changed and removed (their keys), and
    the plans that are new (year and number of items)."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    new_plans: list[tuple[int, int]]


async def _diff(ctx: Context, store: ContentStore) -> _Diff:
    """What loading the files would add, change and remove (nothing is written).

    Raises:
        ContentError: The files are broken.
    """
    plans = read_plans(store.directory)
    async with ctx.db.read() as session:
        rows = {row.slug: row for row in (await session.scalars(select(Item))).all()}
    added, changed = [], []
    for spec in plans.items:
        row = rows.pop(spec.key, None)
        if row is None:
            added.append(spec.key)
        elif row.removed or row.content_hash != spec.content_hash():
            changed.append(spec.key)
    removed = [slug for slug, row in rows.items() if not row.removed]
    live = ctx.content.plans
    new_plans = [(p.year, len(p.items)) for p in plans.plans if p.year not in live]
    return _Diff(added, changed, removed, new_plans)


def _new_plan_lines(ctx: Context, new_plans: list[tuple[int, int]]) -> str:
    # Next year's plan goes live at once for questions that name it, and becomes the plan in
    # force on 1 January (or at once, when this year has no plan).
    years = {*ctx.content.years, *(year for year, _ in new_plans)}
    in_force = plan_in_force(years, ctx.today)
    lines = []
    for year, count in new_plans:
        if year == in_force:
            lines.append(ctx.t("staff.reload.new_plan_now", year=year, count=count))
        elif year > ctx.today.year:
            start = format_day(date(year, 1, 1), ctx.language)
            lines.append(ctx.t("staff.reload.new_plan", year=year, count=count, start=start))
        else:
            lines.append(ctx.t("staff.reload.new_plan_past", year=year, count=count))
    return "".join(f"\n{line}" for line in lines)


def _slugs(ctx: Context, slugs: list[str]) -> str:
    if not slugs:
        return "—"
    shown = ", ".join(slugs[:20])
    return shown + (f" (+{len(slugs) - 20})" if len(slugs) > 20 else "")


@staff_only("reload")
async def reload(ctx: Context, reading: Reading) -> list[Reply]:
    """Validate the content files and show what would change, with a confirm button."""
    store = ctx.store
    if store is None:
        return [ctx.reply(ctx.t("core.error"))]
    try:
        diff = await _diff(ctx, store)
    except ContentError as exc:
        await log_action(ctx, "reload.refused", exc.file, error=str(exc)[:300])
        return [ctx.reply(ctx.t("staff.reload.broken", error=str(exc)[:500]))]
    added, changed, removed = diff.added, diff.changed, diff.removed
    await log_action(
        ctx,
        "reload.check",
        added=len(added),
        changed=len(changed),
        removed=len(removed),
        new_plans=[year for year, _ in diff.new_plans],
    )
    summary = ctx.t(
        "staff.reload.preview",
        added=_slugs(ctx, added),
        changed=_slugs(ctx, changed),
        removed=_slugs(ctx, removed),
    ) + _new_plan_lines(ctx, diff.new_plans)
    if not (added or changed or removed):
        return [ctx.reply(ctx.t("staff.reload.nothing"))]
    mark = fingerprint(store.directory)[:24]
    buttons = ((Button(ctx.t("staff.button.apply"), f"stf:reload:{mark}"),),)
    return [ctx.reply(summary, buttons=buttons)]


async def _apply_reload(ctx: Context, mark: str) -> list[Reply]:
    store = ctx.store
    if store is None:
        return [ctx.reply(ctx.t("core.error"))]
    if fingerprint(store.directory)[:24] != mark:
        return [ctx.reply(ctx.t("staff.reload.stale"))]
    try:
        result = await store.sync(force=True)
    except ContentError as exc:
        await log_action(ctx, "reload.refused", exc.file, error=str(exc)[:300])
        return [ctx.reply(ctx.t("staff.reload.broken", error=str(exc)[:500]))]
    changes = result.changes if result else ()
    queued = await planner(ctx).plan_changes(changes, now=ctx.now) if changes else 0
    await log_action(ctx, "reload", recipients=queued, changes=len(changes))
    return [ctx.reply(ctx.t("staff.reload.done", changes=len(changes), count=queued))]


_BY_COMMAND: dict[str, StaffHandler] = {}


async def staff(ctx: Context, reading: Reading) -> list[Reply]:
    """A staff command ("/setdate", "!stats") or a staff button (each handler checks the role)."""
    if reading.command == "button":
        return await button(ctx, reading)
    handler = _BY_COMMAND.get(reading.command or "")
    if handler is None:
        return [ctx.reply(ctx.t("help.unknown_command", command=(reading.command or "")[:32]))]
    return await handler(ctx, reading)


_BY_COMMAND.update(
    {
        "staff": staff_help,
        "personal": staff_help,
        "announce": announce,
        "anunciar": announce,
        "annoncer": announce,
        "setdate": set_date,
        "setplace": set_place,
        "setlink": set_link,
        "cancel": cancel,
        "postpone": postpone,
        "stats": stats,
        "failed": failed,
        "retry": retry,
        "audit": show_audit,
        "reload": reload,
        "unanswered": show_unanswered,
        "edit": edit,
        "link": links,
    }
)
HANDLERS = {"staff": staff}
