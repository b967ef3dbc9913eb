"""Inbound deduplication: each Telegram ``update_id`` / Slack ``event_id`` is handled once.

Telegram and Slack both retry deliveries they think failed, and several ``web`` processes
behind a load balancer may each receive a copy. The database decides: the first process to
insert ``(platform, update_id)`` handles the update, every later one sees it as a repeat.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.db.engine import Database
from bot.db.models import InboundUpdate, utcnow

__all__ = ["DEFAULT_KEEP", "prune_inbound", "seen_before"]

# Telegram keeps undelivered updates for 24 hours and Slack retries within minutes:
# a week of memory is plenty.
DEFAULT_KEEP = timedelta(days=7)


async def seen_before(db: Database, platform: str, update_id: str) -> bool:
    """Record ``(platform, update_id)``; ``True`` if it was already recorded (a repeat).

    One atomic ``INSERT … ON CONFLICT DO NOTHING``: of several processes racing on the
    same update, exactly one gets ``False`` and should handle it.
    """
    statement = (
        db.insert(InboundUpdate)
        .values(platform=platform, update_id=str(update_id), received_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
        .returning(InboundUpdate.update_id)
    )
    async with db.write() as session:
        inserted = (await session.execute(statement)).first()
    return inserted is None


async def prune_inbound(
    db: Database, *, keep: timedelta = DEFAULT_KEEP, now: datetime | None = None
) -> int:
    """Forget updates received more than ``keep`` ago; returns how many rows went."""
    cutoff = (now or utcnow()) - keep
    async with db.write() as session:
        result = await session.execute(
            delete(InboundUpdate).where(InboundUpdate.received_at < cutoff)
        )
    return result.rowcount or 0
