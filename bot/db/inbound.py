"""Inbound deduplication: each Telegram ``update_id`` / Slack ``event_id`` is handled once.

Telegram and Slack both retry deliveries they think failed, and several ``web`` processes
behind a load balancer may each receive a copy. The database decides: the first process to
insert ``(platform, update_id)`` handles the update, every later one sees it as a repeat.

:func:`seen_before` records one id per transaction. :class:`InboundLedger` is what the
adapters use: ids that arrive together (a ``getUpdates`` batch, a burst of Slack events)
are recorded in one ``INSERT … ON CONFLICT DO NOTHING RETURNING``, because each transaction
costs far more than the rows in it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.db.engine import Database
from bot.db.models import InboundUpdate, utcnow

__all__ = ["DEFAULT_KEEP", "MAX_BATCH", "InboundLedger", "prune_inbound", "seen_before"]

# Telegram keeps undelivered updates for 24 hours and Slack retries within minutes:
# a week of memory is plenty.
DEFAULT_KEEP = timedelta(days=7)
# Rows per INSERT: well under SQLite's and asyncpg's bound-parameter limits (3 per row).
MAX_BATCH = 500
# The column is 64 characters wide; Slack's event ids are ~11, Telegram's update ids ~10.
_ID_WIDTH = 64


async def seen_before(db: Database, platform: str, update_id: str) -> bool:
    """Record ``(platform, update_id)``; ``True`` if it was already recorded (a repeat).

    One atomic ``INSERT … ON CONFLICT DO NOTHING``: of several processes racing on the
    same update, exactly one gets ``False`` and should handle it.
    """
    return str(update_id)[:_ID_WIDTH] not in await _record(db, platform, [str(update_id)])


async def _record(db: Database, platform: str, ids: list[str]) -> set[str]:
    """Insert the ids not recorded yet; returns those this call inserted."""
    now = utcnow()
    rows = [{"platform": platform, "update_id": i[:_ID_WIDTH], "received_at": now} for i in ids]
    # On the table, not the ORM class: many rows through the ORM's bulk-insert machinery
    # cost more than the statement itself.
    table = InboundUpdate.__table__
    statement = db.insert_if_absent(table, key=("platform", "update_id")).returning(
        table.c.update_id
    )
    async with db.write() as session:
        # Rows as parameters (not VALUES in the statement): SQLAlchemy compiles the statement
        # once and sends the rows in multi-row batches ("insertmanyvalues").
        return set((await session.scalars(statement, rows)).all())


class InboundLedger:
    """Records inbound ids of one platform, many per transaction.

    Args:
        db: The database that decides (shared by every process).
        platform: ``"telegram"`` or ``"slack"``.
        max_batch: Most ids written by one statement.
    """

    def __init__(self, db: Database, platform: str, *, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self.platform = platform
        self.max_batch = max_batch
        self._waiting: list[tuple[str, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def fresh(self, ids: Iterable[str]) -> list[bool]:
        """Record ``ids`` together; for each, ``True`` if this is its first delivery.

        An id repeated within ``ids`` is fresh at most once (its first occurrence).
        """
        futures = [self._enqueue(str(update_id)) for update_id in ids]
        return [not repeat for repeat in await asyncio.gather(*futures)]

    async def seen_before(self, update_id: str) -> bool:
        """``True`` if ``update_id`` was recorded already (here or by another process).

        Ids asked about while a write is under way are written together by the next one.
        """
        return await self._enqueue(str(update_id))

    def _enqueue(self, update_id: str) -> asyncio.Future[bool]:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id[:_ID_WIDTH], future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name=f"{self.platform}-ledger")
        return future

    async def _write(self) -> None:
        await asyncio.sleep(0)  # let ids arriving in the same moment join this batch
        while self._waiting:
            batch = self._waiting[: self.max_batch]
            del self._waiting[: self.max_batch]
            try:
                ids = list(dict.fromkeys(update_id for update_id, _ in batch))
                fresh = await _record(self.db, self.platform, ids)
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for update_id, future in batch:
                if future.done():  # cancelled: a later copy of this id may still handle it
                    continue
                # The first waiter for a new id handles it; later copies are repeats.
                future.set_result(update_id not in fresh)
                fresh.discard(update_id)


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
