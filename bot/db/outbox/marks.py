"""What came of a send, recorded right after it: sent, back for a retry, failed, skipped, or
the lease given back; and a chat that is gone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.db.engine import Database
from bot.db.models import Delivery
from bot.db.outbox.rows import Claimed
from bot.db.subscriptions import deactivate_chat

__all__ = [
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "mark_sent_many",
    "mark_skipped",
    "recipient_gone",
    "release",
    "skip",
]


def _mine(delivery_id: int) -> Any:
    return (Delivery.id == delivery_id) & (Delivery.status == "pending")


# A row no sender holds any more: the values every final mark and every skip write.
_UNLEASED = {"lease_owner": None, "lease_until": None}


def skip(condition: Any, reason: str) -> Any:
    """The one statement that records rows as ``skipped`` (with why), for every skip."""
    return (
        update(Delivery)
        .where(condition)
        .values(status="skipped", last_error=reason[:500], **_UNLEASED)
    )


async def mark_sent(db: Database, delivery_id: int, *, now: datetime) -> bool:
    """Record that the platform accepted the message (call right after the API call)."""
    return bool(await mark_sent_many(db, [delivery_id], now=now))


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
                last_error=None,
                **_UNLEASED,
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
                last_error=error[:500],
                **_UNLEASED,
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
            last_error=error[:500],
            **_UNLEASED,
        )
    )


async def mark_failed(db: Database, delivery: Claimed, *, now: datetime, error: str) -> None:
    """Give up on a delivery (visible to staff with its error)."""
    async with db.write() as session:
        await session.execute(_failed(delivery, error))


async def mark_skipped(db: Database, delivery_id: int, *, reason: str) -> None:
    """Record that a delivery will not be sent, and why."""
    async with db.write() as session:
        await session.execute(skip(_mine(delivery_id), reason))


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
            .values(**_UNLEASED)
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
        others = (
            (Delivery.platform == delivery.platform)
            & (Delivery.chat_id == delivery.chat_id)
            & (Delivery.status == "pending")
            & (Delivery.id != delivery.id)
        )
        skipped = await session.execute(skip(others, "recipient gone"))
    return subscriptions, int(skipped.rowcount or 0)
