"""What's next, and what happens in a period: "/next", "próximos eventos", "quoi de prévu en
juin ?", "eventos de noviembre", "/events 2019-07", "what's next in June", "cet hiver", "the
full 2019 calendar".

Events and dated actions both count. Replies name the plan's year and the period's year, so a
past plan is never mistaken for the future. Lists are numbered and paged; this module answers
every "more" button (``more:<list>:<argument>:<offset>``), the themes' and sections' too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.calendars import plan_url
from bot.core.context import Context
from bot.core.messages import IN_PLACE, Button, Reply
from bot.core.periods import (
    Period,
    format_day,
    format_month,
    format_period,
    month_name,
    month_period,
    parse_code,
)
from bot.i18n.catalog import Catalog
from bot.understanding.reading import Reading
from content.index import ContentIndex, ContentItem
from handlers.present.items import item_line
from handlers.present.lists import capped, fixed_button, more_action, page_reply
from handlers.present.overviews import overview
from handlers.selection import dated_in_order

__all__ = ["HANDLERS", "next_reply", "period_reply"]


@dataclass(frozen=True, slots=True)
class _Lists:
    """The index's dated events and actions, sorted and sifted once for the answers here.

    Attributes:
        ordered: Those with a start and an end, in reply order.
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
            ordered=dated_in_order(index),
            year_long=tuple(i for i in dated if i.precision == "year" and i.start and i.end),
            tbc=tuple(
                i for k in ("event", "action") for i in index.of_kind(k) if i.precision == "tbc"
            ),
            last=tuple(last[-5:]),
        )

    return index.derived("events.lists", build)


def _lines(ctx: Context, lists: _Lists) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # The line of each item of ``lists.ordered`` in the reader's language: with its date, and
    # without (for a month's own items, see item_line's ``within``).
    def build() -> tuple[tuple[str, ...], tuple[str, ...]]:
        dated = tuple(item_line(ctx, i) for i in lists.ordered)
        return dated, tuple(item_line(ctx, i, show_date=False) for i in lists.ordered)

    return ctx.content.derived(("events.lines", ctx.language, ctx.catalog), build)


def _names(ctx: Context, items: tuple[ContentItem, ...] | list[ContentItem]) -> str:
    return capped([i.title[ctx.language] for i in items])


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
    dated_lines = _lines(ctx, lists)[0]
    picked = [
        (i.slug, line)
        for i, line in zip(lists.ordered, dated_lines, strict=True)
        if i.still_to_come(today) and (not theme or theme in i.themes)
    ]
    title = ctx.t("events.next.title", year=year)
    by_month = (fixed_button(ctx, "events.button.by_month", "cmd:events"),)
    if not picked:
        theme_name = _theme_title(ctx, theme)
        if theme_name:
            text = ctx.t(
                "events.next.none_theme", theme=theme_name, year=year, today=format_day(today, lang)
            )
            about_theme = Button(
                ctx.t("about.button.see_also", title=theme_name[:32]), f"about:{theme}"
            )
            return [ctx.reply(text, title=title, buttons=((about_theme,), by_month))]
        lines = "\n".join(f"• {item_line(ctx, i)}" for i in lists.last)
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
        lines=[line for _, line in picked],
        slugs=[slug for slug, _ in picked],
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
    # The same two buttons for everyone who asks about a period: its dates decide them. The
    # period before or after replaces the list they are under (IN_PLACE).
    steps = _STEPS[period.precision]
    before, after = period.shifted(-steps), period.shifted(steps)
    return (
        Button(
            catalog.get("events.button.previous", language, label=format_period(before, language)),
            f"{IN_PLACE}cmd:events {before.code()}",
        ),
        Button(
            catalog.get("events.button.following", language, label=format_period(after, language)),
            f"{IN_PLACE}cmd:events {after.code()}",
        ),
    )


