"""Which items a question covers: the pilot projects of a status or theme, the dated events
and actions of a period. Lists, counts and subscriptions select the same way."""

from __future__ import annotations

from datetime import date

from bot.core.periods import Period
from content.index import ContentIndex, ContentItem
from content.schema import plain_slug

__all__ = ["dated_between", "dated_in_order", "projects"]


def _in_reply_order(item: ContentItem) -> tuple[bool, date, date, int]:
    # Items with a precise date first, in order; year-long ones after them.
    return (item.precision == "year", item.start or date.max, item.end or date.max, item.order)


def dated_in_order(index: ContentIndex) -> tuple[ContentItem, ...]:
    """The dated events and actions (start and end known), in the order lists show them."""

    def build() -> tuple[ContentItem, ...]:
        found = [i for i in index.dated() if i.start is not None and i.end is not None]
        return tuple(sorted(found, key=_in_reply_order))

    return index.derived("selection.dated", build)


def dated_between(
    index: ContentIndex, period: Period, theme: str | None = None
) -> list[ContentItem]:
    """The dated events and actions of ``period`` (narrowed to ``theme``, of any plan year),
    in reply order."""
    tagged = plain_slug(theme) if theme else None
    return [
        i
        for i in dated_in_order(index)
        if i.overlaps(period.start, period.end) and (not tagged or tagged in i.themes)
    ]


def projects(
    index: ContentIndex, *, status: str | None = None, theme: str | None = None, topic: str = ""
) -> list[ContentItem]:
    """The pilot projects of a status, a theme or a topic (a keyword, a word of their names),
    in the plan's order."""
    every = index.derived(
        "selection.projects",
        lambda: tuple(sorted(index.of_kind("pilot_project"), key=lambda i: i.order)),
    )
    found = list(every)
    if topic and not theme:
        found = index.with_keyword(topic, kinds=("pilot_project",))
    if theme:
        found = [p for p in found if plain_slug(theme) in p.themes]
    if status:
        found = [p for p in found if p.status == status]
    return found
