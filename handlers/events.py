"""What's next, and what happens in a period: "/next", "próximos eventos", "quoi de prévu en
juin ?", "eventos de noviembre", "/events 2019-07", "what's next in June", "next quarter".

Events and dated actions both count. Replies name the plan's year and the period's year, so
a past plan is never mistaken for the future. Long lists get a "more" button whose action is
``more:<list>:<argument>:<offset>`` (at most 64 bytes); this module answers every "more"
button, including those of the themes and sections lists.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, overload

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.periods import (
    Period,
    find_period,
    format_day,
    format_month,
    format_period,
    month_name,
    month_period,
    parse_code,
)
from bot.core.router import Query, Route
from bot.i18n.catalog import Catalog
from content.index import ContentIndex, ContentItem
from handlers.about import NEUTRAL, item_line, pick

__all__ = ["PAGE", "ROUTES", "Lines", "asks_for_dates", "capped", "more_action", "page_reply"]

PAGE = 10
# A list this much longer than a page is still shown whole: a "more" button for one or two
# lines costs the reader more than the lines.
_SLACK = 2

_EVENTISH = frozenset(
    """
    events event eventos evento evenements evenement agenda calendar calendario calendrier
    happening happens happen happened going on pasa pasara ocurre hay previsto prevista
    previstos previstas prevu prevue prevus prevues planned scheduled programado programados
    programme programmes activities actividades activites dates fechas passe lieu items
    elements elementos dated fechados dates
    """.split()
)
_NEXT_WORDS = frozenset(
    """
    next upcoming coming up proximos proximo proximas proxima proximamente siguiente
    siguientes viene vienen sigue prochains prochain prochaines prochaine prochainement venir
    suite soon pronto bientot future futuro futuros futur futurs nuevo neuf now ahora
    """.split()
)
_NEXT = re.compile(
    r"\b(?:next|upcoming|coming up|what s coming|what s on|whats on|proxim[oa]s?|proximamente|"
    r"que viene|lo que viene|que sigue|que se viene|a venir|quoi de prevu|quoi de neuf|"
    r"prochain(?:e?s?)|prochainement|soon|pronto|bientot)\b"
)
# Words that belong to other topics: leave those messages to them.
_OTHER_TOPICS = frozenset(
    """
    project projects proyecto proyectos projet projets pilot pilots piloto pilotos pilote
    pilotes theme themes tema temas thematique thematiques section sections seccion secciones
    subscribe suscribir suscribeme suscribirme abonner abonne subscription subscriptions
    suscripcion suscripciones abonnement abonnements unsubscribe remind reminder recordatorio
    rappel
    """.split()
)
_IGNORE = NEUTRAL | _EVENTISH | _NEXT_WORDS
_EVENT_NOUNS = frozenset(
    "events event eventos evento evenements evenement agenda calendario calendrier".split()
)
_NEXT_COMMANDS = frozenset({"next", "proximos", "prochains", "upcoming"})


# --- Pages of lists -------------------------------------------------------------------------


class Lines(Sequence[str]):
    """List lines written only when shown: a page of a long list costs one page."""

    def __init__(self, items: Sequence[ContentItem], line: Callable[[ContentItem], str]) -> None:
        self._items = items
        self._line = line

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._line(i) for i in self._items[index]]
        return self._line(self._items[index])


def capped(names: Sequence[str], limit: int = 5, separator: str = "; ") -> str:
    """Names joined, at most ``limit`` of them, then "… (+N)"."""
    shown = separator.join(names[:limit])
    return shown if len(names) <= limit else f"{shown}… (+{len(names) - limit})"


def more_action(kind: str, arg: str, offset: int) -> str | None:
    """The "more" button's action, or ``None`` if it would not fit in 64 bytes."""
    action = f"more:{kind}:{arg}:{offset}"
    return action if len(action.encode()) <= 64 else None


