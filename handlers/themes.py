"""The plan's themes and sections: "/themes", "temas", "thèmes de formation", "/sections".
One theme or section ("what about gender?", "knowledge hub") is an item: handlers/about.py
shows its overview.
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


def _sorted_themes(ctx: Context) -> list[ContentItem]:
    # The themes in alphabetical order of the reader's language: sorted once per index.
    def build() -> list[ContentItem]:
        return sorted(ctx.content.of_kind("theme"), key=lambda i: fold(title_of(ctx, i)))

    return ctx.content.derived(("themes.sorted", ctx.language), build)


def themes_reply(ctx: Context, which: str | None = None) -> list[Reply]:
    """Both theme lists (or one), numbered, with a button per theme."""
    year = ctx.content.year
    themes = _sorted_themes(ctx)
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


def sections_reply(ctx: Context) -> list[Reply]:
    """The sections of the plan, numbered, with how many items each holds and a button each."""
    year = ctx.content.year
    sections = sorted(ctx.content.of_kind("section"), key=lambda i: i.order)
    counts: dict[str, int] = {}
    for item in ctx.content.items.values():
        if item.kind not in ("section", "theme"):
            counts[item.section] = counts.get(item.section, 0) + 1
    lines = [
        ctx.t("themes.sections.line", title=title_of(ctx, s), count=counts.get(s.slug, 0))
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
    return themes_reply(ctx, reading.detail if reading.detail in LISTS else None)


async def sections(ctx: Context, reading: Reading) -> list[Reply]:
    """The sections of the plan."""
    return sections_reply(ctx)


HANDLERS = {"themes": themes, "sections": sections}