def period_reply(
    ctx: Context, period: Period, *, theme: str | None = None, offset: int = 0
) -> list[Reply]:
    """The events and dated actions of a period, with buttons to the period before and after;
    the plan's whole year also gives the calendar link."""
    index = ctx.content
    year = index.year
    lang = ctx.language
    lists = _lists(index)
    dated, bare = _lines(ctx, lists)
    month = period.precision == "month"
    picked = [
        (
            i.slug,
            bare[n] if month and i.precision == "month" and i.start == period.start else dated[n],
        )
        for n, i in enumerate(lists.ordered)
        if i.overlaps(period.start, period.end) and (not theme or theme in i.themes)
    ]
    label = format_period(period, lang)
    title = ctx.t("events.period.title", period=label)
    theme_name = _theme_title(ctx, theme)
    if theme_name:
        title += f" — {theme_name}"
    rows: list[tuple[Button, ...]] = []
    navigation = _navigation(ctx, period)
    if navigation:
        rows.append(navigation)
    if not picked:
        ctx.turn.listed = ()
        if period.end < index.first_day or period.start > index.last_day:
            text = ctx.t(
                "events.period.outside",
                year=year,
                period=label,
                first=format_month(year, 1, lang),
                last=format_month(index.last_day.year, index.last_day.month, lang),
            )
            if month:
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
        rows.append((fixed_button(ctx, "events.button.by_month", "cmd:events"),))
        return [ctx.reply(text, title=title, buttons=tuple(rows))]
    head = ctx.t("events.period.intro", year=year)
    if period.end < ctx.today:
        head = ctx.t("events.period.past", today=format_day(ctx.today, lang)) + "\n" + head
    if period.precision == "year" and period.start.year == year:
        # The whole plan: paged here, and whole in the member's own calendar app.
        head += "\n" + ctx.t(
            "events.period.calendar", url=plan_url(ctx.settings.public_base_url, lang)
        )
    arg = period.code()
    if theme and more_action("ev", f"{arg}|{theme}", 999):
        arg = f"{arg}|{theme}"
    return [
        page_reply(
            ctx,
            title=title,
            lines=[line for _, line in picked],
            slugs=[slug for slug, _ in picked],
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


async def events(ctx: Context, reading: Reading) -> list[Reply]:
    """A period's events and actions, or what comes next (narrowed to a theme)."""
    if reading.detail == "unknown-period":
        ctx.turn.act = "unknown"
        reply = ctx.reply(
            ctx.t("events.period.unknown", text=reading.subject[:60]),
            buttons=((fixed_button(ctx, "events.button.by_month", "cmd:events"),),),
        )
        return [reply]
    if reading.period is not None:
        return period_reply(ctx, reading.period, theme=reading.theme)
    return next_reply(ctx, theme=reading.theme)


async def month_by_month(ctx: Context, reading: Reading) -> list[Reply]:
    """/events alone: the plan month by month."""
    return overview_reply(ctx)


# --- "More" buttons -------------------------------------------------------------------------


def _next_page(ctx: Context, arg: str, offset: int) -> list[Reply] | None:
    return next_reply(ctx, theme=arg or None, offset=offset)


def _period_page(ctx: Context, arg: str, offset: int) -> list[Reply] | None:
    code, _, theme = arg.partition("|")
    period = parse_code(code)
    if period is None:
        return None
    return period_reply(ctx, period, theme=theme or None, offset=offset)


def _overview_page(kind: str) -> Callable[[Context, str, int], list[Reply] | None]:
    def page(ctx: Context, slug: str, offset: int) -> list[Reply] | None:
        item = ctx.content.get(slug)
        if item is None or item.kind != kind:
            return None
        return [overview(ctx, item, offset)]

    return page


_PAGERS: dict[str, Callable[[Context, str, int], list[Reply] | None]] = {
    "nx": _next_page,
    "ev": _period_page,
    "th": _overview_page("theme"),
    "se": _overview_page("section"),
}


async def more(ctx: Context, reading: Reading) -> list[Reply]:
    """A "more" button: the next page of the list it belongs to."""
    kind, _, rest = reading.value.partition(":")
    arg, _, offset_text = rest.rpartition(":")
    pager = _PAGERS.get(kind)
    replies = None
    if pager is not None and offset_text.isdigit():
        replies = pager(ctx, arg, int(offset_text))
    return replies or [ctx.reply(ctx.t("events.more.gone"))]


HANDLERS = {"events": events, "overview": month_by_month, "more": more}