def page_reply(
    ctx: Context,
    *,
    title: str,
    lines: Sequence[str],
    kind: str,
    arg: str,
    offset: int = 0,
    head: str = "",
    foot: str = "",
    buttons: Sequence[tuple[Button, ...]] = (),
) -> Reply:
    """One page of a list: ``head`` (first page), up to :data:`PAGE` lines, ``foot`` (last
    page), and a "more" button when lines remain."""
    offset = max(0, min(offset, max(0, len(lines) - 1)))
    left = len(lines) - offset
    size = left if left <= PAGE + _SLACK else PAGE
    chunk = lines[offset : offset + size]
    remaining = left - len(chunk)
    body: list[str] = []
    if offset == 0 and head:
        body.append(head)
    body.extend(chunk)
    if remaining <= 0 and foot:
        body.append(foot)
    rows = list(buttons)
    if remaining > 0:
        action = more_action(kind, arg, offset + len(chunk))
        if action is not None:
            rows.insert(0, (Button(ctx.t("events.button.more", count=remaining), action),))
    if offset:
        title = ctx.t("events.more.title", title=title)
    return ctx.reply("\n".join(body), title=title, buttons=tuple(rows))


def _button(ctx: Context, key: str, action: str) -> Button:
    """A button whose label is the text ``key``, as is (no fields)."""
    return _fixed_button(ctx.catalog, ctx.language, key, action)


@lru_cache(maxsize=256)
def _fixed_button(catalog: Catalog, language: str, key: str, action: str) -> Button:
    # Buttons are immutable and these never change: one of each per language.
    return Button(catalog.get(key, language), action)


# --- Understanding --------------------------------------------------------------------------


def asks_for_dates(query: Query, ctx: Context) -> bool:
    """Whether the message is about dates: "upcoming", "events", or a period named in it.

    Other topics leave such messages to this one ("upcoming events about gender" is a list of
    events, filtered by a theme)."""
    if query.word_set & _EVENT_NOUNS or _NEXT.search(query.joined):
        return True
    return find_period(query.args, today=ctx.today, year=ctx.content.year) is not None


