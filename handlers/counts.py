"""How many: "how many pilot projects close this year?", "¿cuántos eventos hay en octubre?",
"y a combien de thèmes ?" — the number first, then the list (numbered, so "the third one"
follows)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.periods import Period, format_period, year_period
from bot.understanding.reading import Reading
from content.index import ContentItem
from handlers.present.items import item_line, title_of
from handlers.present.lists import numbered
from handlers.present.years import asked_year
from handlers.selection import dated_between, projects

__all__ = ["HANDLERS"]

# Lines shown under the number: the rest is a question away ("and the others?").
_SHOWN = 12


async def count(ctx: Context, reading: Reading) -> list[Reply]:
    """The number first, then what it counts: of the plan in force, or of the year asked
    about; dated items of a period, of whichever plans it spans."""
    year = asked_year(ctx, reading.period)
    plan = ctx.content.plan(year)
    kind = reading.kind
    if kind == "pilot_project" or (kind is None and reading.status and not reading.period):
        found = projects(plan, status=reading.status, theme=reading.theme)
        what = ""
        if reading.status:
            what += ctx.t(f"answers.count.status.{reading.status}")
        if reading.theme:
            what += ctx.t("answers.count.theme", theme=_title(ctx, reading.theme, year))
        head = ctx.t("answers.count.projects", count=len(found), what=what, year=year)
        return _answer(ctx, head, found, year, project=True)
    if kind in ("theme", "section"):
        found = sorted(plan.of_kind(kind), key=lambda i: i.order)
        head = ctx.t(f"answers.count.{kind}s", count=len(found), year=year)
        return _answer(ctx, head, found, year)
    if kind is None and reading.theme and reading.period is None:
        found = [i for i in plan.about_theme(reading.theme) if i.kind not in ("theme", "section")]
        head = ctx.t(
            "answers.count.theme_items",
            count=len(found),
            year=year,
            theme=_title(ctx, reading.theme, year),
        )
        return _answer(ctx, head, found, year)
    period = reading.period or year_period(year)
    found = dated_between(ctx.content, period, reading.theme)
    return _dated(ctx, period, found, year)


def _dated(ctx: Context, period: Period, found: list[ContentItem], year: int) -> list[Reply]:
    events = sum(1 for i in found if i.kind == "event")
    head = ctx.t(
        "answers.count.dated",
        count=len(found),
        period=format_period(period, ctx.language),
        events=events,
        actions=len(found) - events,
    )
    return _answer(ctx, head, found, year)


def _answer(
    ctx: Context, head: str, found: list[ContentItem], year: int, *, project: bool = False
) -> list[Reply]:
    if not found:
        ctx.turn.listed = ()
        return [ctx.reply(ctx.t("answers.count.none", year=year))]
    lines = [item_line(ctx, i, show_date=not project) for i in found[:_SHOWN]]
    body = [head, *numbered(lines)]
    if len(found) > _SHOWN:
        body.append(f"… (+{len(found) - _SHOWN})")
    ctx.turn.listed_items([i.slug for i in found[:_SHOWN]])
    return [ctx.reply("\n".join(body), title=ctx.t("answers.count.title"))]


def _title(ctx: Context, slug: str, year: int) -> str:
    item = ctx.content.resolve(slug, year)
    return title_of(ctx, item) if item is not None else slug


HANDLERS = {"count": count}
