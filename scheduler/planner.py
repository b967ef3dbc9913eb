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

After downtime the window is long: what fell due in it and is still useful is sent late; what
is no longer useful (its event passed, a later reminder of the same event is due too, the
month is over, the digest is stale) is recorded as ``skipped`` with the reason ``missed``.
Nothing that fell due before a subscription began is owed to it.

Change notices (:meth:`Planner.plan_changes`) and staff updates (:meth:`Planner.announce`)
are planned at once, keyed by the item's version and the announcement's id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.config import Settings
from bot.core.ports import Clock
from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Announcement, Heartbeat, Item
from bot.db.outbox import Planned
from bot.db.subscriptions import Recipient, active_recipients
from content.index import ContentIndex, ContentItem
from content.loader import ContentChange

__all__ = [
    "NOTABLE_FIELDS",
    "Planner",
    "TickReport",
    "covers",
    "first_working_day",
    "send_days",
]

WATERMARK = "planner"
# Changes subscribers are told about (title or link edits are not news).
NOTABLE_FIELDS = ("status", "when", "place")
_QUIET = ("cancelled", "postponed", "done")
DIGEST_WEEKS = 4
DIGEST_USEFUL = timedelta(days=2)
NOTICE_USEFUL = timedelta(days=7)
STAFF_MONTH_USEFUL = timedelta(days=7)


def first_working_day(year: int, month: int) -> date:
    """The first Monday–Friday of a month (public holidays are not known to the bot)."""
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def send_days(
    tz: ZoneInfo, start: datetime, end: datetime, hour: int
) -> list[tuple[date, datetime]]:
    """Local days whose ``hour``:00 in ``tz`` falls in ``(start, end]``, with that instant."""
    found = []
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    while day <= last:
        at = datetime.combine(day, time(hour), tz)
        if start < at <= end:
            found.append((day, at))
        day += timedelta(days=1)
    return found


def covers(target_kind: str, target: str, item: ContentItem | _ItemRef) -> bool:
    """Whether a subscription to ``(target_kind, target)`` is about ``item``."""
    if target_kind == "item":
        return item.slug == target
    if target_kind == "theme":
        return target in item.themes or item.slug == target
    if target_kind == "all_events":
        return item.kind == "event"
    return False


@dataclass(frozen=True)
class _ItemRef:
    slug: str
    kind: str
    themes: tuple[str, ...]


@dataclass
class _Chat:
    """Everything one chat subscribed to."""

    platform: str
    chat_id: str
    user_id: int
    language: str
    tz: ZoneInfo
    subs: list[Recipient] = field(default_factory=list)

    def covering(self, item: ContentItem | _ItemRef, at: datetime) -> list[Recipient]:
        return [
            s for s in self.subs if s.created_at <= at and covers(s.target_kind, s.target, item)
        ]

    def digest(self, at: datetime) -> Recipient | None:
        return next(
            (s for s in self.subs if s.target_kind == "digest" and s.created_at <= at), None
        )


@dataclass
class TickReport:
    """What one tick planned."""

    start: datetime
    end: datetime
    planned: int = 0
    inserted: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    missed: int = 0


