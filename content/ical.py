"""The work plan as iCalendar (RFC 5545) feeds: pure functions from the content index to bytes.

What goes in (see docs/calendars.md):

- day-precise items: an all-day event on that day;
- month-precise items: an all-day event spanning the month, titled "… (date to be confirmed)"
  in the feed's language;
- period items: an all-day event spanning the period;
- each event's description says the date in words, as the bot does in chat ("June 2019");
- year-precise items ("some time in 2019"), ``tbc`` and undated items: left out. A year-long
  all-day event would sit on every day of the year in a calendar app and say nothing about
  when; the bot answers about those items in chat instead.

The plan feed holds every plan year side by side (a plan's feed holds that year's only).
Each event keeps the UID ``<slug>@metropolis-bot`` for life (``<slug>.<year>@metropolis-bot``
for an item whose slug an earlier plan uses too), so calendar apps update it in place on the
next refresh, and carries the item's ``sequence`` (raised by the loader whenever
the item changes). Cancelled items stay in the feed with ``STATUS:CANCELLED`` so that apps
that already hold them can strike them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vText

from bot.i18n.catalog import LANGUAGES, Catalog
from bot.i18n.dates import format_when, format_years
from content.index import ContentIndex, ContentItem
from content.schema import YEAR_MARK

__all__ = [
    "FEED_PRECISIONS",
    "PRODID",
    "UID_DOMAIN",
    "event_uid",
    "feed_filename",
    "feed_items",
    "items_for_subscriptions",
    "personal_feed",
    "plan_feed",
    "render_calendar",
]

PRODID = "-//Metropolis//Work plan bot//EN"
UID_DOMAIN = "metropolis-bot"
# Precisions that become calendar events; "year", "tbc" and "none" do not (see above).
FEED_PRECISIONS = frozenset({"day", "month", "period"})
# How often calendar apps that honour these hints should refresh a subscribed feed.
REFRESH = timedelta(hours=6)


def event_uid(slug: str) -> str:
    """The UID of an item's event (from its key): stable across reloads, languages, feeds."""
    return f"{slug.replace(YEAR_MARK, '.')}@{UID_DOMAIN}"


def feed_items(items: Iterable[ContentItem]) -> list[ContentItem]:
    """The items among ``items`` that have a calendar date, chronologically, each once."""
    seen: set[str] = set()
    found = []
    for item in items:
        if item.slug in seen or item.start is None or item.end is None:
            continue
        if item.precision not in FEED_PRECISIONS:
            continue
        seen.add(item.slug)
        found.append(item)
    found.sort(key=lambda i: (i.start, i.end, i.order, i.slug))
    return found


def items_for_subscriptions(
    index: ContentIndex, subscriptions: Iterable[tuple[str, str]]
) -> list[ContentItem]:
    """The dated items a user's subscriptions cover.

    Args:
        index: The live content.
        subscriptions: ``(target_kind, target)`` pairs of the user's active subscriptions:
            ``("item", key)`` (the item, and the same slug in the other plans), ``("theme",
            slug)`` (the items of every plan tagged with that theme) or ``("all_events",
            "*")`` (every event). Other kinds (the weekly digest) add nothing.
    """
    chosen: list[ContentItem] = []
    for kind, target in subscriptions:
        if kind == "item":
            item = index.get(target)
            if item is not None:
                chosen.extend((item, *index.editions(item)))
        elif kind == "theme":
            chosen.extend(index.about_theme(target))
        elif kind == "all_events":
            chosen.extend(index.of_kind("event"))
    return feed_items(chosen)


def feed_filename(index: ContentIndex, what: str, year: int | None = None) -> str:
    """A feed's file name: ``metropolis-2019-2020-en.ics`` (``what``: a language, or
    ``my-calendar``), ``metropolis-2020-en.ics`` for one plan's feed."""
    years = (year,) if year is not None else index.years or (index.latest_year,)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return f"metropolis-{span}-{what}.ics"


def _named(catalog: Catalog, key: str, language: str, years: tuple[int, ...]) -> str:
    # One plan's year, or several ("work plans 2019 and 2020").
    if len(years) == 1:
        return catalog.get(key, language, year=years[0])
    return catalog.get(f"{key}_years", language, years=format_years(years, language))


def plan_feed(
    index: ContentIndex,
    language: str,
    catalog: Catalog,
    now: datetime,
    year: int | None = None,
) -> bytes:
    """The dated items of every plan (or of the plan of ``year``), in ``language``."""
    plan = index.plan(year) if year is not None else index
    years = plan.years or (index.latest_year,)
    return render_calendar(
        feed_items(plan.items.values()),
        language=language,
        catalog=catalog,
        now=now,
        name=_named(catalog, "calendar.feed.name", language, years),
        description=_named(catalog, "calendar.feed.description", language, years),
        rendered=_rendered(index, language, catalog),
    )


