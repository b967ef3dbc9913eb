"""Pilot projects: all of them ("/projects"), by status ("¿qué proyectos piloto empiezan?",
"projects closing", "projets en cours"), by theme or topic ("projects about water",
"proyectos de movilidad"), and the single event presenting the conclusions. Lists are
numbered: "the second one" shows that project. They are the projects of the plan in force,
or of the plan of the year asked about ("projects of the 2019 plan").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.context import Context
from bot.core.messages import IN_PLACE, Button, Reply
from bot.core.text import words
from bot.understanding.reading import Reading
from content.index import ContentIndex, ContentItem
from handlers.present.items import as_written, button_label, item_card, title_of, when_text
from handlers.present.lists import numbered
from handlers.present.years import asked_year
from handlers.selection import projects as select_projects

__all__ = ["HANDLERS", "STATUSES"]

STATUSES = ("closing", "ongoing", "starting")
_CONCLUSIONS = frozenset(
    "conclusions conclusion conclusiones results resultados resultats bilan".split()
)
# Project lists are not paged (the plan has 11 projects); a list this long is cut.
_MAX_LINES = 20


def _conclusions_event(index: ContentIndex) -> ContentItem | None:
    def find() -> ContentItem | None:
        for kind in ("action", "event"):
            for item in index.of_kind(kind):
                if item.section == "pilot-projects" and _CONCLUSIONS.intersection(
                    w for k in item.keywords for w in words(k)
                ):
                    return item
        return None

    return index.derived("projects.conclusions", find)


def _status_buttons(ctx: Context, but: str | None = None) -> tuple[Button, ...]:
    # Filters: the list they are under is replaced by the filtered one (IN_PLACE).
    row = [
        Button(ctx.t(f"projects.button.{s}"), f"{IN_PLACE}cmd:projects {s}")
        for s in STATUSES
        if s != but
    ]
    if but is not None:
        row.append(Button(ctx.t("projects.button.all"), f"{IN_PLACE}cmd:projects"))
    return tuple(row)


def _item_buttons(ctx: Context, items: Sequence[ContentItem]) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(f"{n}. {button_label(title_of(ctx, i), 44)}", f"about:{i.slug}"),)
        for n, i in enumerate(items[:6], start=1)
    )


def _conclusions_note(ctx: Context, plan: ContentIndex) -> str | None:
    event = _conclusions_event(plan)
    if event is None:
        return None
    return ctx.t(
        "projects.conclusions.note", title=event.title[ctx.language], when=when_text(ctx, event)
    )


def _capped(lines: list[str], total: int, limit: int = _MAX_LINES) -> list[str]:
    if total <= limit:
        return lines
    return [*lines[:limit], f"… (+{total - limit})"]


def all_reply(ctx: Context, year: int) -> list[Reply]:
    """Every pilot project of the plan of ``year``, grouped by status, numbered across the
    groups."""
    plan = ctx.content.plan(year)
    every = select_projects(plan)
    # Grouped lists are not paged: past the plan's size, each group shows its first few.
    limit = _MAX_LINES if len(every) <= _MAX_LINES else 6
    parts = [ctx.t("projects.all.intro", year=year, count=len(every))]
    shown: list[str] = []
    for status in STATUSES:
        group = [p for p in every if p.status == status]
        if not group:
            continue
        parts.append("")
        parts.append(ctx.t(f"projects.group.{status}", year=year, count=len(group)))
        lines = numbered([title_of(ctx, p) for p in group[:limit]], start=len(shown) + 1)
        parts.extend(_capped(lines, len(group), limit))
        shown += [p.slug for p in group[:limit]]
    note = _conclusions_note(ctx, plan)
    if note:
        parts += ["", note]
    buttons: list[tuple[Button, ...]] = [_status_buttons(ctx)]
    event = _conclusions_event(plan)
    if event is not None:
        buttons.append((Button(ctx.t("projects.button.conclusions"), f"about:{event.slug}"),))
    ctx.turn.listed_items(shown)
    return [
        ctx.reply(
            "\n".join(parts), title=ctx.t("projects.all.title", year=year), buttons=tuple(buttons)
        )
    ]


def status_reply(ctx: Context, status: str, year: int) -> list[Reply]:
    """The pilot projects of the plan of ``year`` with one status; starting ones say they
    depend on the budget."""
    plan = ctx.content.plan(year)
    group = select_projects(plan, status=status)
    title = ctx.t(f"projects.status.title.{status}", year=year)
    if not group:
        text = ctx.t("projects.status.none", year=year)
        return [ctx.reply(text, title=title, buttons=(_status_buttons(ctx, status),))]
    parts = [ctx.t(f"projects.status.intro.{status}", year=year, count=len(group))]
    parts.extend(_capped(numbered([title_of(ctx, p) for p in group[: _MAX_LINES + 1]]), len(group)))
    if status == "closing":
        note = _conclusions_note(ctx, plan)
        if note:
            parts += ["", note]
    ctx.turn.listed_items([p.slug for p in group[:_MAX_LINES]])
    buttons = (*_item_buttons(ctx, group), _status_buttons(ctx, status))
    return [ctx.reply("\n".join(parts), title=title, buttons=buttons)]


def topic_reply(ctx: Context, reading: Reading, year: int) -> list[Reply]:
    """The pilot projects of the plan of ``year`` of a theme or topic (and maybe a status)."""
    plan = ctx.content.plan(year)
    theme = ctx.content.resolve(reading.theme, year) if reading.theme else None
    said = as_written(reading.text, reading.subject.split()) if reading.text else reading.subject
    shown = (title_of(ctx, theme) if theme else said)[:40]
    found = select_projects(plan, status=reading.status, theme=reading.theme, topic=reading.subject)
    if not found:
        ctx.turn.listed = ()
        text = ctx.t("projects.topic.none", year=year, topic=shown)
        replies = [ctx.reply(text, buttons=(_status_buttons(ctx, "all"),))]
        more = status_reply(ctx, reading.status, year) if reading.status else all_reply(ctx, year)
        return replies + more
    if len(found) == 1 and not reading.status:
        ctx.turn.shown(found[0].slug)
        ctx.turn.listed = (found[0].slug,)
        intro = ctx.reply(ctx.t("projects.topic.one", year=year, topic=shown))
        return [intro, item_card(ctx, found[0])]
    parts = [ctx.t("projects.topic.intro", year=year, topic=shown, count=len(found))]
    lines = [
        f"{title_of(ctx, p)} — {ctx.t(f'about.status.{p.status}', year=year)}"
        for p in found[: _MAX_LINES + 1]
    ]
    parts.extend(_capped(numbered(lines), len(found)))
    ctx.turn.listed_items([p.slug for p in found[:_MAX_LINES]])
    buttons = (*_item_buttons(ctx, found), _status_buttons(ctx, "all"))
    title = ctx.t("projects.topic.title", topic=shown)
    return [ctx.reply("\n".join(parts), title=title, buttons=buttons)]


async def projects(ctx: Context, reading: Reading) -> list[Reply]:
    """The projects asked about: by theme or topic, by status, or all of them (of the plan in
    force, or of the year asked about)."""
    year = asked_year(ctx, reading.period)
    if reading.detail == "conclusions":
        event = _conclusions_event(ctx.content.plan(year))
        if event is not None:
            ctx.turn.shown(event.slug)
            return [item_card(ctx, event)]
    if reading.theme or reading.subject:
        return topic_reply(ctx, reading, year)
    if reading.status in STATUSES:
        return status_reply(ctx, reading.status, year)
    return all_reply(ctx, year)


HANDLERS = {"projects": projects}
