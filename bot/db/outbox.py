"""The deliveries outbox: planned once, claimed with a lease, marked right after sending.

Life of a delivery::

    enqueue ──> pending ──claim (lease)──> send ──> sent
                   ^  │                      ├──> pending again (retry_after / error, backoff)
                   │  │                      ├──> failed   (permanent error, or last attempt)
                   │  └──(expired / unsubscribed at claim)──> skipped
                   └── lease expired (the sender died): claimable again

- **Once**: every row has a unique ``key`` built from (kind, item, occurrence, platform,
  recipient); :func:`enqueue` is ``INSERT … ON CONFLICT (key) DO NOTHING`` in the database's own
  dialect, so planning twice, or two planners, insert one row.
- **Claims**: :func:`claim` takes due rows whose lease is free or expired and leases them to an
  owner. PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then ``UPDATE`` in one transaction, so
  any number of processes share the work. SQLite: the same inside ``BEGIN IMMEDIATE``
  (:meth:`Database.write`), which serialises claimers.
- **Marks**: :func:`mark_sent` commits right after the platform accepted the message; a process
  killed between the two re-sends at most the messages it had in flight once their lease expires.
- Nothing is silently dropped: rows end ``sent``, ``failed`` (with ``last_error``) or
  ``skipped`` (with the reason in ``last_error``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import Delivery, Subscription
from bot.db.subscriptions import deactivate_chat

__all__ = [
    "STATUSES",
    "Claimed",
    "Planned",
    "claim",
    "counts",
    "delivery_key",
    "enqueue",
    "failed_deliveries",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "mark_sent_many",
    "mark_skipped",
    "recipient_gone",
    "release",
]

STATUSES = ("pending", "sent", "failed", "skipped")
_CHUNK = 500


def delivery_key(kind: str, item: str | None, occurrence: str, platform: str, chat_id: str) -> str:
    """The unique key of a delivery: what, which occurrence, to whom."""
    return f"{kind}|{item or '-'}|{occurrence}|{platform}|{chat_id}"[:255]


@dataclass(frozen=True)
class Planned:
    """A delivery the planner wants in the outbox.

    Attributes:
        due_at: When it may be sent (``next_attempt_at``).
        expires_at: After this instant it is no longer useful and is skipped, not sent.
        status: ``"pending"``, or ``"skipped"`` to record an occurrence that fell due while
            the bot was down and is no longer useful (``reason`` says why).
    """

    kind: str
    item_slug: str | None
    occurrence: str
    platform: str
    chat_id: str
    language: str
    due_at: datetime
    expires_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None
    subscription_id: int | None = None
    status: str = "pending"
    reason: str | None = None

    @property
    def key(self) -> str:
        """The unique key (see :func:`delivery_key`)."""
        return delivery_key(self.kind, self.item_slug, self.occurrence, self.platform, self.chat_id)


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to one sender."""

    id: int
    key: str
    kind: str
    item_slug: str | None
    occurrence: str
    platform: str
    chat_id: str
    user_id: int | None
    subscription_id: int | None
    language: str
    payload: dict[str, Any]
    attempts: int
    due_at: datetime
    expires_at: datetime | None
    lease_owner: str
    lease_until: datetime


async def enqueue(db: Database, rows: Iterable[Planned], *, now: datetime) -> int:
    """Insert the planned deliveries that are not in the outbox yet; returns how many were new.

    One transaction; rows whose key exists are left as they are.
    """
    values = []
    seen: set[str] = set()
    for row in rows:
        key = row.key
        if key in seen:
            continue
        seen.add(key)
        values.append(
            {
                "key": key,
                "kind": row.kind,
                "item_slug": row.item_slug,
                "occurrence": row.occurrence,
                "platform": row.platform,
                "chat_id": row.chat_id,
                "user_id": row.user_id,
                "subscription_id": row.subscription_id,
                "language": row.language,
                "payload": row.payload,
                "status": row.status,
                "attempts": 0,
                "next_attempt_at": row.due_at,
                "expires_at": row.expires_at,
                "lease_owner": None,
                "lease_until": None,
                "created_at": now,
                "sent_at": None,
                "last_error": row.reason,
            }
        )
    if not values:
        return 0
    inserted = 0
    # Rows as parameters on the table (not through the ORM's bulk machinery): compiled once,
    # sent in multi-row batches by SQLAlchemy.
    table = Delivery.__table__
    statement = db.insert_if_absent(table, key=("key",)).returning(table.c.id)
    async with db.write() as session:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            inserted += len((await session.execute(statement, chunk)).all())
    return inserted


