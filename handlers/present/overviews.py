"""A theme or a section shown whole: what it is, and everything of its plan under it, as a
numbered list paged with "more" (``more:th:<slug>:<offset>``, ``more:se:<slug>:<offset>``).
A theme or section that recurs in other plans offers their overviews too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.context import Context
from bot.core.messages import Button, Reply
from content.index import ContentItem
from handlers.present.items import item_line, title_of
from handlers.present.lists import Lines, page_reply
from handlers.present.years import editions_rows

__all__ = ["LISTS", "overview", "section_reply", "theme_reply"]

# The plan's two lists of themes.
LISTS = ("global-positioning", "training")
_OVERVIEWS = ("section", "theme")


def _key(name: str) -> str:
    return name.replace("-", "_")


def _ordered(items: Sequence[ContentItem]) -> list[ContentItem]:
    # Dated events and actions first, in time order; then projects; then the rest.
    def key(item: ContentItem) -> tuple[int, date, int]:
        if item.start is not None and item.kind in ("event", "action"):
            rank = 0
        else:
            rank = 1 if item.kind == "pilot_project" else 2
        return (rank, item.start or date.max, item.order)

    return sorted(items, key=key)


def _line(ctx: Context, item: ContentItem) -> str:
    if item.kind == "pilot_project":
        return item_line(ctx, item, show_date=False, show_status=True)
    return item_line(ctx, item)


def theme_reply(ctx: Context, theme: ContentItem, offset: int = 0) -> Reply:
    """One theme: its lists, its description, and everything its plan tags with it."""
    year = theme.year
    plan = ctx.content.plan(year)
    head = [ctx.t("about.kind.theme", year=year)]
    names = [ctx.t(f"themes.list.name_{_key(n)}") for n in theme.lists if n in LISTS]
    if names:
        head.append(ctx.t("themes.theme.lists", lists=", ".join(names)))
    head += ["", theme.description[ctx.language]]
    sections = [s for s in plan.of_kind("section") if theme.plain_slug in s.themes]
    if sections:
        head.append(
            ctx.t("themes.theme.sections", names=", ".join(title_of(ctx, s) for s in sections))
        )
    related = plan.derived(
        ("overviews.theme", theme.slug),
        lambda: _ordered([i for i in plan.about_theme(theme.slug) if i.kind not in _OVERVIEWS]),
    )
    head.append("")
    if related:
        head.append(ctx.t("themes.theme.related", year=year, count=len(related)))
    else:
        head.append(ctx.t("themes.theme.none", year=year))
    buttons = [
        (
            Button(ctx.t("about.button.subscribe"), f"sub:{theme.slug}"),
            Button(ctx.t("themes.button.themes"), "cmd:themes"),
        ),
        *editions_rows(ctx, theme),
    ]
    lines = Lines(related, lambda i: _line(ctx, i))
    reply = page_reply(
        ctx,
        title=title_of(ctx, theme),
        head="\n".join(head),
        lines=lines,
        slugs=lines.slugs,
        kind="th",
        arg=theme.slug,
        offset=offset,
        buttons=buttons,
    )
    ctx.turn.focus = (theme.slug,)  # "follow it" means the theme, not its first item
    return reply


def section_reply(ctx: Context, section: ContentItem, offset: int = 0) -> Reply:
    """One section: its description, its main themes and its items (of its own plan)."""
    year = section.year
    plan = ctx.content.plan(year)
    head = [ctx.t("about.kind.section", year=year), "", section.description[ctx.language]]
    themes = [ctx.content.resolve(s, year) for s in section.themes]
    names = [title_of(ctx, t) for t in themes if t is not None]
    if names:
        head.append(ctx.t("themes.section.themes", names=", ".join(names)))
    members = plan.derived(
        ("overviews.section", section.slug),
        lambda: _ordered(
            [
                i
                for i in plan.items.values()
                if i.section == section.plain_slug and i.slug != section.slug and i.kind != "theme"
            ]
        ),
    )
    if members:
        head += ["", ctx.t("themes.section.items", count=len(members))]
    buttons: list[tuple[Button, ...]] = []
    if any(m.kind == "pilot_project" for m in members):
        buttons.append((Button(ctx.t("themes.button.projects"), "cmd:projects"),))
    buttons.append((Button(ctx.t("themes.button.sections"), "cmd:sections"),))
    buttons += editions_rows(ctx, section)
    lines = Lines(members, lambda i: _line(ctx, i))
    reply = page_reply(
        ctx,
        title=title_of(ctx, section),
        head="\n".join(head),
        lines=lines,
        slugs=lines.slugs,
        kind="se",
        arg=section.slug,
        offset=offset,
        buttons=buttons,
    )
    ctx.turn.focus = (section.slug,)
    return reply


def overview(ctx: Context, item: ContentItem, offset: int = 0) -> Reply:
    """The overview of a theme or a section."""
    if item.kind == "theme":
        return theme_reply(ctx, item, offset)
    return section_reply(ctx, item, offset)
