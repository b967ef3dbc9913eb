"""One item of the plan as the bot answers with it (staff edits applied), and a name match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.db.models import Item
from content.schema import plain_slug

__all__ = ["ContentItem", "Match"]


@dataclass(frozen=True, slots=True)
class ContentItem:
    """One item of the plan, with staff edits applied."""

    slug: str
    kind: str
    section: str
    precision: str
    start: date | None
    end: date | None
    status: str
    themes: tuple[str, ...]
    title: dict[str, str]
    description: dict[str, str]
    organiser: str | None = None
    place: str | None = None
    link: str | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    sequence: int = 0
    order: int = 0
    # The year of the plan that holds the item (0 until the index knows it: see ContentIndex).
    year: int = 0

    @property
    def plain_slug(self) -> str:
        """The slug as the plan's files write it (``statutory`` for ``statutory@2020``)."""
        return plain_slug(self.slug)

    @property
    def dated(self) -> bool:
        """Whether the item has a date (day, month, period or year)."""
        return self.start is not None

    def still_to_come(self, today: date) -> bool:
        """Whether this dated item (start and end set) is not over yet on ``today``.

        An item dated only by a year counts once that year has not begun: "some time in
        2019" says nothing about what comes next within 2019.
        """
        assert self.start is not None and self.end is not None
        return self.end >= today and not (self.precision == "year" and self.start <= today)

    def overlaps(self, start: date, end: date) -> bool:
        """Whether this dated item (start and end set) overlaps ``[start, end]``; an item
        dated only by a year only when the period is itself a year or longer (it says
        nothing about a given month)."""
        assert self.start is not None and self.end is not None
        return (
            self.start <= end
            and self.end >= start
            and (self.precision != "year" or (end - start).days >= 300)
        )

    @classmethod
    def from_row(cls, row: Item, order: int = 0, year: int = 0) -> ContentItem:
        """Build from a database row, applying the staff overrides (``year`` when the row
        does not say its plan's year)."""
        data: dict[str, Any] = dict(row.data or {})
        over: dict[str, Any] = dict(row.overrides or {})
        start, end, precision = row.date_start, row.date_end, row.precision
        if over.get("date"):
            start = end = date.fromisoformat(over["date"])
            precision = "day"
        return cls(
            slug=row.slug,
            kind=row.kind,
            section=row.section,
            precision=precision,
            start=start,
            end=end,
            status=over.get("status") or row.status,
            themes=tuple(row.themes or ()),
            title=data.get("title", {}),
            description=data.get("description", {}),
            organiser=data.get("organiser"),
            place=over.get("place", data.get("place")),
            link=over.get("link", data.get("link")),
            aliases=tuple(data.get("aliases") or ()),
            keywords=tuple(data.get("keywords") or ()),
            lists=tuple(data.get("lists") or ()),
            sequence=row.sequence,
            order=order,
            year=row.plan_year or year,
        )


@dataclass(frozen=True, slots=True)
class Match:
    """An item found by name, with how well it matched (0..1)."""

    item: ContentItem
    score: float
