"""The planner: what falls due when, for whom, in which time zone; once."""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.content_store import ContentStore
from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Delivery
from bot.db.subscriptions import unsubscribe
from bot.i18n.catalog import Catalog
from scheduler.planner import Planner, first_working_day, send_days
from scheduler.render import Renderer
from scheduler.senders import DeliveryWorker, SendPolicy

from .conftest import MADRID, PLAN, UTC, FakeSender, add_sub, add_user

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
EARLY = datetime(2019, 5, 1, tzinfo=UTC)


async def _rows(db: Database, **where) -> list[Delivery]:
    async with db.read() as session:
        query = select(Delivery).order_by(Delivery.id)
        for name, value in where.items():
            query = query.where(getattr(Delivery, name) == value)
        return list((await session.scalars(query)).all())


def test_first_working_day_and_send_days():
    assert first_working_day(2019, 6).isoformat() == "2019-06-03"  # 1 June is a Saturday
    assert first_working_day(2019, 10).isoformat() == "2019-10-01"
    days = send_days(
        MADRID,
        datetime(2019, 6, 5, 6, 59, tzinfo=UTC),
        datetime(2019, 6, 6, 7, 0, tzinfo=UTC),
        9,
    )
    assert [d.isoformat() for d, _ in days] == ["2019-06-05", "2019-06-06"]


async def test_exact_date_item_reminded_7_and_1_days_before_at_9_local(db, planner, fake_time):
    user = await add_user(db, "100")
    await add_sub(db, user, "item", "ema-forum-2019", at=EARLY)
    # Just before 09:00 on 5 June (7 days before 12 June): nothing yet.
    await planner.tick(datetime(2019, 6, 5, 8, 59, tzinfo=MADRID))
    assert await _rows(db, platform="telegram") == []
    await planner.tick(datetime(2019, 6, 5, 9, 0, 30, tzinfo=MADRID))
    (row,) = await _rows(db, platform="telegram")
    assert (row.kind, row.item_slug, row.chat_id) == ("reminder", "ema-forum-2019", "100")
    assert row.next_attempt_at == datetime(2019, 6, 5, 9, tzinfo=MADRID)
    assert row.payload["days"] == 7 and row.payload["unsub"] == "unsub:ema-forum-2019"
    # Nothing else until the day before.
    await planner.tick(datetime(2019, 6, 10, 12, tzinfo=MADRID))
    assert len(await _rows(db, platform="telegram")) == 1
    await planner.tick(datetime(2019, 6, 11, 9, 1, tzinfo=MADRID))
    rows = await _rows(db, platform="telegram")
    assert [r.payload["days"] for r in rows] == [7, 1]
    # The day-7 reminder stays useful until the day-1 one is due.
    assert rows[0].expires_at == datetime(2019, 6, 11, 9, tzinfo=MADRID)
    assert rows[1].expires_at == datetime(2019, 6, 13, 0, tzinfo=MADRID)


async def test_month_only_items_on_the_first_working_day(db, planner):
    user = await add_user(db, "200", language="es")
    await add_sub(db, user, "all_events", at=EARLY)
    await planner.tick(datetime(2019, 9, 30, 12, tzinfo=MADRID))
    await planner.tick(datetime(2019, 10, 1, 9, 0, 10, tzinfo=MADRID))
    assert len(await _rows(db, platform="telegram")) == 1
    (row,) = await _rows(db, kind="month")
    assert row.payload["slugs"] == ["led-forum-2019"] and row.occurrence == "2019-10"
    assert row.payload["unsub"] == "unsub:all"
    # November: 1 November 2019 is a Friday.
    await planner.tick(datetime(2019, 11, 1, 9, 5, tzinfo=MADRID))
    rows = await _rows(db, kind="month")
    assert [r.payload["slugs"] for r in rows] == [["led-forum-2019"], ["smart-city-2019"]]


async def test_a_month_item_that_gets_a_date_gets_day_reminders(db, content, planner):
    user = await add_user(db, "201")
    await add_sub(db, user, "item", "smart-city-2019", at=EARLY)
    from bot.db.models import Item

    async with db.write() as session:
        item = await session.get(Item, "smart-city-2019")
        item.overrides = {"date": "2019-11-19"}
    await content.refresh()
    await planner.tick(datetime(2019, 11, 11, 23, tzinfo=MADRID))
    await planner.tick(datetime(2019, 11, 12, 9, 1, tzinfo=MADRID))
    rows = await _rows(db, platform="telegram")
    assert [(r.kind, r.occurrence) for r in rows] == [("reminder", "2019-11-19/d7")]


