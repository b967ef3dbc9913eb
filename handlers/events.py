"""What's next, and what happens in a period: "/next", "próximos eventos", "quoi de prévu en
juin ?", "eventos de noviembre", "/events 2019-07", "what's next in June", "cet hiver", "the
full 2019 calendar".

Events and dated actions both count, of every plan year: what's next runs on from this
year's plan into the next one. Replies name the plans' years and the period's year, so a past
plan is never mistaken for the future; a period of one plan's year offers the same period in
the other plans. Lists are numbered and paged; this module answers every "more" button
(``more:<list>:<argument>:<offset>``), the themes' and sections' too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.calendars import plan_url
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.periods import (
    Period,
    format_day,
    format_month,
    format_period,
    month_name,
    month_period,
    parse_code,
    year_period,
)
from bot.understanding.reading import Reading
from content.index import ContentIndex, ContentItem
from content.schema import plain_slug
from handlers.present.items import item_line
from handlers.present.lists import capped, fixed_button, more_action, page_reply
from handlers.present.overviews import overview
from handlers.present.period_buttons import navigation, other_plans
from handlers.present.years import asked_year, plan_text, years_of
from handlers.selection import dated_in_order

__all__ = ["HANDLERS", "next_reply", "period_reply"]


@dataclass(frozen=True, slots=True)
class _Lists:
    """The index's dated events and actions, sorted and sifted once for the answers here.

    Attributes:
        ordered: Those with a start and an end, in reply order.
        year_long: Those dated only by a year, chronologically.
        tbc: Those whose date is to be confirmed, events then actions.
        last: The latest plan's last few precisely dated ones (shown once it is over).
    """

    ordered: tuple[ContentItem, ...]
    year_long: tuple[ContentItem, ...]
    tbc: tuple[ContentItem, ...]
    last: tuple[ContentItem, ...]


def _lists(index: ContentIndex) -> _Lists:
    def build() -> _Lists:
        dated = index.dated()
        year = index.latest_year
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
    item = ctx.content.resolve(theme, ctx.plan_year) if theme else None
    return item.title[ctx.language] if item else None


def next_reply(ctx: Context, *, theme: str | None = None, offset: int = 0) -> list[Reply]:
    """What comes next from today, running on into the next plan; when every plan is over,
    says so and shows the latest plan's last items."""
    index = ctx.content
    today = ctx.today
    year = index.latest_year
    lang = ctx.language
    lists = _lists(index)
    dated_lines = _lines(ctx, lists)[0]
    tagged = plain_slug(theme) if theme else None
    picked = [
        (i, line)
        for i, line in zip(lists.ordered, dated_lines, strict=True)
        if i.still_to_come(today) and (not tagged or tagged in i.themes)
    ]
    coming = [y for y in index.years if y >= ctx.plan_year] or [year]
    title = plan_text(ctx, "events.next.title", years_of(i for i, _ in picked) or coming)
    by_month = (fixed_button(ctx, "events.button.by_month", "cmd:events"),)
    if not picked:
        theme_name = _theme_title(ctx, theme)
        if theme_name:
            text = plan_text(
                ctx,
                "events.next.none_theme",
                coming,
                theme=theme_name,
                today=format_day(today, lang),
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
        head = ctx.t("events.next.before", year=index.years[0])
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
        # Dates to be confirmed of the plans still to come (a past plan's are not news).
        tbc = [i for i in lists.tbc if i.year >= ctx.plan_year]
        if today <= index.last_day and tbc:
            foot_parts.append(ctx.t("events.next.tbc", names=_names(ctx, tbc)))
    reply = page_reply(
        ctx,
        title=title,
        lines=[line for _, line in picked],
        slugs=[i.slug for i, _ in picked],
        kind="nx",
        arg=theme or "",
        offset=offset,
        head=head,
        foot="\n".join(foot_parts),
        buttons=(by_month,),
    )
    return [reply]


def _years_touched(index: ContentIndex, period: Period) -> list[int]:
    return [y for y in index.years if period.start.year <= y <= period.end.year]


def period_reply(
    ctx: Context, period: Period, *, theme: str | None = None, offset: int = 0
) -> list[Reply]:
    """The events and dated actions of a period (of every plan), with buttons to the period
    before and after and to the same period in the other plans; a plan's whole year also
    gives the calendar link."""
    index = ctx.content
    lang = ctx.language
    lists = _lists(index)
    dated, bare = _lines(ctx, lists)
    month = period.precision == "month"
    tagged = plain_slug(theme) if theme else None
    found = [
        (
            i,
            bare[n] if month and i.precision == "month" and i.start == period.start else dated[n],
        )
        for n, i in enumerate(lists.ordered)
        if i.overlaps(period.start, period.end) and (not tagged or tagged in i.themes)
    ]
    picked = [(i.slug, line) for i, line in found]
    touched = _years_touched(index, period) or [asked_year(ctx, period)]
    label = format_period(period, lang)
    title = ctx.t("events.period.title", period=label)
    theme_name = _theme_title(ctx, theme)
    if theme_name:
        title += f" — {theme_name}"
    rows: list[tuple[Button, ...]] = []
    for row in (navigation(ctx, period), other_plans(ctx, period)):
        if row:
            rows.append(row)
    if not picked:
        ctx.turn.listed = ()
        if period.end < index.first_day or period.start > index.last_day:
            text = plan_text(
                ctx,
                "events.period.outside",
                index.years,
                period=label,
                first=format_month(index.first_day.year, 1, lang),
                last=format_month(index.last_day.year, index.last_day.month, lang),
            )
            if month:
                same = month_period(ctx.plan_year, period.start.month)
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
            text = plan_text(ctx, "events.period.none", touched, period=label)
        rows.append((fixed_button(ctx, "events.button.by_month", "cmd:events"),))
        return [ctx.reply(text, title=title, buttons=tuple(rows))]
    head = plan_text(ctx, "events.period.intro", years_of(i for i, _ in found))
    if period.end < ctx.today:
        head = ctx.t("events.period.past", today=format_day(ctx.today, lang)) + "\n" + head
    if period.precision == "year" and period.start.year in index.plans:
        # A plan's whole year: paged here, and whole in the member's own calendar app.
        url = plan_url(ctx.settings.public_base_url, lang, year=period.start.year)
        head += "\n" + ctx.t("events.period.calendar", url=url)
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


def overview_reply(ctx: Context, year: int | None = None) -> list[Reply]:
    """A plan month by month (the plan in force unless ``year`` is given): how many dated
    items each month has, a button per month, and a button per other plan."""
    index = ctx.content
    year = year or ctx.plan_year
    plan = index.plan(year)
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
    for item in plan.dated():
        if item.precision == "year" and item.start:
            yearly[item.start.year] = yearly.get(item.start.year, 0) + 1
    for y, count in sorted(yearly.items()):
        lines.append(ctx.t("events.overview.year_line", year=y, count=count))
    tbc = [i for k in ("event", "action") for i in plan.of_kind(k) if i.precision == "tbc"]
    if tbc:
        lines.append(ctx.t("events.overview.tbc_line", count=len(tbc)))
    rows = [tuple(buttons[n : n + 3]) for n in range(0, len(buttons), 3)]
    others = other_plans(ctx, year_period(year))
    if others:
        rows.append(others)
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
