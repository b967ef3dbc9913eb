"""Reminders, digests and change notices across the change of year, on SQLite and PostgreSQL:
a subscription made under the 2019 plan carries on into the 2020 plan's items, and what is
due around 31 December is planned once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Delivery
from bot.i18n.catalog import Catalog
from scheduler.planner import Planner
from scheduler.render import Renderer
from scheduler.senders import DeliveryWorker, SendPolicy
from tests.scheduler.conftest import FakeSender, FakeTime, add_sub, add_user
from tests.years.conftest import two_plans_dir

MADRID = ZoneInfo("Europe/Madrid")
EARLY = datetime(2019, 5, 1, tzinfo=ZoneInfo("UTC"))


async def _setup(db: Database, tmp_path: Path) -> tuple[ContentStore, Settings]:
    content = two_plans_dir(tmp_path / "plan")
    settings = Settings(
        timezone="Europe/Madrid",
        default_language="en",
        content_dir=content,
        slack_staff_channel="C-STAFF",
    )
    store = ContentStore(db, content)
    await store.sync(force=True)
    return store, settings


async def _rows(db: Database) -> list[Delivery]:
    async with db.read() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def test_reminders_planned_across_31_december_fire_once(db: Database, tmp_path: Path) -> None:
    store, settings = await _setup(db, tmp_path)
    clock = FakeTime(datetime(2019, 12, 26, tzinfo=MADRID))
    planner = Planner(db, lambda: store.index, settings, clock.clock)
    fan = await add_user(db, "700")
    # Subscribed to a theme of the 2019 plan; the 2020 plan tags its January items with it.
    await add_sub(db, fan, "theme", "mobility", at=EARLY)

    at = datetime(2019, 12, 26, tzinfo=MADRID)
    await planner.tick(at)
    while at < datetime(2020, 1, 4, tzinfo=MADRID):
        at += timedelta(hours=5)
        await planner.tick(at)
    # A tick run again over the whole window (a crash, a second planner) adds nothing.
    again = await planner.due(datetime(2019, 12, 26, tzinfo=MADRID), at)
    assert await outbox.enqueue(db, again, now=at) == 0

    rows = await _rows(db)
    mine = [(r.kind, r.item_slug, r.occurrence) for r in rows if r.chat_id == "700"]
    assert sorted(mine, key=str) == sorted(
        [
            ("reminder", "test-january-workshop-2020", "2020-01-03/d7"),
            ("reminder", "test-january-workshop-2020", "2020-01-03/d1"),
            ("month", None, "2020-01"),
        ],
        key=str,
    )
    assert Counter(mine).most_common(1)[0][1] == 1
    (month,) = [r for r in rows if r.chat_id == "700" and r.kind == "month"]
    assert month.payload["slugs"] == ["test-january-webinar-2020"]
    assert month.next_attempt_at == datetime(2020, 1, 1, 9, tzinfo=MADRID)  # first working day
    staff = {(r.kind, r.occurrence): r for r in rows if r.chat_id == "C-STAFF"}
    assert set(staff["staff_month", "2020-01"].payload["slugs"]) == {
        "test-january-webinar-2020",
        "test-january-workshop-2020",
    }

    # Sent on 2 January (the 7-day reminder's time is over: recorded, not sent).
    clock.set(datetime(2020, 1, 2, 9, 30, tzinfo=MADRID))
    sender = FakeSender()
    worker = DeliveryWorker(
        db,
        sender,
        Renderer(Catalog.load(), lambda: store.index, settings.timezone),
        clock.clock,
        SendPolicy(concurrency=1),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
    await worker.drain()
    texts = [r.text for r in sender.to("700")]
    assert len(texts) == 2, texts
    assert any("Synthetic January workshop 2020" in t and "tomorrow" in t for t in texts), texts


async def test_the_digest_of_the_last_week_of_december_lists_january(
    db: Database, tmp_path: Path
) -> None:
    store, settings = await _setup(db, tmp_path)
    planner = Planner(db, lambda: store.index, settings, FakeTime(EARLY).clock)
    reader = await add_user(db, "701")
    await add_sub(db, reader, "digest", at=EARLY)
    await planner.tick(datetime(2019, 12, 29, 12, tzinfo=MADRID))
    await planner.tick(datetime(2019, 12, 30, 9, 1, tzinfo=MADRID))  # a Monday
    (digest,) = [r for r in await _rows(db) if r.kind == "digest"]
    assert {"test-january-workshop-2020", "test-january-webinar-2020"} <= set(
        digest.payload["slugs"]
    )


async def test_a_change_to_next_years_item_reaches_a_subscription_of_this_year(
    db: Database, tmp_path: Path
) -> None:
    store, settings = await _setup(db, tmp_path)
    planner = Planner(db, lambda: store.index, settings, FakeTime(EARLY).clock)
    fan = await add_user(db, "702")
    await add_sub(db, fan, "theme", "mobility", at=EARLY)
    follower = await add_user(db, "703")
    await add_sub(db, follower, "item", "regional-secretariats-meeting", at=EARLY)
    events = store.directory / "2020" / "events.toml"
    events.write_text(events.read_text().replace('when = "2020-06"', 'when = "2020-06-20"'))
    statutory = store.directory / "2020" / "statutory.toml"
    statutory.write_text(statutory.read_text().replace('when = "2020-09"', 'when = "2020-10"'))
    result = await store.sync(force=True)
    assert result is not None
    changed = {c.slug: c.fields for c in result.changes}
    assert changed == {
        "test-june-forum-2020": ("when",),
        "regional-secretariats-meeting@2020": ("when",),
    }
    now = datetime(2019, 12, 20, 12, tzinfo=MADRID)
    assert await planner.plan_changes(result.changes, now=now) == 2
    told = {(r.chat_id, r.item_slug) for r in await _rows(db) if r.kind == "change"}
    assert told == {
        ("702", "test-june-forum-2020"),
        ("703", "regional-secretariats-meeting@2020"),
    }
