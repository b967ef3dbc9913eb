"""The plan's themes and sections: "/themes", "temas", "thèmes de formation", "/sections".
One theme or section ("what about gender?", "knowledge hub") is an item: handlers/about.py
shows its overview. They are those of the plan in force, or of the year asked about.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.text import fold
from bot.understanding.reading import Reading
from content.index import ContentItem
from handlers.present.items import button_label, title_of
from handlers.present.lists import capped, numbered
from handlers.present.overviews import LISTS
from handlers.present.years import asked_year

__all__ = ["HANDLERS"]

# Lists that are not paged (the plan has 13 themes and 8 sections) stop here.
_MAX_LINES = 20
_MAX_BUTTONS = 16


def _key(name: str) -> str:
    return name.replace("-", "_")


def _cut(lines: list[str], total: int) -> list[str]:
    if total <= _MAX_LINES:
        return lines
    return [*lines[:_MAX_LINES], f"… (+{total - _MAX_LINES})"]


def _sorted_themes(ctx: Context, year: int) -> list[ContentItem]:
    # A plan's themes in alphabetical order of the reader's language: sorted once per index.
    plan = ctx.content.plan(year)

    def build() -> list[ContentItem]:
        return sorted(plan.of_kind("theme"), key=lambda i: fold(title_of(ctx, i)))

    return plan.derived(("themes.sorted", ctx.language), build)


def themes_reply(ctx: Context, which: str | None = None, year: int | None = None) -> list[Reply]:
    """Both theme lists (or one) of the plan of ``year`` (the plan in force by default),
    numbered, with a button per theme."""
    year = year or ctx.plan_year
    themes = _sorted_themes(ctx, year)
    lists = (which,) if which in LISTS else LISTS
    parts: list[str] = []
    if which not in LISTS:
        parts.append(ctx.t("themes.all.intro", year=year, count=len(themes)))
    # A theme on both lists keeps its first number.
    numbers: dict[str, int] = {}
    for name in lists:
        members = [t for t in themes if name in t.lists]
        if not members:
            continue
        if parts:
            parts.append("")
        parts.append(ctx.t(f"themes.list.{_key(name)}", count=len(members)))
        lines = [
            f"{numbers.setdefault(t.slug, len(numbers) + 1)}. {title_of(ctx, t)}"
            for t in members[:_MAX_LINES]
        ]
        parts.extend(_cut(lines, len(members)))
    listed = list(numbers)
    both = [t for t in themes if all(name in t.lists for name in LISTS)]
    if both and which not in LISTS:
        names = capped([title_of(ctx, t) for t in both], separator=", ")
        parts += ["", ctx.t("themes.all.both", names=names)]
    parts += ["", ctx.t("themes.all.hint")]
    shown = [t for t in themes if which not in LISTS or which in t.lists][:_MAX_BUTTONS]
    buttons = [Button(button_label(title_of(ctx, t), 30), f"about:{t.slug}") for t in shown]
    rows = [tuple(buttons[n : n + 2]) for n in range(0, len(buttons), 2)]
    if which in LISTS:
        rows.append((Button(ctx.t("themes.button.themes"), "cmd:themes"),))
        title = ctx.t(f"themes.list.title_{_key(which or '')}", year=year)
    else:
        rows.append((Button(ctx.t("themes.button.sections"), "cmd:sections"),))
        title = ctx.t("themes.all.title", year=year)
    ctx.turn.listed_items(listed)
    return [ctx.reply("\n".join(parts), title=title, buttons=tuple(rows))]


def sections_reply(ctx: Context, year: int | None = None) -> list[Reply]:
    """The sections of the plan of ``year`` (the plan in force by default), numbered, with
    how many items each holds and a button each."""
    year = year or ctx.plan_year
    plan = ctx.content.plan(year)
    sections = sorted(plan.of_kind("section"), key=lambda i: i.order)
    counts: dict[str, int] = {}
    for item in plan.items.values():
        if item.kind not in ("section", "theme"):
            counts[item.section] = counts.get(item.section, 0) + 1
    lines = [
        ctx.t("themes.sections.line", title=title_of(ctx, s), count=counts.get(s.plain_slug, 0))
        for s in sections[:_MAX_LINES]
    ]
    body = [ctx.t("themes.sections.intro", year=year, count=len(sections))]
    body.extend(numbered([line.removeprefix("• ") for line in lines]))
    if len(sections) > _MAX_LINES:
        body.append(f"… (+{len(sections) - _MAX_LINES})")
    buttons = [
        Button(button_label(title_of(ctx, s), 30), f"about:{s.slug}")
        for s in sections[:_MAX_BUTTONS]
    ]
    rows = [tuple(buttons[n : n + 2]) for n in range(0, len(buttons), 2)]
    rows.append((Button(ctx.t("themes.button.themes"), "cmd:themes"),))
    ctx.turn.listed_items([s.slug for s in sections[:_MAX_LINES]])
    title = ctx.t("themes.sections.title", year=year)
    return [ctx.reply("\n".join(body), title=title, buttons=tuple(rows))]


async def themes(ctx: Context, reading: Reading) -> list[Reply]:
    """The themes (both lists, or the one named: training, global positioning)."""
    which = reading.detail if reading.detail in LISTS else None
    return themes_reply(ctx, which, asked_year(ctx, reading.period))


async def sections(ctx: Context, reading: Reading) -> list[Reply]:
    """The sections of the plan."""
    return sections_reply(ctx, asked_year(ctx, reading.period))


HANDLERS = {"themes": themes, "sections": sections}