async def claim(
    db: Database,
    platform: str,
    *,
    owner: str,
    now: datetime,
    limit: int = 50,
    lease_seconds: float = 120.0,
) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries of ``platform`` to ``owner``.

    Due: pending, ``next_attempt_at <= now``, and no lease or an expired one. In the same
    transaction, rows past ``expires_at`` become ``skipped`` (``expired``) and rows whose
    subscription was undone become ``skipped`` (``unsubscribed``); they are not returned.
    """
    lease_until = now + timedelta(seconds=lease_seconds)
    query = (
        select(Delivery.__table__)
        .where(
            Delivery.platform == platform,
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now,
            or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if not db.is_sqlite:
        query = query.with_for_update(skip_locked=True)
    claimed: list[Claimed] = []
    expired: list[int] = []
    unsubscribed: list[int] = []
    async with db.write() as session:
        rows = list((await session.execute(query)).all())
        if not rows:
            return []
        inactive = await _inactive_subscriptions(session, rows)
        for row in rows:
            if row.expires_at is not None and row.expires_at <= now:
                expired.append(row.id)
            elif _unsubscribed(row, inactive):
                unsubscribed.append(row.id)
            else:
                claimed.append(
                    Claimed(
                        id=row.id,
                        key=row.key,
                        kind=row.kind,
                        item_slug=row.item_slug,
                        occurrence=row.occurrence,
                        platform=row.platform,
                        chat_id=row.chat_id,
                        user_id=row.user_id,
                        subscription_id=row.subscription_id,
                        language=row.language,
                        payload=dict(row.payload or {}),
                        attempts=row.attempts,
                        due_at=row.next_attempt_at,
                        expires_at=row.expires_at,
                        lease_owner=owner,
                        lease_until=lease_until,
                    )
                )
        for ids, reason in ((expired, "expired"), (unsubscribed, "unsubscribed")):
            if ids:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids))
                    .values(status="skipped", last_error=reason, lease_owner=None, lease_until=None)
                )
        if claimed:
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_([c.id for c in claimed]))
                .values(lease_owner=owner, lease_until=lease_until)
            )
    return claimed


async def _inactive_subscriptions(session: AsyncSession, rows: Sequence[Any]) -> set[int]:
    ids: set[int] = set()
    for row in rows:
        ids.update(_subscription_ids(row))
    if not ids:
        return set()
    active = set(
        (
            await session.scalars(
                select(Subscription.id).where(
                    Subscription.id.in_(ids), Subscription.active.is_(True)
                )
            )
        ).all()
    )
    return ids - active


def _subscription_ids(row: Any) -> list[int]:
    ids = [int(i) for i in (row.payload or {}).get("subs", ())]
    if row.subscription_id is not None and row.subscription_id not in ids:
        ids.append(row.subscription_id)
    return ids


def _unsubscribed(row: Any, inactive: set[int]) -> bool:
    # Planned for subscribers: skipped when none of the subscriptions behind it is active.
    ids = _subscription_ids(row)
    return bool(ids) and all(i in inactive for i in ids)


def _mine(delivery_id: int) -> Any:
    return (Delivery.id == delivery_id) & (Delivery.status == "pending")


async def mark_sent(db: Database, delivery_id: int, *, now: datetime) -> bool:
    """Record that the platform accepted the message (call right after the API call)."""
    async with db.write() as session:
        result = await session.execute(
            update(Delivery)
            .where(_mine(delivery_id))
            .values(
                status="sent",
                sent_at=now,
                attempts=Delivery.attempts + 1,
                lease_owner=None,
                lease_until=None,
                last_error=None,
            )
        )
    return bool(result.rowcount)


async def mark_sent_many(db: Database, delivery_ids: Sequence[int], *, now: datetime) -> int:
    """:func:`mark_sent` for several rows in one transaction (a sender's group commit)."""
    if not delivery_ids:
        return 0
    async with db.write() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(delivery_ids)), Delivery.status == "pending")
            .values(
                status="sent",
                sent_at=now,
                attempts=Delivery.attempts + 1,
                lease_owner=None,
                lease_until=None,
                last_error=None,
            )
        )
    return int(result.rowcount or 0)