def _unsub_action(subs: Sequence[Recipient]) -> str:
    if len({(s.target_kind, s.target) for s in subs}) != 1:
        return "cmd:subscriptions"
    sub = subs[0]
    if sub.target_kind == "all_events":
        return "unsub:all"
    if sub.target_kind == "digest":
        return "unsub:digest"
    return f"unsub:{sub.target}"


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
        hour = self.settings.send_hour
        index = self._content()
        async with self.db.read() as session:
            recipients = await active_recipients(
                session,
                default_language=self.settings.default_language,
                default_timezone=self.settings.timezone,
            )
            news = await self._announcements(session, start - timedelta(days=7), end)
        chats = self._chats(recipients)
        planned: list[Planned] = []
        by_day = self._by_day(index)
        days_cache: dict[str, list[tuple[date, datetime]]] = {}
        for chat in chats.values():
            key = chat.tz.key
            if key not in days_cache:
                days_cache[key] = send_days(chat.tz, start, end, hour)
            for day, at in days_cache[key]:
                planned.extend(self._reminders(chat, day, at, end, by_day))
                planned.extend(self._month(chat, day, at, end, index))
                planned.extend(self._digest(chat, day, at, end, index, news))
        planned.extend(self._staff(start, end, index, by_day))
        return planned

    def _chats(self, recipients: Iterable[Recipient]) -> dict[tuple[str, str], _Chat]:
        chats: dict[tuple[str, str], _Chat] = {}
        for r in recipients:
            chat = chats.get((r.platform, r.chat_id))
            if chat is None:
                chat = chats[(r.platform, r.chat_id)] = _Chat(
                    r.platform, r.chat_id, r.user_id, r.language, ZoneInfo(r.timezone)
                )
            chat.subs.append(r)
        return chats

    @staticmethod
    def _by_day(index: ContentIndex) -> dict[date, list[ContentItem]]:
        by_day: dict[date, list[ContentItem]] = defaultdict(list)
        for item in index.items.values():
            if item.precision == "day" and item.start and item.status not in _QUIET:
                if item.kind in ("event", "action", "pilot_project"):
                    by_day[item.start].append(item)
        return by_day

    def _planned(
        self,
        chat: _Chat,
        kind: str,
        item: str | None,
        occurrence: str,
        at: datetime,
        expires: datetime,
        now: datetime,
        subs: Sequence[Recipient],
        payload: dict[str, Any],
    ) -> Planned:
        missed = now >= expires
        return Planned(
            kind=kind,
            item_slug=item,
            occurrence=occurrence,
            platform=chat.platform,
            chat_id=chat.chat_id,
            language=chat.language,
            due_at=at,
            expires_at=expires,
            payload={
                **payload,
                "tz": chat.tz.key,
                "subs": [s.subscription_id for s in subs],
                "unsub": _unsub_action(subs),
            },
            user_id=chat.user_id,
            subscription_id=subs[0].subscription_id if subs else None,
            status="skipped" if missed else "pending",
            reason="missed: no longer useful" if missed else None,
        )

    def _expiry(self, start: date, days: int, rules: Sequence[int], tz: ZoneInfo) -> datetime:
        # A reminder is useful until the next, closer reminder of the same event is due,
        # and the last one until the end of the event's first day.
        closer = [r for r in rules if 0 <= r < days]
        if closer:
            return datetime.combine(
                start - timedelta(days=max(closer)), time(self.settings.send_hour), tz
            )
        return datetime.combine(start + timedelta(days=1), time(0), tz)

    def _reminders(
        self,
        chat: _Chat,
        day: date,
        at: datetime,
        now: datetime,
        by_day: Mapping[date, list[ContentItem]],
    ) -> list[Planned]:
        rules = sorted(set(self.settings.reminder_days), reverse=True)
        found = []
        for days in rules:
            for item in by_day.get(day + timedelta(days=days), ()):
                subs = chat.covering(item, at)
                if not subs:
                    continue
                assert item.start is not None
                found.append(
                    self._planned(
                        chat,
                        "reminder",
                        item.slug,
                        f"{item.start.isoformat()}/d{days}",
                        at,
                        self._expiry(item.start, days, rules, chat.tz),
                        now,
                        subs,
                        {"days": days, "start": item.start.isoformat()},
                    )
                )
        return found

    def _month(
        self, chat: _Chat, day: date, at: datetime, now: datetime, index: ContentIndex
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
        month = f"{day.year:04d}-{day.month:02d}"
        next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        return [
            self._planned(
                chat,
                "month",
                None,
                month,
                at,
                datetime.combine(next_month, time(0), chat.tz),
                now,
                list(subs.values()),
                {"month": month, "slugs": slugs},
            )
        ]

    def _digest(
        self,
        chat: _Chat,
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
            ref: ContentItem | _ItemRef = item or _ItemRef(ann.target, "", ())
            if ann.target_kind == "theme":
                relevant = any(
                    s.target_kind == "theme" and s.target == ann.target and s.created_at <= at
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
        return [
            self._planned(
                chat,
                "digest",
                None,
                day.isoformat(),
                at,
                at + DIGEST_USEFUL,
                now,
                [sub],
                {"start": day.isoformat(), "slugs": coming, "news": entries},
            )
        ]

    def _staff(
        self,
        start: datetime,
        end: datetime,
        index: ContentIndex,
        by_day: Mapping[date, list[ContentItem]],
    ) -> list[Planned]:
        channel = self.settings.slack_staff_channel
        if not channel:
            return []
        tz = self.settings.tz
        staff = _Chat("slack", channel, 0, self.settings.default_language, tz)
        rules = sorted(set(self.settings.staff_reminder_days), reverse=True)
        found: list[Planned] = []
        for day, at in send_days(tz, start, end, self.settings.send_hour):
            for days in rules:
                for item in by_day.get(day + timedelta(days=days), ()):
                    if item.kind != "event":
                        continue
                    assert item.start is not None
                    found.append(
                        self._staff_row(
                            staff,
                            "staff_reminder",
                            item.slug,
                            f"{item.start.isoformat()}/d{days}",
                            at,
                            self._expiry(item.start, days, rules, tz),
                            end,
                            {"days": days, "start": item.start.isoformat()},
                        )
                    )
            if day == first_working_day(day.year, day.month):
                first = day.replace(day=1)
                last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                slugs = [
                    i.slug
                    for i in index.between(first, last)
                    if i.status != "cancelled" and i.start is not None and i.start >= first
                ]
                month = f"{day.year:04d}-{day.month:02d}"
                found.append(
                    self._staff_row(
                        staff,
                        "staff_month",
                        None,
                        month,
                        at,
                        at + STAFF_MONTH_USEFUL,
                        end,
                        {"month": month, "slugs": slugs},
                    )
                )
        return found

    def _staff_row(
        self,
        staff: _Chat,
        kind: str,
        item: str | None,
        occurrence: str,
        at: datetime,
        expires: datetime,
        now: datetime,
        payload: dict[str, Any],
    ) -> Planned:
        missed = now >= expires
        return Planned(
            kind=kind,
            item_slug=item,
            occurrence=occurrence,
            platform=staff.platform,
            chat_id=staff.chat_id,
            language=staff.language,
            due_at=at,
            expires_at=expires,
            payload={**payload, "tz": staff.tz.key},
            status="skipped" if missed else "pending",
            reason="missed: no longer useful" if missed else None,
        )

    @staticmethod
    async def _announcements(session: Any, since: datetime, until: datetime) -> list[Announcement]:
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

    # -- change notices -------------------------------------------------------------------------

    async def plan_changes(
        self, changes: Iterable[ContentChange], now: datetime | None = None
    ) -> int:
        """Tell the subscribers of each changed item, once per item version.

        Notable: a status that moved (cancelled included), a date set or moved, a new place,
        and an item removed from the plan. Returns how many deliveries were enqueued.
        """
        now = now or self.clock.now()
        notable = [
            c
            for c in changes
            if c.change == "removed"
            or (c.change == "changed" and set(c.fields) & set(NOTABLE_FIELDS))
        ]
        if not notable:
            return 0
        slugs = [c.slug for c in notable]
        planned: list[Planned] = []
        async with self.db.write() as session:
            items = {
                row.slug: row
                for row in (await session.scalars(select(Item).where(Item.slug.in_(slugs)))).all()
            }
            recipients = await active_recipients(
                session,
                default_language=self.settings.default_language,
                default_timezone=self.settings.timezone,
                target_kinds=("item", "theme", "all_events"),
            )
            chats = self._chats(recipients)
            known = await session.scalars(
                select(Announcement).where(
                    Announcement.status == "change", Announcement.target.in_(slugs)
                )
            )
            told = {(a.target, (a.texts or {}).get("version")) for a in known.all()}
            for change in notable:
                row = items.get(change.slug)
                if row is None:
                    continue
                version = row.sequence
                payload = {
                    "change": change.change,
                    "fields": [f for f in change.fields if f in NOTABLE_FIELDS],
                    "before": change.before,
                    "after": change.after,
                    "title": (row.data or {}).get("title") or {},
                }
                if (change.slug, version) not in told:
                    session.add(
                        Announcement(
                            author="content",
                            target_kind="item",
                            target=change.slug,
                            texts={"change": payload, "version": version},
                            status="change",
                            created_at=now,
                        )
                    )
                ref = _ItemRef(row.slug, row.kind, tuple(row.themes or ()))
                for chat in chats.values():
                    subs = chat.covering(ref, now)
                    if subs:
                        planned.append(
                            self._planned(
                                chat,
                                "change",
                                row.slug,
                                f"v{version}",
                                now,
                                now + NOTICE_USEFUL,
                                now,
                                subs,
                                payload,
                            )
                        )
        return await outbox.enqueue(self.db, planned, now=now)

    # -- staff updates ----------------------------------------------------------------------------

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
        now = now or self.clock.now()
        item = self._content().get(slug)
        if item is None:
            raise ValueError(f"no item {slug!r} in the plan")
        texts = {lang: text.strip() for lang, text in texts.items() if text and text.strip()}
        if not texts:
            raise ValueError("an update needs a text")
        target_kind = "theme" if item.kind == "theme" else "item"
        async with self.db.write() as session:
            announcement = Announcement(
                author=author[:96],
                target_kind=target_kind,
                target=slug,
                texts=texts,
                status="published",
                created_at=now,
            )
            session.add(announcement)
            await session.flush()
            announcement_id = announcement.id
            recipients = await active_recipients(
                session,
                default_language=self.settings.default_language,
                default_timezone=self.settings.timezone,
                target_kinds=("item", "theme", "all_events"),
            )
        planned = []
        for chat in self._chats(recipients).values():
            if target_kind == "theme":
                subs = [s for s in chat.subs if s.target_kind == "theme" and s.target == slug]
            else:
                subs = chat.covering(item, now)
            if subs:
                planned.append(
                    self._planned(
                        chat,
                        "update",
                        slug,
                        f"a{announcement_id}",
                        now,
                        now + NOTICE_USEFUL,
                        now,
                        subs,
                        {"texts": texts, "title": item.title},
                    )
                )
        return announcement_id, await outbox.enqueue(self.db, planned, now=now)
