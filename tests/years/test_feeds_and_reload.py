"""Calendar feeds hold every plan year (and a feed per year), and the staff /reload preview
shows a new year's plan as added items before it goes live."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import aiohttp

from bot.app import build_app
from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.ports import FixedClock
from bot.db.engine import Database
from bot.i18n.catalog import Catalog
from bot.web.calendar import CalendarFeeds
from bot.web.server import WebServer
from content.ical import personal_feed, plan_feed
from tests.conftest import PLAN_DIR, at, sqlite_url
from tests.web.ical_helpers import parse
from tests.years.conftest import PLAN_2020, two_plans_dir

NOW = datetime(2019, 12, 20, 9, tzinfo=UTC)


async def _store(tmp_path: Path) -> tuple[Database, ContentStore]:
    db = Database(sqlite_url(tmp_path / "feeds.db"))
    await db.create_all()
    store = ContentStore(db, two_plans_dir(tmp_path / "plan"))
    await store.sync(force=True)
    return db, store


async def test_the_plan_feed_holds_both_years_and_each_year_has_its_own(tmp_path: Path) -> None:
    db, store = await _store(tmp_path)
    catalog = Catalog.load()
    try:
        index = store.index
        cal, events = parse(plan_feed(index, "en", catalog, NOW))
        assert str(cal["X-WR-CALNAME"]) == "Metropolis · Work plans 2019 and 2020"
        assert "uclg-congress-2019@metropolis-bot" in events
        assert "test-june-summit-2020@metropolis-bot" in events
        # A slug an earlier plan uses too gets its year in the UID: both stay.
        assert "regional-secretariats-meeting.2020@metropolis-bot" in events

        cal_2020, only_2020 = parse(plan_feed(index, "fr", catalog, NOW, year=2020))
        assert str(cal_2020["X-WR-CALNAME"]) == "Metropolis · Plan de travail 2020"
        assert all(index.items[uid_slug(u)].year == 2020 for u in only_2020)
        assert "test-june-summit-2020@metropolis-bot" in only_2020

        body, count = personal_feed(index, [("theme", "mobility")], "en", catalog, NOW)
        _, mine = parse(body)
        assert "test-june-forum-2020@metropolis-bot" in mine and count == len(mine)
    finally:
        await db.dispose()


def uid_slug(uid: str) -> str:
    key = uid.removesuffix("@metropolis-bot")
    slug, _, year = key.rpartition(".")
    return f"{slug}@{year}" if year.isdigit() and slug else key


async def test_feeds_over_http_every_year_and_one_year(tmp_path: Path) -> None:
    db, store = await _store(tmp_path)
    server = WebServer(host="127.0.0.1", port=0)
    feeds = CalendarFeeds(
        db=db,
        content=store,
        catalog=Catalog.load(),
        clock=FixedClock(NOW),
        settings=Settings(default_language="en"),
        refresh_seconds=0,
    )
    feeds.mount(server)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{server.port}/calendar.ics"
            async with session.get(f"{base}?lang=es") as response:
                assert response.status == 200
                assert "metropolis-2019-2020-es.ics" in response.headers["Content-Disposition"]
                _, both = parse(await response.read())
            async with session.get(f"{base}?lang=es&year=2019") as response:
                assert response.status == 200
                assert "metropolis-2019-es.ics" in response.headers["Content-Disposition"]
                _, only = parse(await response.read())
            async with session.get(f"{base}?lang=es&year=2031") as response:
                assert response.status == 404
        assert set(only) < set(both)
        assert "test-june-summit-2020@metropolis-bot" not in only
    finally:
        await server.stop()
        await db.dispose()


async def test_reload_preview_lists_next_years_plan_before_it_goes_live(tmp_path: Path) -> None:
    content = tmp_path / "plan"
    shutil.copytree(PLAN_DIR / "2019", content / "2019")
    settings = Settings(
        database_url=sqlite_url(tmp_path / "reload.db"),
        content_dir=content,
        staff_telegram_ids=frozenset({"42"}),
    )
    from bot.core.messages import Incoming

    app = await build_app(settings, clock=FixedClock(at(date(2019, 12, 10))))
    try:

        async def send(text: str = "", action: str | None = None) -> str:
            (reply,) = await app.core.handle(
                Incoming("telegram", "42", "42", text=text, action=action, locale_hint="en")
            )
            return reply.text if not reply.buttons else reply.text + "\n" + str(reply.buttons)

        assert "nothing new" in await send("/reload")
        shutil.copytree(PLAN_2020, content / "2020")
        preview = await send("/reload")
        assert "board-meeting-2020" in preview and "statutory@2020" in preview
        assert "new work plan: 2020 (13 items)" in preview
        assert "plan in force on 1 January 2020" in preview
        # Not live yet: questions still know 2019 only.
        assert app.content.index.years == (2019,)
        (apply,) = [
            b.action
            for row in (await app.core.handle(
                Incoming("telegram", "42", "42", text="/reload", locale_hint="en")
            ))[0].buttons
            for b in row
        ]  # fmt: skip
        done = await send(action=apply)
        assert "Content reloaded: 13 changes" in done
        assert app.content.index.years == (2019, 2020)
    finally:
        await app.close()
