"""Which plan a question is about, and how replies name plan years ("2019", "2019 and 2020").

A question without a year is about the plan in force (:attr:`Context.plan_year`); a period
within one plan's year ("in 2019", "June 2020") is about that plan. Replies always name the
year of what they show; a list that reaches into the next plan names both.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.context import Context
from bot.core.messages import Button
from bot.core.periods import Period
from bot.i18n.dates import format_years
from content.index import ContentItem
from handlers.present.items import button_label, title_of

__all__ = [
    "asked_year",
    "editions_rows",
    "other_year_label",
    "plan_text",
    "years_of",
    "years_text",
]


def asked_year(ctx: Context, period: Period | None) -> int:
    """The plan a question is about: the one whose year holds its period, else the plan in
    force."""
    if period is not None and period.start.year == period.end.year:
        if period.start.year in ctx.content.plans:
            return period.start.year
    return ctx.plan_year


def years_of(items: Iterable[ContentItem]) -> list[int]:
    """The plan years of ``items``, oldest first."""
    return sorted({item.year for item in items})


def years_text(language: str, years: Iterable[int]) -> str:
    """Years said as a list in ``language``: "2019 y 2020", "2019 and 2020", "2019 et 2020"."""
    return format_years(years, language)


def plan_text(ctx: Context, key: str, years: Iterable[int], /, **fields: object) -> str:
    """The text ``key`` naming one plan year (``{year}``), or ``key`` + ``_years`` naming
    several (``{years}``: "the 2019 and 2020 work plans")."""
    found = sorted(set(years)) or [ctx.plan_year]
    if len(found) == 1:
        return ctx.t(key, year=found[0], **fields)
    return ctx.t(f"{key}_years", years=years_text(ctx.language, found), **fields)


def other_year_label(ctx: Context, item: ContentItem, title: str) -> str:
    """A button's label for the same thing in another plan: "Statutory meetings (2019 plan)"."""
    return ctx.t("about.button.other_year", title=title, year=item.year)


def editions_rows(ctx: Context, item: ContentItem) -> list[tuple[Button, ...]]:
    """A row of buttons to the same slug in the other plans (a recurring theme, a section, a
    yearly meeting): the nearest two, oldest first; no row when it is in one plan only."""
    others = sorted(ctx.content.editions(item), key=lambda o: abs(o.year - item.year))[:2]
    if not others:
        return []
    row = []
    for other in sorted(others, key=lambda o: o.year):
        label = other_year_label(ctx, other, button_label(title_of(ctx, other), 32))
        row.append(Button(label, f"about:{other.slug}"))
    return [tuple(row)]
