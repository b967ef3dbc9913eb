"""The planner: what has fallen due, turned into outbox rows (see docs/reminders.md).

Each :meth:`Planner.tick` plans the window from the last planned instant (the ``planner``
heartbeat) up to now, and only that: rows enter the outbox when they are due, never ahead.
So an unsubscribe, a new time zone or a changed date before the send time simply changes what
gets planned, and a tick re-run after a crash, or a second planner, inserts nothing new (every
row has a unique key; :func:`bot.db.outbox.enqueue` ignores duplicates).

What is due, for a recipient in time zone *tz*, at ``send_hour`` local time:

- ``reminder``: ``reminder_days`` (7 and 1) days before an item with an exact date;
- ``month``: on the first working day (Monday–Friday) of a month, the subscribed items known
  only by that month ("This month: …"); once an item gets a date, the day reminders apply;
- ``digest``: on Mondays, to digest subscribers: the next 4 weeks, and news (staff updates,
  content changes) of their subscriptions from the last 7 days;
- ``staff_reminder`` (``staff_reminder_days``, 14 and 3, before each event) and ``staff_month``
  (first working day) to the Slack channel ``SLACK_STAFF_CHANNEL``, in the bot's time zone.

Subscribers' chats and the staff channel go through one loop (:meth:`Planner.due`): the
staff channel is a :class:`~scheduler.audience.Chat` that hears of every event.

After downtime the window is long: what fell due in it and is still useful is sent late; what
is no longer useful (its event passed, a later reminder of the same event is due too, the
month is over, the digest is stale) is recorded as ``skipped`` with the reason ``missed``.
Nothing that fell due before a subscription began is owed to it.

Change notices (:meth:`Planner.plan_changes`) and staff updates (:meth:`Planner.announce`)
are planned at once, keyed by the item's version and the announcement's id
(:mod:`scheduler.notices`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.ports import Clock
from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Announcement, Heartbeat
from bot.db.outbox import Planned
from bot.db.subscriptions import Recipient
from content.index import ContentIndex, ContentItem
from content.loader import ContentChange
from content.schema import plain_slug
from scheduler import notices
from scheduler.audience import Chat, ItemRef, Occurrence, covers, planned, subscribed_chats
from scheduler.due import first_working_day, month_code, next_month, reminder_expiry, send_days

__all__ = [
    "NOTABLE_FIELDS",
    "Planner",
    "TickReport",
    "covers",
    "first_working_day",
    "send_days",
]

NOTABLE_FIELDS = notices.NOTABLE_FIELDS
WATERMARK = "planner"
_QUIET = ("cancelled", "postponed", "done")
DIGEST_WEEKS = 4
DIGEST_USEFUL = timedelta(days=2)
STAFF_MONTH_USEFUL = timedelta(days=7)


@dataclass
class TickReport:
    """What one tick planned."""

    start: datetime
    end: datetime
    planned: int = 0
    inserted: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    missed: int = 0


def _by_day(index: ContentIndex) -> dict[date, list[ContentItem]]:
    """The items that get day reminders, by their day."""
    by_day: dict[date, list[ContentItem]] = defaultdict(list)
    for item in index.items.values():
        if item.precision == "day" and item.start and item.status not in _QUIET:
            if item.kind in ("event", "action", "pilot_project"):
                by_day[item.start].append(item)
    return by_day


class Planner:
    """Plans due deliveries into the outbox.

    Args:
        db: The database.
        content: Returns the current content index.
        settings: Lead times, send hour, staff channel, default language and time zone.
        clock: The bot's clock.
        first_lookback: How far back the very first tick looks.
    """

    def __init__(
        self,
        db: Database,
        content: Callable[[], ContentIndex],
        settings: Settings,
        clock: Clock,
        *,
        first_lookback: timedelta = timedelta(days=1),
    ) -> None:
        self.db = db
        self._content = content
        self.settings = settings
        self.clock = clock
        self.first_lookback = first_lookback

    # -- ticks ----------------------------------------------------------------------------------

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Plan everything that fell due since the last tick, up to ``now``."""
        now = now or self.clock.now()
        async with self.db.read() as session:
            mark = await session.get(Heartbeat, WATERMARK)
        start = mark.at if mark is not None else now - self.first_lookback
        report = TickReport(start=start, end=now)
        if start >= now:
            return report
        rows = await self.due(start, now)
        report.planned = len(rows)
        report.by_kind.update(r.kind for r in rows)
        report.missed = sum(1 for r in rows if r.status == "skipped")
        report.inserted = await outbox.enqueue(self.db, rows, now=now)
        await self._advance(now)
        return report

    async def _advance(self, now: datetime) -> None:
        # The watermark is the heartbeat's ``at``; an upsert that only moves it forward, so
        # two planners finishing together neither collide nor move it back.
        dialect = sqlite if self.db.is_sqlite else postgresql
        insert = dialect.insert(Heartbeat).values(
            name=WATERMARK, at=now, detail={"until": now.isoformat()}
        )
        statement = insert.on_conflict_do_update(
            index_elements=["name"],
            set_={"at": insert.excluded.at, "detail": insert.excluded.detail},
            where=Heartbeat.at < insert.excluded.at,
        )
        async with self.db.write() as session:
            await session.execute(statement)

    async def due(self, start: datetime, end: datetime) -> list[Planned]:
        """Every delivery due in ``(start, end]`` (nothing is written)."""
        index = self._content()
        async with self.db.read() as session:
            chats = list((await subscribed_chats(session, self.settings)).values())
            news = await self._announcements(session, start - timedelta(days=7), end)
        staff = self._staff_chat()
        if staff is not None:
            chats.append(staff)
        by_day = _by_day(index)
        days_of: dict[str, list[tuple[date, datetime]]] = {}
        rows: list[Planned] = []
        for chat in chats:
            zone = chat.tz.key
            if zone not in days_of:
                days_of[zone] = send_days(chat.tz, start, end, self.settings.send_hour)
            for day, at in days_of[zone]:
                rows.extend(self._reminders(chat, day, at, end, by_day))
                if chat.staff:
                    rows.extend(self._staff_month(chat, day, at, end, index))
                else:
                    rows.extend(self._month(chat, day, at, end, index))
                    rows.extend(self._digest(chat, day, at, end, index, news))
        return rows

    def _staff_chat(self) -> Chat | None:
        channel = self.settings.slack_staff_channel
        if not channel:
            return None
        language, tz = self.settings.default_language, self.settings.tz
        return Chat("slack", channel, None, language, tz, staff=True)

    def _reminders(
        self,
        chat: Chat,
        day: date,
        at: datetime,
        now: datetime,
        by_day: Mapping[date, list[ContentItem]],
    ) -> list[Planned]:
        # The staff channel hears of every event, subscribers of what they subscribed to.
        lead_times = (
            self.settings.staff_reminder_days if chat.staff else self.settings.reminder_days
        )
        rules = sorted(set(lead_times), reverse=True)
        kind = "staff_reminder" if chat.staff else "reminder"
        found = []
        for days in rules:
            for item in by_day.get(day + timedelta(days=days), ()):
                subs = [] if chat.staff else chat.covering(item, at)
                if not (item.kind == "event" if chat.staff else subs):
                    continue
                assert item.start is not None
                expires = reminder_expiry(item.start, days, rules, chat.tz, self.settings.send_hour)
                payload = {"days": days, "start": item.start.isoformat()}
                occurrence = f"{item.start.isoformat()}/d{days}"
                what = Occurrence(kind, item.slug, occurrence, at, expires, payload)
                found.append(planned(chat, what, now, subs))
        return found

    def _month(
        self, chat: Chat, day: date, at: datetime, now: datetime, index: ContentIndex
    ) -> list[Planned]:
        if day != first_working_day(day.year, day.month):
            return []
        slugs: list[str] = []
        subs: dict[int, Recipient] = {}
        for item in index.items.values():
            if item.precision not in ("month", "period") or item.start is None:
                continue
            if item.status in _QUIET or (item.start.year, item.start.month) != (
                day.year,
                day.month,
            ):
                continue
            covering = chat.covering(item, at)
            if covering:
                slugs.append(item.slug)
                subs.update((s.subscription_id, s) for s in covering)
        if not slugs:
            return []
        slugs.sort(key=lambda s: index.items[s].order)
        month = month_code(day)
        expires = datetime.combine(next_month(day), time(0), chat.tz)
        what = Occurrence("month", None, month, at, expires, {"month": month, "slugs": slugs})
        return [planned(chat, what, now, list(subs.values()))]

    def _staff_month(
        self, chat: Chat, day: date, at: datetime, now: datetime, index: ContentIndex
    ) -> list[Planned]:
        if day != first_working_day(day.year, day.month):
            return []
        first = day.replace(day=1)
        last = next_month(first) - timedelta(days=1)
        slugs = [
            i.slug
            for i in index.between(first, last)
            if i.status != "cancelled" and i.start is not None and i.start >= first
        ]
        month = month_code(day)
        payload = {"month": month, "slugs": slugs}
        what = Occurrence("staff_month", None, month, at, at + STAFF_MONTH_USEFUL, payload)
        return [planned(chat, what, now)]

    def _digest(
        self,
        chat: Chat,
        day: date,
        at: datetime,
        now: datetime,
        index: ContentIndex,
        news: Sequence[Announcement],
    ) -> list[Planned]:
        if day.weekday() != 0:
            return []
        sub = chat.digest(at)
        if sub is None:
            return []
        coming = [
            i.slug
            for i in index.between(day, day + timedelta(weeks=DIGEST_WEEKS) - timedelta(days=1))
            if i.status not in ("cancelled", "done")
        ]
        entries = []
        for ann in news:
            if not at - timedelta(days=7) <= ann.created_at < at:
                continue
            item = index.get(ann.target)
            ref: ContentItem | ItemRef = item or ItemRef(ann.target, "", ())
            if ann.target_kind == "theme":
                relevant = any(
                    s.target_kind == "theme"
                    and plain_slug(s.target) == plain_slug(ann.target)
                    and s.created_at <= at
                    for s in chat.subs
                )
            else:
                relevant = bool(chat.covering(ref, at))
            if not relevant:
                continue
            texts = dict(ann.texts or {})
            if "change" in texts:
                entries.append({"type": "change", "slug": ann.target, **texts["change"]})
            else:
                title = item.title if item else {}
                entries.append(
                    {"type": "update", "slug": ann.target, "texts": texts, "title": title}
                )
        payload = {"start": day.isoformat(), "slugs": coming, "news": entries}
        what = Occurrence("digest", None, day.isoformat(), at, at + DIGEST_USEFUL, payload)
        return [planned(chat, what, now, [sub])]

    @staticmethod
    async def _announcements(
        session: AsyncSession, since: datetime, until: datetime
    ) -> list[Announcement]:
        rows = await session.scalars(
            select(Announcement)
            .where(
                Announcement.created_at >= since,
                Announcement.created_at <= until,
                Announcement.status.in_(("published", "change")),
            )
            .order_by(Announcement.id)
        )
        return list(rows.all())

    # -- planned at once (scheduler/notices.py) -------------------------------------------------

    async def plan_changes(
        self, changes: Iterable[ContentChange], now: datetime | None = None
    ) -> int:
        """Tell the subscribers of each changed item, once per item version; returns how many
        deliveries were enqueued (see :func:`scheduler.notices.plan_changes`)."""
        now = now or self.clock.now()
        return await notices.plan_changes(self.db, self.settings, changes, now=now)

    async def announce(
        self,
        slug: str,
        texts: Mapping[str, str],
        *,
        author: str,
        now: datetime | None = None,
    ) -> tuple[int, int]:
        """Send a staff update to the subscribers of a project, event or theme.

        Returns ``(announcement id, deliveries enqueued)``.

        Raises:
            ValueError: No live item has that slug, or no text was given.
        """
        item = self._content().get(slug)
        if item is None:
            raise ValueError(f"no item {slug!r} in the plan")
        now = now or self.clock.now()
        return await notices.announce(self.db, self.settings, item, texts, author=author, now=now)
