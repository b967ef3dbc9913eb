"""Themes and sections: "/themes", "temas", "thèmes de formation", "what about gender?",
"¿qué hay sobre movilidad?", "tout sur le climat", "/sections", "knowledge hub", "observatorio".

A theme shows its lists and everything of the plan tagged with it; a section shows its
description, its main themes and its items. Long lists continue with a "more" button
(``more:th:<slug>:<offset>``, ``more:se:<slug>:<offset>``, answered by handlers/events.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.core.text import fold, words
from content.index import ContentItem
from handlers.about import button_label, content_words, item_line, pick
from handlers.events import Lines, asks_for_dates, capped, page_reply

__all__ = ["ROUTES", "render_theme_or_section", "section_page", "theme_page"]

LISTS = ("global-positioning", "training")
_THEME_WORDS = frozenset(
    "theme themes tema temas thematique thematiques topic topics tematica tematicas sujets "
    "asuntos".split()
)
_SECTION_WORDS = frozenset(
    "section sections seccion secciones area areas apartado apartados partie parties chapter "
    "chapters capitulo capitulos overview resumen apercu sommaire summary".split()
)
_LIST_WORDS = {
    "training": frozenset(
        "training formacion formation capacitacion capacity capacidades capacites".split()
    ),
    "global-positioning": frozenset(
        "positioning posicionamiento positionnement global mondial".split()
    ),
}
_ALL_LIST_WORDS = _LIST_WORDS["training"] | _LIST_WORDS["global-positioning"]
_NAMING_WORDS = _THEME_WORDS | _SECTION_WORDS
_ELSEWHERE = frozenset(
    "subscribe suscribir suscribeme suscribirme abonner abonne unsubscribe desuscribir "
    "desabonner remind reminder recordatorio rappel".split()
)
# Lists that are not paged (theme lists, sections) stop here; the plan has 13 and 8.
_MAX_LINES = 20
_MAX_BUTTONS = 16
_FRAMING = re.compile(
    r"\b(?:what about|how about|anything (?:about|on)|everything (?:about|on)|all about|"
    r"que hay (?:sobre|de)|todo sobre|algo sobre|tout sur|quoi sur|qu en est il|"
    r"related to|relacionad[oa]s? con|lie(?:e?s?)? a|en lien avec|about|sobre|sur|et|y)\b"
)


# --- Understanding --------------------------------------------------------------------------


def _match(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    tokens = query.words
    if not tokens or len(tokens) > 40:
        return None
    found = query.word_set
    if found & _ELSEWHERE:
        return None
    theme_words = not found.isdisjoint(_THEME_WORDS)
    section_words = not found.isdisjoint(_SECTION_WORDS)
    if not theme_words and not section_words and asks_for_dates(query, ctx):
        return None  # "upcoming events about gender": a list of events, by theme
    today, year = ctx.today, ctx.content.year
    if theme_words or section_words:
        kept = content_words(query.args, today=today, year=year, also=_NAMING_WORDS)
        which = next((name for name, ws in _LIST_WORDS.items() if found & ws), None)
        named = [w for w in kept if w not in _ALL_LIST_WORDS] if theme_words else kept
        if named:
            chosen = pick(
                ctx,
                " ".join(named),
                kinds=("theme", "section"),
                threshold=0.5,
                prefer_sections=section_words and not theme_words,
            )
            if chosen is not None and chosen.item is not None:
                return {"slug": chosen.item.slug, "others": tuple(o.slug for o in chosen.others)}
        if theme_words:
            return {"overview": "themes", "list": which}
        return {"overview": "sections"}
    framed = _FRAMING.search(query.joined)
    subject = query.joined[framed.end() :].strip() if framed is not None else ""
    if subject:
        kept = content_words(subject, today=today, year=year)
    else:
        kept = content_words(query.args, today=today, year=year, also=_NAMING_WORDS)
    if not kept or (len(kept) > 3 and framed is None):
        return None
    chosen = pick(ctx, " ".join(kept), threshold=0.6)
    if chosen is not None and chosen.item is not None and chosen.item.kind in ("theme", "section"):
        return {"slug": chosen.item.slug, "others": tuple(o.slug for o in chosen.others)}
    return None


# --- Answers --------------------------------------------------------------------------------


def _title(ctx: Context, item: ContentItem) -> str:
    return item.title[ctx.language]


def _key(name: str) -> str:
    return name.replace("-", "_")


def themes_reply(ctx: Context, which: str | None = None) -> list[Reply]:
    """Both theme lists (or one), with a button per theme."""
    year = ctx.content.year
    themes = sorted(ctx.content.of_kind("theme"), key=lambda i: fold(_title(ctx, i)))
    lists = (which,) if which in LISTS else LISTS
    parts: list[str] = []
    if which not in LISTS:
        parts.append(ctx.t("themes.all.intro", year=year, count=len(themes)))
    for name in lists:
        members = [t for t in themes if name in t.lists]
        if not members:
            continue
        if parts:
            parts.append("")
        parts.append(ctx.t(f"themes.list.{_key(name)}", count=len(members)))
        parts.extend(_bullets([_title(ctx, t) for t in members]))
    both = [t for t in themes if all(name in t.lists for name in LISTS)]
    if both and which not in LISTS:
        names = capped([_title(ctx, t) for t in both], separator=", ")
        parts += ["", ctx.t("themes.all.both", names=names)]
    parts += ["", ctx.t("themes.all.hint")]
    shown = [t for t in themes if which not in LISTS or which in t.lists][:_MAX_BUTTONS]
    buttons = [Button(button_label(_title(ctx, t), 30), f"about:{t.slug}") for t in shown]
    rows = [tuple(buttons[n : n + 2]) for n in range(0, len(buttons), 2)]
    if which in LISTS:
        rows.append((Button(ctx.t("themes.button.themes"), "cmd:themes"),))
        title = ctx.t(f"themes.list.title_{_key(which or '')}", year=year)
    else:
        rows.append((Button(ctx.t("themes.button.sections"), "cmd:sections"),))
        title = ctx.t("themes.all.title", year=year)
    return [ctx.reply("\n".join(parts), title=title, buttons=tuple(rows))]


def sections_reply(ctx: Context) -> list[Reply]:
    """The sections of the plan, with how many items each holds and a button each."""
    year = ctx.content.year
    sections = sorted(ctx.content.of_kind("section"), key=lambda i: i.order)
    counts: dict[str, int] = {}
    for item in ctx.content.items.values():
        if item.kind not in ("section", "theme"):
            counts[item.section] = counts.get(item.section, 0) + 1
    lines = [ctx.t("themes.sections.intro", year=year, count=len(sections))]
    for section in sections[:_MAX_LINES]:
        lines.append(
            ctx.t(
                "themes.sections.line",
                title=_title(ctx, section),
                count=counts.get(section.slug, 0),
            )
        )
    if len(sections) > _MAX_LINES:
        lines.append(f"… (+{len(sections) - _MAX_LINES})")
    buttons = [
        Button(button_label(_title(ctx, s), 30), f"about:{s.slug}") for s in sections[:_MAX_BUTTONS]
    ]
    rows = [tuple(buttons[n : n + 2]) for n in range(0, len(buttons), 2)]
    rows.append((Button(ctx.t("themes.button.themes"), "cmd:themes"),))
    return [
        ctx.reply(
            "\n".join(lines), title=ctx.t("themes.sections.title", year=year), buttons=tuple(rows)
        )
    ]


def _bullets(names: Sequence[str]) -> list[str]:
    lines = [f"• {name}" for name in names[:_MAX_LINES]]
    if len(names) > _MAX_LINES:
        lines.append(f"… (+{len(names) - _MAX_LINES})")
    return lines


def _ordered(items: Sequence[ContentItem]) -> list[ContentItem]:
    # Dated events and actions first, in time order; then projects; then the rest.
    def key(item: ContentItem) -> tuple[int, date, int]:
        if item.start is not None and item.kind in ("event", "action"):
            rank = 0
        else:
            rank = 1 if item.kind == "pilot_project" else 2
        return (rank, item.start or date.max, item.order)

    return sorted(items, key=key)


def _members(ctx: Context, section: ContentItem) -> list[ContentItem]:
    return _ordered(
        [
            i
            for i in ctx.content.items.values()
            if i.section == section.slug and i.slug != section.slug and i.kind != "theme"
        ]
    )


def _related(ctx: Context, theme: ContentItem) -> list[ContentItem]:
    return _ordered(
        [i for i in ctx.content.about_theme(theme.slug) if i.kind not in ("section", "theme")]
    )


def _line(ctx: Context, item: ContentItem) -> str:
    if item.kind == "pilot_project":
        return item_line(ctx, item, show_date=False, show_status=True)
    return item_line(ctx, item)


def _page(
    ctx: Context,
    *,
    title: str,
    head: str,
    lines: Sequence[str],
    kind: str,
    slug: str,
    offset: int,
    buttons: Sequence[tuple[Button, ...]],
) -> Reply:
    return page_reply(
        ctx,
        title=title,
        lines=lines,
        kind=kind,
        arg=slug,
        offset=offset,
        head=head,
        buttons=buttons,
    )


def theme_reply(ctx: Context, theme: ContentItem, offset: int = 0) -> list[Reply]:
    """One theme: its lists, its description, and everything the plan tags with it."""
    year = ctx.content.year
    head = [ctx.t("about.kind.theme", year=year)]
    names = [ctx.t(f"themes.list.name_{_key(n)}") for n in theme.lists if n in LISTS]
    if names:
        head.append(ctx.t("themes.theme.lists", lists=", ".join(names)))
    head += ["", theme.description[ctx.language]]
    sections = [s for s in ctx.content.of_kind("section") if theme.slug in s.themes]
    if sections:
        head.append(
            ctx.t("themes.theme.sections", names=", ".join(_title(ctx, s) for s in sections))
        )
    related = _related(ctx, theme)
    head.append("")
    if related:
        head.append(ctx.t("themes.theme.related", year=year, count=len(related)))
    else:
        head.append(ctx.t("themes.theme.none", year=year))
    buttons = [
        (
            Button(ctx.t("about.button.subscribe"), f"sub:{theme.slug}"),
            Button(ctx.t("themes.button.themes"), "cmd:themes"),
        )
    ]
    lines = Lines(related, lambda i: _line(ctx, i))
    return [
        _page(
            ctx,
            title=_title(ctx, theme),
            head="\n".join(head),
            lines=lines,
            kind="th",
            slug=theme.slug,
            offset=offset,
            buttons=buttons,
        )
    ]


def section_reply(ctx: Context, section: ContentItem, offset: int = 0) -> list[Reply]:
    """One section: its description, its main themes and its items."""
    year = ctx.content.year
    head = [ctx.t("about.kind.section", year=year), "", section.description[ctx.language]]
    themes = [ctx.content.get(s) for s in section.themes]
    names = [_title(ctx, t) for t in themes if t is not None]
    if names:
        head.append(ctx.t("themes.section.themes", names=", ".join(names)))
    members = _members(ctx, section)
    if members:
        head += ["", ctx.t("themes.section.items", count=len(members))]
    buttons: list[tuple[Button, ...]] = []
    if any(m.kind == "pilot_project" for m in members):
        buttons.append((Button(ctx.t("themes.button.projects"), "cmd:projects"),))
    buttons.append((Button(ctx.t("themes.button.sections"), "cmd:sections"),))
    lines = Lines(members, lambda i: _line(ctx, i))
    return [
        _page(
            ctx,
            title=_title(ctx, section),
            head="\n".join(head),
            lines=lines,
            kind="se",
            slug=section.slug,
            offset=offset,
            buttons=buttons,
        )
    ]


def render_theme_or_section(ctx: Context, item: ContentItem) -> list[Reply]:
    """The overview of a theme or a section (used by "about" too)."""
    if item.kind == "theme":
        return theme_reply(ctx, item)
    return section_reply(ctx, item)


def theme_page(ctx: Context, slug: str, offset: int) -> list[Reply] | None:
    """A "more" button of a theme's list."""
    item = ctx.content.get(slug)
    if item is None or item.kind != "theme":
        return None
    return theme_reply(ctx, item, offset)


