"""Users' rows written in batches: what the bot infers is saved shortly after the answer.

On most messages nothing about the sender changes. When something does, it is either what
the bot inferred (the language of the last message, the platform's locale, the private chat,
the hourly "last seen") or what the user or the settings decided (an explicit language
choice, the staff role). The inferred facts do not need a transaction before the answer:
they are merged per user and written together a moment later, one transaction for many
users. Decisions are written before the answer (:meth:`UserWriter.now`), after everything
queued, so an older inferred value can never overwrite a newer decision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from sqlalchemy import update

from bot.db.engine import Database
from bot.db.models import User

__all__ = ["UserWriter"]

log = logging.getLogger(__name__)


class UserWriter:
    """Pending changes to users' rows, written in batches.

    Args:
        db: Where the rows live.
        delay: Seconds between the first queued change and the write (more changes join).
        retry_delay: Seconds before trying again after a failed write (changes are kept).
    """

    def __init__(self, db: Database, *, delay: float = 0.25, retry_delay: float = 5.0) -> None:
        self.db = db
        self.delay = delay
        self.retry_delay = retry_delay
        self._pending: dict[int, dict[str, object]] = {}
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        """How many users have changes not written yet."""
        return len(self._pending)

    def later(self, user_id: int, values: Mapping[str, object]) -> None:
        """Queue ``values`` for the user's row; newer values replace queued ones."""
        self._pending.setdefault(user_id, {}).update(values)
        if self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._write_soon(), name="user-writes")

    async def now(self, user_id: int, values: Mapping[str, object]) -> None:
        """Write ``values`` (and everything queued) before returning."""
        self._pending.setdefault(user_id, {}).update(values)
        await self.flush()

    async def flush(self) -> None:
        """Write everything queued, in one transaction; on failure nothing queued is lost."""
        async with self._lock:  # writes leave in the order they were queued
            batch, self._pending = self._pending, {}
            if not batch:
                return
            rows = [{"id": user_id, **values} for user_id, values in batch.items()]
            try:
                async with self.db.write() as session:
                    # ORM bulk UPDATE by primary key: grouped by the set of columns changed.
                    await session.execute(update(User), rows)
            except BaseException:
                for user_id, values in batch.items():  # newer values queued meanwhile win
                    self._pending[user_id] = {**values, **self._pending.get(user_id, {})}
                raise

    async def close(self) -> None:
        """Stop the timer and write what is queued."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
        self._timer = None
        await self.flush()

    async def _write_soon(self) -> None:
        delay = self.delay
        while self._pending:
            await asyncio.sleep(delay)
            try:
                # Shielded: cancelling the timer (close()) must not cut a transaction short;
                # close() then waits for it on the lock.
                await asyncio.shield(self.flush())
                delay = self.delay
            except Exception:
                log.warning(
                    "saving %d user(s) failed; trying again in %.0fs",
                    len(self._pending),
                    self.retry_delay,
                    exc_info=True,
                )
                delay = self.retry_delay
