"""Reading feeds back with two independent parsers: ``icalendar`` and ``ics`` 0.7."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import ics
from icalendar import Calendar

from content.ical import FEED_PRECISIONS
from content.index import ContentIndex, ContentItem


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    start: date
    end: date  # exclusive, as in DTEND
    summary: str
    description: str
    status: str
    sequence: int
    url: str | None
    location: str | None


def parse(body: bytes | str) -> tuple[Calendar, dict[str, ParsedEvent]]:
    """Parse with ``icalendar`` and, independently, with ``ics``; both must agree.

    Returns the icalendar calendar and its events by UID. Fails on a UID seen twice.
    """
    raw = body if isinstance(body, bytes) else body.encode()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n"), raw[:40]
    assert raw.endswith(b"END:VCALENDAR\r\n")
    cal = Calendar.from_ical(raw)
    events: dict[str, ParsedEvent] = {}
    for component in cal.walk("VEVENT"):
        uid = str(component["UID"])
        assert uid not in events, f"UID {uid} twice"
        start = component.decoded("DTSTART")
        end = component.decoded("DTEND")
        # All-day: DATE values, not DATE-TIME.
        assert type(start) is date and type(end) is date, (uid, start, end)
        assert component.get("DTSTAMP") is not None, uid
        events[uid] = ParsedEvent(
            uid=uid,
            start=start,
            end=end,
            summary=str(component["SUMMARY"]),
            description=str(component.get("DESCRIPTION", "")),
            status=str(component.get("STATUS", "")),
            sequence=int(component.get("SEQUENCE", 0)),
            url=str(component["URL"]) if "URL" in component else None,
            location=str(component["LOCATION"]) if "LOCATION" in component else None,
        )
    _agree_with_ics(raw.decode("utf-8"), events)
    return cal, events


def _agree_with_ics(text: str, events: dict[str, ParsedEvent]) -> None:
    other = ics.Calendar(text)
    by_uid = {e.uid: e for e in other.events}
    assert len(by_uid) == len(other.events) == len(events)
    for uid, mine in events.items():
        theirs = by_uid[uid]
        assert theirs.all_day, uid
        assert theirs.begin.date() == mine.start, uid
        assert theirs.end.date() == mine.end, uid
        assert theirs.name == mine.summary, uid
        assert (theirs.description or "") == mine.description, uid
        assert (theirs.status or "") == mine.status, uid
        assert theirs.url == mine.url, uid
        assert theirs.location == mine.location, uid


def expected_items(index: ContentIndex) -> list[ContentItem]:
    """The items that should be in the whole plan's feed."""
    return [i for i in index.items.values() if i.start and i.precision in FEED_PRECISIONS]


def check_dates(item: ContentItem, event: ParsedEvent) -> None:
    """The event spans the item's dates (DTEND the day after the last day)."""
    assert item.start is not None and item.end is not None
    assert event.start == item.start, item.slug
    assert event.end == item.end + timedelta(days=1), item.slug