async def test_time_zones_across_daylight_saving_changes(db, planner):
    paris = await add_user(db, "300", timezone="Europe/Paris")
    new_york = await add_user(db, "301", timezone="America/New_York")
    for user in (paris, new_york):
        await add_sub(db, user, "item", "autumn-forum", at=EARLY)
        await add_sub(db, user, "item", "dst-summit", at=EARLY)
    rows = await planner.due(datetime(2019, 10, 20, tzinfo=UTC), datetime(2019, 11, 6, tzinfo=UTC))
    due = {
        (r.chat_id, r.item_slug, r.payload["days"]): r.due_at for r in rows if r.kind == "reminder"
    }
    utc = {key: at.astimezone(UTC).strftime("%m-%d %H:%M") for key, at in due.items()}
    # Paris: summer time (UTC+2) ends on 27 October 2019.
    assert utc[("300", "autumn-forum", 7)] == "10-23 07:00"
    assert utc[("300", "autumn-forum", 1)] == "10-29 08:00"
    # New York: daylight time (UTC-4) ends on 3 November 2019.
    assert utc[("301", "dst-summit", 7)] == "10-29 13:00"
    assert utc[("301", "dst-summit", 1)] == "11-04 14:00"
    # Always 09:00 on the recipient's wall clock.
    for (chat, _, _), at in due.items():
        tz = PARIS if chat == "300" else NEW_YORK
        assert at.astimezone(tz).hour == 9


async def test_digest_lists_the_next_4_weeks_and_news_of_subscriptions(
    db, planner, renderer, make_worker, fake_time
):
    user = await add_user(db, "400", language="fr")
    await add_sub(db, user, "digest", at=EARLY)
    await add_sub(db, user, "item", "mega", at=EARLY)
    other = await add_user(db, "401")
    await add_sub(db, other, "digest", at=EARLY)
    await planner.tick(datetime(2019, 6, 6, 12, tzinfo=MADRID))
    await planner.announce(
        "mega",
        {
            "es": "Informe final publicado.",
            "en": "Final report out.",
            "fr": "Rapport final publié.",
        },
        author="staff",
        now=datetime(2019, 6, 6, 12, 30, tzinfo=MADRID),
    )
    monday = datetime(2019, 6, 10, 9, 0, 20, tzinfo=MADRID)
    await planner.tick(monday)
    digests = {r.chat_id: r for r in await _rows(db, kind="digest")}
    assert set(digests) == {"400", "401"}
    assert digests["400"].payload["slugs"] == ["ema-forum-2019", "water-webinar"]
    assert [n["type"] for n in digests["400"].payload["news"]] == ["update"]
    assert digests["401"].payload["news"] == []
    fake_time.set(monday)
    sender = FakeSender()
    await make_worker(sender).drain()
    (digest,) = [r for r in sender.to("400") if r.title == "Votre résumé hebdomadaire"]
    assert "12 juin 2019 : Forum EMA" in digest.text
    assert "20 juin 2019 : Webinaire sur l'eau" in digest.text
    assert "Rapport final publié." in digest.text
    assert digest.buttons[0][0].action == "unsub:digest"
    (plain,) = [r for r in sender.to("401") if r.title == "Your weekly digest"]
    assert "News" not in plain.text


async def test_staff_reminders_and_monthly_overview_go_to_the_staff_channel(db, planner):
    # 14 days before 12 June, at 09:00 in the bot's time zone.
    await planner.tick(datetime(2019, 5, 28, 12, tzinfo=MADRID))
    await planner.tick(datetime(2019, 5, 29, 9, 0, 5, tzinfo=MADRID))
    await planner.tick(datetime(2019, 6, 3, 9, 0, 5, tzinfo=MADRID))  # first working day
    await planner.tick(datetime(2019, 6, 9, 9, 0, 5, tzinfo=MADRID))  # 3 days before
    rows = await _rows(db, platform="slack")
    assert {r.chat_id for r in rows} == {"C-STAFF"}
    assert [(r.kind, r.occurrence) for r in rows] == [
        ("staff_reminder", "2019-06-12/d14"),
        ("staff_month", "2019-06"),
        ("staff_reminder", "2019-06-12/d3"),
    ]
    assert rows[1].payload["slugs"] == ["ema-forum-2019", "water-webinar"]


