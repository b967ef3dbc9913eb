"""The iCalendar feeds, built from the content and read back by two independent parsers."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.content_store import ContentStore
from bot.db.engine import Database
from bot.i18n.catalog import LANGUAGES, Catalog
from content.ical import event_uid, items_for_subscriptions, personal_feed, plan_feed
from tests.web.conftest import NOW, REAL_PLAN
from tests.web.ical_helpers import check_dates, expected_items, parse

TBC = {
    "es": "(fecha por confirmar)",
    "en": "(date to be confirmed)",
    "fr": "(date à confirmer)",
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_dated_item_once_with_its_dates_in_the_language(
    store: ContentStore, catalog: Catalog, language: str
) -> None:
    index = store.index
    cal, events = parse(plan_feed(index, language, catalog, NOW))

    expected = expected_items(index)
    assert {event_uid(i.slug) for i in expected} == set(events)
    for item in expected:
        event = events[event_uid(item.slug)]
        check_dates(item, event)
        assert item.title[language] in event.summary
        assert event.description.startswith(item.description[language])
        if item.precision == "month":
            assert event.summary.endswith(TBC[language])
        else:
            assert TBC[language] not in event.summary
    assert str(cal["X-WR-CALNAME"]) == catalog.get("calendar.feed.name", language, year=2019)
    # Items without a calendar date: year-only, tbc, undated; and no themes or sections.
    for slug in ("cal-year", "cal-tbc", "cal-undated", "mega", "water-management", "mobility"):
        assert event_uid(slug) not in events


async def test_the_kinds_of_date(store: ContentStore, catalog: Catalog) -> None:
    _, events = parse(plan_feed(store.index, "en", catalog, NOW))
    day = events["cal-day@metropolis-bot"]
    assert (str(day.start), str(day.end)) == ("2019-03-08", "2019-03-09")
    assert day.summary == "8 March campaign"
    assert day.status == "CONFIRMED"
    assert day.url == "https://www.metropolis.org/8m"
    assert day.location == "Barcelona"
    assert "Organiser: Metropolis" in day.description
    assert "Place: Barcelona" in day.description
    assert "https://www.metropolis.org/8m" in day.description
    assert "A campaign; with commas, and semicolons." in day.description

    month = events["women4climate-2019@metropolis-bot"]
    assert (str(month.start), str(month.end)) == ("2019-02-01", "2019-03-01")
    assert month.summary == "Women4Climate Conference 2019 (date to be confirmed)"
    assert month.status == "TENTATIVE"
    assert "Organiser: C40" in month.description

    period = events["cal-period@metropolis-bot"]
    assert (str(period.start), str(period.end)) == ("2019-02-01", "2019-04-01")
    assert period.summary == "Platform renaming"

    last = events["cal-new-year-eve@metropolis-bot"]
    assert (str(last.start), str(last.end)) == ("2019-12-31", "2020-01-01")


async def test_cancelled_and_postponed(store: ContentStore, catalog: Catalog) -> None:
    for language, cancelled, postponed in (
        ("en", "[Cancelled] Called-off summit", "[Postponed] Postponed forum"),
        ("es", "[Cancelado] Cumbre anulada", "[Aplazado] Foro aplazado"),
        ("fr", "[Annulé] Sommet annulé", "[Reporté] Forum reporté"),
    ):
        _, events = parse(plan_feed(store.index, language, catalog, NOW))
        gone = events["cal-cancelled@metropolis-bot"]
        assert gone.status == "CANCELLED"
        assert gone.summary == f"{cancelled} {TBC[language]}"
        later = events["cal-postponed@metropolis-bot"]
        assert later.status == "TENTATIVE"
        assert later.summary == postponed


async def test_events_rendered_once_carry_each_feeds_own_stamp(
    store: ContentStore, catalog: Catalog
) -> None:
    index = store.index
    first = plan_feed(index, "fr", catalog, NOW)  # renders the events, kept with the index
    later = NOW + timedelta(days=3, seconds=7)
    second = plan_feed(index, "fr", catalog, later)  # reuses them
    events = first.count(b"BEGIN:VEVENT")
    assert events > 3 and second.count(b"BEGIN:VEVENT") == events
    assert first.count(b"DTSTAMP:20190115T093000Z\r\n") == events
    assert second.count(b"DTSTAMP:20190118T093007Z\r\n") == events
    assert b"19700101" not in first + second
    assert second.replace(b"20190118T093007Z", b"20190115T093000Z") == first
    # Another language's events are its own.
    _, english = parse(plan_feed(index, "en", catalog, NOW))
    assert english["cal-day@metropolis-bot"].summary == "8 March campaign"


async def test_feed_properties(store: ContentStore, catalog: Catalog) -> None:
    body = plan_feed(store.index, "es", catalog, NOW)
    cal, _ = parse(body)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Metropolis//Work plan bot//EN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · Plan de trabajo 2019"
    assert b"DTSTAMP:20190115T093000Z\r\n" in body
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in body
    assert b"TRANSP:TRANSPARENT\r\n" in body
    # RFC 5545: lines of at most 75 octets, CRLF-terminated.
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
    assert b"\n" not in body.replace(b"\r\n", b"")


async def test_edited_item_keeps_its_uid_and_raises_its_sequence(
    store: ContentStore, plan_dir: Path, catalog: Catalog
) -> None:
    uid = "women4climate-2019@metropolis-bot"
    _, before = parse(plan_feed(store.index, "en", catalog, NOW))
    assert before[uid].sequence == 0

    # The day becomes known: same event, new dates.
    _edit(plan_dir / "items.toml", 'when = "2019-02"', 'when = "2019-02-20"')
    result = await store.sync()
    assert result is not None and [c.slug for c in result.changes] == ["women4climate-2019"]
    _, after = parse(plan_feed(store.index, "en", catalog, NOW))
    assert set(after) == set(before)
    assert after[uid].sequence == 1
    assert (str(after[uid].start), str(after[uid].end)) == ("2019-02-20", "2019-02-21")
    assert after[uid].summary == "Women4Climate Conference 2019"
    assert after[uid].status == "CONFIRMED"
    # Nothing else moved.
    for other in set(before) - {uid}:
        assert after[other] == before[other]

    # Then it is cancelled: still there, marked, sequence up again.
    _edit(
        plan_dir / "items.toml",
        'when = "2019-02-20"',
        'when = "2019-02-20"\nstatus = "cancelled"',
    )
    assert await store.sync() is not None
    _, cancelled = parse(plan_feed(store.index, "en", catalog, NOW))
    assert cancelled[uid].sequence == 2
    assert cancelled[uid].status == "CANCELLED"


async def test_reloading_unchanged_content_changes_nothing(
    store: ContentStore, catalog: Catalog
) -> None:
    first = plan_feed(store.index, "fr", catalog, NOW)
    await store.sync(force=True)
    assert plan_feed(store.index, "fr", catalog, NOW) == first


async def test_personal_selection(store: ContentStore, catalog: Catalog) -> None:
    index = store.index
    chosen = items_for_subscriptions(
        index,
        [
            ("item", "uclg-congress-2019"),
            ("item", "mega"),  # year-only: no calendar date
            ("item", "no-such-item"),
            ("theme", "mobility"),
            ("theme", "no-such-theme"),
            ("digest", "*"),
            ("item", "cal-day"),  # also under the theme: once only
        ],
    )
    assert [i.slug for i in chosen] == ["cal-day", "uclg-congress-2019", "cal-new-year-eve"]

    every_event = items_for_subscriptions(index, [("all_events", "*")])
    assert {i.slug for i in every_event} == {
        i.slug for i in expected_items(index) if i.kind == "event"
    }
    assert all(i.kind == "event" for i in every_event)

    body, count = personal_feed(index, [("theme", "mobility")], "fr", catalog, NOW)
    cal, events = parse(body)
    assert count == len(events) == 2
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · Mes suivis"
    assert events["cal-day@metropolis-bot"].summary == "Campagne du 8 mars"

    empty, count = personal_feed(index, [], "en", catalog, NOW)
    assert count == 0
    assert parse(empty)[1] == {}


@pytest.mark.skipif(
    not (REAL_PLAN / "2019" / "plan.toml").is_file(), reason="content/plan not there"
)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_real_2019_plan(
    tmp_path: Path, sqlite_db: Database, catalog: Catalog, language: str
) -> None:
    plan = tmp_path / "real-plan"
    shutil.copytree(REAL_PLAN, plan)
    content = ContentStore(sqlite_db, plan)
    await content.sync()
    index = content.index
    _, events = parse(plan_feed(index, language, catalog, NOW))
    expected = expected_items(index)
    assert len(expected) >= 15  # the 13 events of the events table, and dated actions
    assert {event_uid(i.slug) for i in expected} == set(events)
    for item in expected:
        event = events[event_uid(item.slug)]
        check_dates(item, event)
        assert event.summary.startswith(item.title[language]) or item.status in (
            "cancelled",
            "postponed",
        )
    assert sum(1 for i in expected if i.kind == "event") == len(index.of_kind("event"))