def section_page(ctx: Context, slug: str, offset: int) -> list[Reply] | None:
    """A "more" button of a section's list."""
    item = ctx.content.get(slug)
    if item is None or item.kind != "section":
        return None
    return section_reply(ctx, item, offset)


def _with_see_also(ctx: Context, replies: list[Reply], others: Sequence[str]) -> list[Reply]:
    extra = []
    for slug in others:
        other = ctx.content.get(slug)
        if other is not None:
            label = ctx.t("about.button.see_also", title=button_label(_title(ctx, other), 32))
            extra.append((Button(label, f"about:{slug}"),))
    if not extra or not replies:
        return replies
    first = replies[0]
    replies[0] = ctx.reply(first.text, title=first.title, buttons=first.buttons + tuple(extra))
    return replies


async def themes(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """/themes [list|theme], /sections, and the plain-word questions the matcher recognised."""
    command = args.get("command")
    if command is not None:
        raw = str(args.get("args", "")).strip()
        if command in ("sections", "secciones"):
            if raw:
                chosen = pick(ctx, raw, kinds=("section",), threshold=0.4)
                if chosen is not None and chosen.item is not None:
                    return section_reply(ctx, chosen.item)
            return sections_reply(ctx)
        if raw:
            found = frozenset(words(raw))
            which = next((n for n, ws in _LIST_WORDS.items() if found & ws), None)
            if which:
                return themes_reply(ctx, which)
            chosen = pick(ctx, raw, kinds=("theme", "section"), threshold=0.4)
            if chosen is not None and chosen.item is not None:
                return render_theme_or_section(ctx, chosen.item)
        return themes_reply(ctx)
    if args.get("slug"):
        item = ctx.content.get(str(args["slug"]))
        if item is not None:
            replies = render_theme_or_section(ctx, item)
            return _with_see_also(ctx, replies, args.get("others", ()))
    if args.get("overview") == "sections":
        return sections_reply(ctx)
    return themes_reply(ctx, args.get("list"))


ROUTES = [
    Route(
        "themes",
        themes,
        commands=("themes", "temas", "sections", "secciones"),
        matcher=_match,
        priority=25,
    ),
]