async def mark_retry(
    db: Database,
    delivery: Claimed,
    *,
    now: datetime,
    delay: float,
    error: str,
    count_attempt: bool = True,
    max_attempts: int = 5,
) -> str:
    """Put a delivery back for a later attempt, or fail it after ``max_attempts``.

    ``count_attempt=False`` is for rate limits (429): the platform asked us to wait, the
    message itself is fine; such rows are still bounded by their ``expires_at``.

    Returns:
        The new status: ``"pending"`` or ``"failed"``.
    """
    attempts = delivery.attempts + (1 if count_attempt else 0)
    status = "failed" if count_attempt and attempts >= max_attempts else "pending"
    async with db.write() as session:
        await session.execute(
            update(Delivery)
            .where(_mine(delivery.id))
            .values(
                status=status,
                attempts=attempts,
                next_attempt_at=now + timedelta(seconds=max(0.0, delay)),
                lease_owner=None,
                lease_until=None,
                last_error=error[:500],
            )
        )
    return status


def _failed(delivery: Claimed, error: str) -> Any:
    # One statement for "give up on this row", shared by mark_failed and recipient_gone.
    return (
        update(Delivery)
        .where(_mine(delivery.id))
        .values(
            status="failed",
            attempts=delivery.attempts + 1,
            lease_owner=None,
            lease_until=None,
            last_error=error[:500],
        )
    )


async def mark_failed(db: Database, delivery: Claimed, *, now: datetime, error: str) -> None:
    """Give up on a delivery (visible to staff with its error)."""
    async with db.write() as session:
        await session.execute(_failed(delivery, error))


async def mark_skipped(db: Database, delivery_id: int, *, reason: str) -> None:
    """Record that a delivery will not be sent, and why."""
    async with db.write() as session:
        await session.execute(
            update(Delivery)
            .where(_mine(delivery_id))
            .values(status="skipped", lease_owner=None, lease_until=None, last_error=reason[:500])
        )


async def release(db: Database, delivery_ids: Sequence[int], *, owner: str) -> int:
    """Give back leases not used (a sender stopping cleanly), so others need not wait."""
    if not delivery_ids:
        return 0
    async with db.write() as session:
        result = await session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_(list(delivery_ids)),
                Delivery.status == "pending",
                Delivery.lease_owner == owner,
            )
            .values(lease_owner=None, lease_until=None)
        )
    return int(result.rowcount or 0)


async def recipient_gone(
    db: Database, delivery: Claimed, *, now: datetime, error: str
) -> tuple[int, int]:
    """The platform says the chat is gone (blocked, not found, inactive account).

    Fails this delivery, deactivates the chat's subscriptions and skips what else is pending
    for it. Returns ``(subscriptions deactivated, other deliveries skipped)``.
    """
    async with db.write() as session:
        await session.execute(_failed(delivery, error))
        subscriptions = await deactivate_chat(
            session, delivery.platform, delivery.chat_id, reason=f"delivery: {error}"
        )
        skipped = await session.execute(
            update(Delivery)
            .where(
                Delivery.platform == delivery.platform,
                Delivery.chat_id == delivery.chat_id,
                Delivery.status == "pending",
                Delivery.id != delivery.id,
            )
            .values(
                status="skipped", lease_owner=None, lease_until=None, last_error="recipient gone"
            )
        )
    return subscriptions, int(skipped.rowcount or 0)


async def counts(db: Database, *, platform: str | None = None) -> dict[str, int]:
    """How many deliveries are in each status."""
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
    if platform is not None:
        query = query.where(Delivery.platform == platform)
    async with db.read() as session:
        found = {status: int(n) for status, n in (await session.execute(query)).all()}
    return {status: found.get(status, 0) for status in STATUSES} | found


async def failed_deliveries(db: Database, *, limit: int = 50) -> list[Delivery]:
    """The most recent failed deliveries, for staff."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Delivery)
            .where(Delivery.status == "failed")
            .order_by(Delivery.id.desc())
            .limit(limit)
        )
        return list(rows.all())
