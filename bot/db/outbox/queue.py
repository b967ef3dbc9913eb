"""Into the outbox and out to a sender: :func:`enqueue` once per key, :func:`claim` with a
lease (see the package's notes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import Delivery, Subscription
from bot.db.outbox.marks import skip
from bot.db.outbox.rows import Claimed, Planned

__all__ = ["claim", "enqueue"]

_CHUNK = 500


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
                claimed.append(_claimed(row, owner, lease_until))
        for ids, reason in ((expired, "expired"), (unsubscribed, "unsubscribed")):
            if ids:
                await session.execute(skip(Delivery.id.in_(ids), reason))
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


# The columns a claimed row carries as they are (the rest: see _claimed).
_COPIED = (
    "id key kind item_slug occurrence platform chat_id user_id subscription_id language "
    "attempts expires_at"
).split()


def _claimed(row: Any, owner: str, lease_until: datetime) -> Claimed:
    return Claimed(
        **{name: getattr(row, name) for name in _COPIED},
        payload=dict(row.payload or {}),
        due_at=row.next_attempt_at,
        lease_owner=owner,
        lease_until=lease_until,
    )