def _match(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    tokens = query.words
    if not tokens or len(tokens) > 40:
        return None
    joined = query.joined
    is_next = bool(_NEXT.search(joined))
    eventish = bool(query.word_set & _EVENTISH)
    found = find_period(query.args, today=ctx.today, year=ctx.content.year)
    if found is None and not is_next and not eventish:
        return None
    rest = found.rest if found else tuple(tokens)
    leftover = [w for w in rest if w not in _IGNORE]
    if _OTHER_TOPICS.intersection(leftover):
        return None
    theme = None
    if leftover:
        chosen = pick(ctx, " ".join(leftover), threshold=0.6)
        if chosen is not None:
            if chosen.item is not None and chosen.item.kind == "theme":
                theme = chosen.item.slug
            else:
                return None  # it names an item: "about" answers
        elif found is None and not is_next:
            return None  # "hay" or "on" among unknown words is no question about dates
    if found is not None:
        return {"period": found.period, "theme": theme}
    return {"next": True, "theme": theme}


# --- Answers --------------------------------------------------------------------------------


def _sort_key(item: ContentItem) -> tuple[bool, date, date, int]:
    # Items with a precise date first, in order; year-long ones after them.
    return (item.precision == "year", item.start or date.max, item.end or date.max, item.order)


def _sorted(items: Sequence[ContentItem]) -> list[ContentItem]:
    return sorted(items, key=_sort_key)


def _names(ctx: Context, items: Sequence[ContentItem]) -> str:
    return capped([i.title[ctx.language] for i in items])


@dataclass(frozen=True, slots=True)
class _Lists:
    """The index's dated events and actions, sorted and sifted once for the answers here.

    Attributes:
        ordered: Those with a start and an end, in reply order (:func:`_sorted`).
        year_long: Those dated only by a year, chronologically.
        tbc: Those whose date is to be confirmed, events then actions.
        last: The plan year's last few precisely dated ones (shown once the plan is over).
    """

    ordered: tuple[ContentItem, ...]
    year_long: tuple[ContentItem, ...]
    tbc: tuple[ContentItem, ...]
    last: tuple[ContentItem, ...]


def _lists(index: ContentIndex) -> _Lists:
    def build() -> _Lists:
        dated = index.dated()
        year = index.year
        last = [i for i in dated if i.start and i.start.year == year and i.precision != "year"]
        last.sort(key=lambda i: (i.end or date.min, i.start or date.min, i.order))
        return _Lists(
            ordered=tuple(_sorted([i for i in dated if i.start is not None and i.end is not None])),
            year_long=tuple(i for i in dated if i.precision == "year" and i.start and i.end),
            tbc=tuple(
                i for k in ("event", "action") for i in index.of_kind(k) if i.precision == "tbc"
            ),
            last=tuple(last[-5:]),
        )

    return index.derived("events.lists", build)


def _lines(ctx: Context, lists: _Lists) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # The list line of each item of ``lists.ordered`` in the reader's language: with its date,
    # and without (for a month's own items, see item_line's ``within``).
    def build() -> tuple[tuple[str, ...], tuple[str, ...]]:
        dated = tuple(item_line(ctx, i) for i in lists.ordered)
        return dated, tuple(item_line(ctx, i, show_date=False) for i in lists.ordered)

    return ctx.content.derived(("events.lines", ctx.language, ctx.catalog), build)


def _upcoming(ctx: Context, lists: _Lists, today: date, theme: str | None) -> list[str]:
    # The lines of index.upcoming(today), filtered by theme, in reply order.
    return [
        line
        for i, line in zip(lists.ordered, _lines(ctx, lists)[0], strict=True)
        if i.still_to_come(today) and (not theme or theme in i.themes)
    ]


def _theme_title(ctx: Context, theme: str | None) -> str | None:
    item = ctx.content.get(theme) if theme else None
    return item.title[ctx.language] if item else None


def next_reply(ctx: Context, *, theme: str | None = None, offset: int = 0) -> list[Reply]:
    """What comes next from today; when the plan is over, says so and shows its last items."""
    index = ctx.content
    today = ctx.today
    year = index.year
    lang = ctx.language
    lists = _lists(index)
    items = _upcoming(ctx, lists, today, theme)
    title = ctx.t("events.next.title", year=year)
    by_month = (_button(ctx, "events.button.by_month", "cmd:events"),)
    if not items:
        theme_name = _theme_title(ctx, theme)
        if theme_name:
            text = ctx.t(
                "events.next.none_theme", theme=theme_name, year=year, today=format_day(today, lang)
            )
            about_theme = Button(
                ctx.t("about.button.see_also", title=theme_name[:32]), f"about:{theme}"
            )
            return [ctx.reply(text, title=title, buttons=((about_theme,), by_month))]
        lines = "\n".join(item_line(ctx, i) for i in lists.last)
        if today > index.last_day:
            end = index.last_day
            text = ctx.t(
                "events.over.body",
                today=format_day(today, lang),
                year=year,
                end=format_month(end.year, end.month, lang),
                lines=lines,
            )
            title = ctx.t("events.over.title", year=year)
        else:
            text = ctx.t(
                "events.over.nothing_left", today=format_day(today, lang), year=year, lines=lines
            )
        return [ctx.reply(text, title=title, buttons=(by_month,))]
    if today < index.first_day:
        head = ctx.t("events.next.before", year=year)
    else:
        head = ctx.t("events.next.intro", today=format_day(today, lang))
    theme_name = _theme_title(ctx, theme)
    if theme_name:
        head += "\n" + ctx.t("events.next.theme", theme=theme_name)
    foot_parts = []
    if not theme:
        running = [i for i in lists.year_long if i.start <= today <= i.end]  # type: ignore[operator]
        if running:
            foot_parts.append(
                ctx.t("events.next.undated", year=today.year, names=_names(ctx, running))
            )
        if today <= index.last_day and lists.tbc:
            foot_parts.append(ctx.t("events.next.tbc", names=_names(ctx, lists.tbc)))
    reply = page_reply(
        ctx,
        title=title,
        lines=items,
        kind="nx",
        arg=theme or "",
        offset=offset,
        head=head,
        foot="\n".join(foot_parts),
        buttons=(by_month,),
    )
    return [reply]


_STEPS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def _navigation(ctx: Context, period: Period) -> tuple[Button, ...]:
    if period.precision not in _STEPS:
        return ()
    return _navigation_buttons(ctx.catalog, ctx.language, period)


@lru_cache(maxsize=512)
def _navigation_buttons(catalog: Catalog, language: str, period: Period) -> tuple[Button, ...]:
    # The same two buttons for everyone who asks about a period: its dates decide them.
    steps = _STEPS[period.precision]
    before, after = period.shifted(-steps), period.shifted(steps)
    return (
        Button(
            catalog.get("events.button.previous", language, label=format_period(before, language)),
            f"cmd:events {before.code()}",
        ),
        Button(
            catalog.get("events.button.following", language, label=format_period(after, language)),
            f"cmd:events {after.code()}",
        ),
    )


def _between(ctx: Context, lists: _Lists, period: Period, theme: str | None) -> list[str]:
    # The lines of index.between(period), filtered by theme, in reply order; a month's own
    # items without their date (item_line's ``within``).
    start, end = period.start, period.end
    month = period.precision == "month"
    dated, bare = _lines(ctx, lists)
    return [
        bare[n] if month and i.precision == "month" and i.start == start else dated[n]
        for n, i in enumerate(lists.ordered)
        if i.overlaps(start, end) and (not theme or theme in i.themes)
    ]


def period_reply(
    ctx: Context, period: Period, *, theme: str | None = None, offset: int = 0
) -> list[Reply]:
    """The events and dated actions of a period, with buttons to the period before and after."""
    index = ctx.content
    year = index.year
    lang = ctx.language
    items = _between(ctx, _lists(index), period, theme)
    label = format_period(period, lang)
    title = ctx.t("events.period.title", period=label)
    theme_name = _theme_title(ctx, theme)
    if theme_name:
        title += f" — {theme_name}"
    rows: list[tuple[Button, ...]] = []
    navigation = _navigation(ctx, period)
    if navigation:
        rows.append(navigation)
    if not items:
        if period.end < index.first_day or period.start > index.last_day:
            text = ctx.t(
                "events.period.outside",
                year=year,
                period=label,
                first=format_month(year, 1, lang),
                last=format_month(index.last_day.year, index.last_day.month, lang),
            )
            if period.precision == "month":
                same = month_period(year, period.start.month)
                rows.insert(
                    0,
                    (
                        Button(
                            ctx.t("events.button.in_plan", period=format_period(same, lang)),
                            f"cmd:events {same.code()}",
                        ),
                    ),
                )
        else:
            text = ctx.t("events.period.none", year=year, period=label)
        rows.append((_button(ctx, "events.button.by_month", "cmd:events"),))
        return [ctx.reply(text, title=title, buttons=tuple(rows))]
    head = ctx.t("events.period.intro", year=year)
    if period.end < ctx.today:
        head = ctx.t("events.period.past", today=format_day(ctx.today, lang)) + "\n" + head
    arg = period.code()
    if theme and more_action("ev", f"{arg}|{theme}", 999):
        arg = f"{arg}|{theme}"
    return [
        page_reply(
            ctx,
            title=title,
            lines=items,
            kind="ev",
            arg=arg,
            offset=offset,
            head=head,
            buttons=rows,
        )
    ]


def overview_reply(ctx: Context) -> list[Reply]:
    """The plan month by month: how many dated items each month has, a button per month."""
    index = ctx.content
    year = index.year
    lang = ctx.language
    lines = []
    buttons = []
    for month in range(1, 13):
        period = month_period(year, month)
        count = len(index.between(period.start, period.end))
        if count:
            lines.append(
                ctx.t("events.overview.line", month=format_month(year, month, lang), count=count)
            )
            label = month_name(month, lang)
            buttons.append(Button(label[:1].upper() + label[1:], f"cmd:events {period.code()}"))
    yearly: dict[int, int] = {}
    for item in index.dated():
        if item.precision == "year" and item.start:
            yearly[item.start.year] = yearly.get(item.start.year, 0) + 1
    for y, count in sorted(yearly.items()):
        lines.append(ctx.t("events.overview.year_line", year=y, count=count))
    tbc = [i for k in ("event", "action") for i in index.of_kind(k) if i.precision == "tbc"]
    if tbc:
        lines.append(ctx.t("events.overview.tbc_line", count=len(tbc)))
    rows = tuple(tuple(buttons[n : n + 3]) for n in range(0, len(buttons), 3))
    return [
        ctx.reply(
            ctx.t("events.overview.body", lines="\n".join(lines)),
            title=ctx.t("events.overview.title", year=year),
            buttons=(*rows, (Button(ctx.t("help.button.next"), "cmd:next"),)),
        )
    ]


async def events(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """/next, /events [period], and the plain-word questions the matcher recognised."""
    theme = args.get("theme")
    command = args.get("command")
    if command is not None:
        raw = str(args.get("args", "")).strip()
        if not raw:
            if command in _NEXT_COMMANDS:
                return next_reply(ctx)
            return overview_reply(ctx)
        found = find_period(raw, today=ctx.today, year=ctx.content.year, lenient=True)
        if found is not None:
            return period_reply(ctx, found.period)
        chosen = pick(ctx, raw, kinds=("theme",), threshold=0.6)
        if chosen is not None and chosen.item is not None:
            return next_reply(ctx, theme=chosen.item.slug)
        reply = ctx.reply(
            ctx.t("events.period.unknown", text=raw[:60]),
            buttons=((Button(ctx.t("events.button.by_month"), "cmd:events"),),),
        )
        return [reply]
    period = args.get("period")
    if isinstance(period, Period):
        return period_reply(ctx, period, theme=theme)
    return next_reply(ctx, theme=theme)


# --- "More" buttons -------------------------------------------------------------------------


def _next_page(ctx: Context, arg: str, offset: int) -> list[Reply] | None:
    return next_reply(ctx, theme=arg or None, offset=offset)


def _period_page(ctx: Context, arg: str, offset: int) -> list[Reply] | None:
    code, _, theme = arg.partition("|")
    period = parse_code(code)
    if period is None:
        return None
    return period_reply(ctx, period, theme=theme or None, offset=offset)


_Pager = Callable[[Context, str, int], "list[Reply] | None"]
_PAGERS: dict[str, _Pager | str] = {
    "nx": _next_page,
    "ev": _period_page,
    "th": "handlers.themes:theme_page",
    "se": "handlers.themes:section_page",
}


async def more(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """A "more" button: the next page of the list it belongs to."""
    value = str(args.get("value", ""))
    kind, _, rest = value.partition(":")
    arg, _, offset_text = rest.rpartition(":")
    pager = _PAGERS.get(kind)
    replies = None
    if pager is not None and offset_text.isdigit():
        if isinstance(pager, str):
            module, _, name = pager.partition(":")
            pager = getattr(importlib.import_module(module), name)
        replies = pager(ctx, arg, int(offset_text))  # type: ignore[operator]
    return replies or [ctx.reply(ctx.t("events.more.gone"))]


ROUTES = [
    Route(
        "events",
        events,
        commands=(
            "events", "eventos", "evenements", "agenda",
            "next", "proximos", "prochains", "upcoming",
        ),
        matcher=_match,
        priority=30,
    ),
    Route("more", more, actions=("more",)),
]  # fmt: skip