def personal_feed(
    index: ContentIndex,
    subscriptions: Iterable[tuple[str, str]],
    language: str,
    catalog: Catalog,
    now: datetime,
) -> tuple[bytes, int]:
    """A user's feed: only what their subscriptions cover; returns ``(ics, event count)``."""
    items = items_for_subscriptions(index, subscriptions)
    body = render_calendar(
        items,
        language=language,
        catalog=catalog,
        now=now,
        rendered=_rendered(index, language, catalog),
        name=catalog.get("calendar.feed.personal_name", language),
        description=_named(
            catalog,
            "calendar.feed.personal_description",
            language,
            tuple(sorted({i.year for i in items})) or index.years or (index.latest_year,),
        ),
    )
    return body, len(items)


def render_calendar(
    items: Sequence[ContentItem],
    *,
    language: str,
    catalog: Catalog,
    now: datetime,
    name: str,
    description: str,
    rendered: dict[str, bytes] | None = None,
) -> bytes:
    """A VCALENDAR holding one VEVENT per item (items without a calendar date are skipped).

    Args:
        now: The time the feed is generated, written as every event's DTSTAMP (timezone-aware).
        rendered: Events already rendered for these items' index, language and catalog, by
            slug (with a placeholder DTSTAMP); those missing are rendered and added.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    # Each event is rendered once per index and language (icalendar takes ~40 µs an event;
    # calendar apps poll the feeds): only its DTSTAMP, the time of this feed, is put in.
    rendered = {} if rendered is None else rendered
    events = []
    for item in feed_items(items):
        found = rendered.get(item.slug)
        if found is None:
            found = rendered[item.slug] = _event(item, language, catalog, _PLACEHOLDER).to_ical()
        events.append(found)
    head = cal.to_ical()
    assert head.endswith(_END)
    stamp_line = b"\r\nDTSTAMP:" + stamp.strftime("%Y%m%dT%H%M%SZ").encode() + b"\r\n"
    body = b"".join(events).replace(_PLACEHOLDER_LINE, stamp_line)
    return head[: -len(_END)] + body + _END


# Events are rendered with this DTSTAMP, replaced by the feed's own when it is put together.
_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"
_END = b"END:VCALENDAR\r\n"


def _rendered(index: ContentIndex, language: str, catalog: Catalog) -> dict[str, bytes]:
    # Kept with the index: a reload of the content renders its events afresh.
    return index.derived(("content.ical.events", language, catalog), dict)


def _event(item: ContentItem, language: str, catalog: Catalog, stamp: datetime) -> Event:
    assert item.start is not None and item.end is not None
    title = item.title.get(language) or item.title.get("en") or item.slug
    summary = title
    notes: list[str] = []
    if item.precision == "month":
        summary = catalog.get("calendar.event.tbc", language, title=summary)
        notes.append(catalog.get("calendar.event.month_note", language))
    elif item.precision == "period":
        notes.append(catalog.get("calendar.event.period_note", language))
    if item.status == "cancelled":
        summary = catalog.get("calendar.event.cancelled", language, title=summary)
        status = "CANCELLED"
    elif item.status == "postponed":
        summary = catalog.get("calendar.event.postponed", language, title=summary)
        notes.append(catalog.get("calendar.event.postponed_note", language))
        status = "TENTATIVE"
    else:
        # A month known but not the day is not a confirmed date.
        status = "CONFIRMED" if item.precision == "day" else "TENTATIVE"

    text = [item.description.get(language) or ""]
    if notes:
        text.append(" ".join(notes))
    # The date in words too, as the bot says it in chat and in reminders ("June 2019"): the
    # event's own dates are machine dates that calendar apps show in their own way.
    when = format_when(item.precision, item.start, item.end, language)
    details = [catalog.get("calendar.event.date", language, date=when)]
    if item.organiser:
        details.append(catalog.get("calendar.event.organiser", language, name=item.organiser))
    if item.place:
        details.append(catalog.get("calendar.event.place", language, place=item.place))
    if item.link:
        # Google Calendar shows no URL property: the link goes in the description too.
        details.append(catalog.get("calendar.event.link", language, link=item.link))
    text.append("\n".join(details))

    event = Event()
    event.add("uid", event_uid(item.slug))
    event.add("dtstamp", stamp)
    event.add("sequence", max(0, item.sequence))
    event.add("dtstart", item.start)
    # DTEND of an all-day event is exclusive: the day after the last day.
    event.add("dtend", item.end + timedelta(days=1))
    event.add("summary", vText(summary), parameters={"LANGUAGE": language})
    event.add(
        "description", vText("\n\n".join(t for t in text if t)), parameters={"LANGUAGE": language}
    )
    if item.place:
        event.add("location", item.place)
    if item.link:
        event.add("url", item.link, parameters={"VALUE": "URI"})
    event.add("status", status)
    # Informational entries: they do not make the member look busy.
    event.add("transp", "TRANSPARENT")
    return event