async def test_content_changes_are_told_once(db, tmp_path, settings, fake_time):
    plan = tmp_path / "plan"
    shutil.copytree(PLAN, plan)
    store = ContentStore(db, plan)
    await store.sync(force=True)
    planner = Planner(db, lambda: store.index, settings, fake_time.clock)
    fan = await add_user(db, "500", language="es")
    await add_sub(db, fan, "all_events", at=EARLY)
    mega_fan = await add_user(db, "501")
    await add_sub(db, mega_fan, "theme", "mobility", at=EARLY)
    items = plan / "items.toml"
    text = items.read_text()
    text = text.replace('when = "2019-11"\naliases = ["smart city expo"]',
                        'when = "2019-11-19"\naliases = ["smart city expo"]')  # fmt: skip
    text = text.replace('status = "closing"', 'status = "ongoing"')
    text = text.replace('when = "2019-07-09"', 'when = "2019-07-09"\nstatus = "cancelled"')
    items.write_text(text)
    result = await store.sync(force=True)
    assert result is not None
    assert await planner.plan_changes(result.changes) == 3
    assert await planner.plan_changes(result.changes) == 0  # told once
    rows = {(r.chat_id, r.item_slug) for r in await _rows(db, kind="change")}
    assert rows == {("500", "smart-city-2019"), ("500", "hlpf-2019"), ("501", "mega")}
    sender = FakeSender()
    renderer = Renderer(Catalog.load(), lambda: store.index, settings.timezone)
    worker = DeliveryWorker(
        db, sender, renderer, fake_time.clock, SendPolicy(concurrency=1),
        monotonic=fake_time.monotonic, sleep=fake_time.sleep,
    )  # fmt: skip
    await worker.drain()
    texts = sorted(r.text for _, r in sender.sent)
    assert texts == [
        "Foro HLPF: cancelado.",
        "Metropolis Energy GovernAnce: MEGA: status “closing” → “ongoing”.",
        "Smart City Expo: ya tiene fecha, martes, 19 de noviembre de 2019.",
    ]


async def test_unsubscribe_stops_future_pushes(db, planner, make_worker, fake_time):
    user = await add_user(db, "600")
    await add_sub(db, user, "item", "ema-forum-2019", at=EARLY)
    await planner.tick(datetime(2019, 6, 5, 9, 1, tzinfo=MADRID))
    async with db.write() as session:
        assert await unsubscribe(session, user_id=user, target_kind="item", target="ema-forum-2019")
    # Planned before the unsubscribe but not sent yet: skipped at claim.
    fake_time.set(datetime(2019, 6, 5, 9, 2, tzinfo=MADRID))
    sender = FakeSender()
    await make_worker(sender).drain()
    assert sender.sent == []
    (row,) = await _rows(db, platform="telegram")
    assert (row.status, row.last_error) == ("skipped", "unsubscribed")
    # And nothing more is planned.
    await planner.tick(datetime(2019, 6, 11, 9, 1, tzinfo=MADRID))
    assert len(await _rows(db, platform="telegram")) == 1


async def test_two_planners_on_one_database_enqueue_once(db, database_url, content, settings):
    for n in range(50):
        user = await add_user(db, f"7{n:02d}")
        await add_sub(db, user, "item", "ema-forum-2019", at=EARLY)
        await add_sub(db, user, "digest", at=EARLY)
    other_db = Database(database_url)  # a second process would have its own engine
    try:
        clock = type("C", (), {"now": lambda self: datetime(2019, 6, 10, 9, 1, tzinfo=MADRID)})()
        first = Planner(db, lambda: content.index, settings, clock)
        second = Planner(other_db, lambda: content.index, settings, clock)
        reports = await asyncio.gather(first.tick(), second.tick(), first.tick())
        assert sum(r.inserted for r in reports) == 50  # one digest each
        assert (await outbox.counts(db))["pending"] == 50
    finally:
        await other_db.dispose()


async def test_restart_after_downtime_sends_what_is_useful_and_records_the_rest(
    db, planner, make_worker, fake_time
):
    user = await add_user(db, "800")
    await add_sub(db, user, "item", "ema-forum-2019", at=EARLY)
    await add_sub(db, user, "digest", at=EARLY)
    await planner.tick(datetime(2019, 6, 1, 12, tzinfo=MADRID))  # then the bot goes down
    back = datetime(2019, 6, 12, 8, 0, tzinfo=MADRID)  # up again on the day of the event
    fake_time.set(back)
    report = await planner.tick(back)
    rows = {(r.kind, r.occurrence): r for r in await _rows(db) if r.platform == "telegram"}
    assert {k: (r.status, r.last_error) for k, r in rows.items()} == {
        ("reminder", "2019-06-12/d7"): ("skipped", "missed: no longer useful"),
        ("reminder", "2019-06-12/d1"): ("pending", None),
        ("digest", "2019-06-03"): ("skipped", "missed: no longer useful"),
        ("digest", "2019-06-10"): ("pending", None),
    }
    assert report.missed >= 2
    sender = FakeSender()
    await make_worker(sender).drain()
    replies = {r.title: r.text for r in sender.to("800")}
    assert set(replies) == {"Reminder", "Your weekly digest"}
    assert replies["Reminder"].startswith("EMA Forum: today, Wednesday, 12 June 2019.")
    assert await planner.tick(back + timedelta(minutes=1)) is not None
    assert (await outbox.counts(db, platform="telegram"))["pending"] == 0
