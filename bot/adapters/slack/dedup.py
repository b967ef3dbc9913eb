"""Each Slack event once: its ``event_id`` is recorded in ``inbound_updates`` before handling.

Same rule as :func:`bot.db.inbound.seen_before` — one ``INSERT … ON CONFLICT DO NOTHING``
decides, so retries (``X-Slack-Retry-Num``) and copies received by other processes are
dropped — but the ids that arrive while a write is in flight are recorded together in the
next single statement. At low load that is one row per transaction, as before; under a burst
it saves a transaction (and SQLite's write lock) per event.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.dialects import postgresql, sqlite

from bot.db.engine import Database
from bot.db.models import InboundUpdate, utcnow

__all__ = ["EventLedger"]

log = logging.getLogger(__name__)

MAX_BATCH = 500


class EventLedger:
    """Records inbound ids for ``platform``; :meth:`seen_before` says whether one is a repeat."""

    def __init__(self, db: Database, platform: str = "slack") -> None:
        self._db = db
        self._platform = platform
        self._waiting: list[tuple[str, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def seen_before(self, update_id: str) -> bool:
        """``True`` if ``update_id`` was recorded already (here or by another process)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((str(update_id)[:64], future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                fresh = await self._insert(list(dict.fromkeys(i for i, _ in batch)))
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for update_id, future in batch:
                if future.done():
                    continue
                # The first waiter for a new id handles it; later copies are repeats.
                future.set_result(update_id not in fresh)
                fresh.discard(update_id)

    async def _insert(self, ids: list[str]) -> set[str]:
        dialect = sqlite if self._db.is_sqlite else postgresql
        now = utcnow()
        statement = (
            dialect.insert(InboundUpdate)
            .values([{"platform": self._platform, "update_id": i, "received_at": now} for i in ids])
            .on_conflict_do_nothing(index_elements=["platform", "update_id"])
            .returning(InboundUpdate.update_id)
        )
        async with self._db.write() as session:
            rows = (await session.execute(statement)).all()
        return {row[0] for row in rows}
