"""Buttons that move a list of events to another period: the period before and after, and
the same period in the other plans' years."""

from __future__ import annotations

from functools import lru_cache

from bot.core.context import Context
from bot.core.messages import IN_PLACE, Button
from bot.core.periods import Period, format_period
from bot.i18n.catalog import Catalog

__all__ = ["navigation", "other_plans"]

_STEPS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def navigation(ctx: Context, period: Period) -> tuple[Button, ...]:
    """The period before and the period after, for a month, quarter, half or year."""
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


def other_plans(ctx: Context, period: Period) -> tuple[Button, ...]:
    """The same period in the other plans (the nearest two), for a period of one plan's
    year: "events in June" answers from the plan in force, June of the others is a button
    away."""
    year = period.start.year
    if period.precision not in _STEPS or period.end.year != year or year not in ctx.content.plans:
        return ()
    others = sorted((y for y in ctx.content.years if y != year), key=lambda y: abs(y - year))
    buttons = []
    for other in sorted(others[:2]):
        same = period.shifted(12 * (other - year))
        label = ctx.t("events.button.in_plan", period=format_period(same, ctx.language))
        buttons.append(Button(label, f"cmd:events {same.code()}"))
    return tuple(buttons)
