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

from collections.abc import Mapping

from sqlalchemy import update

from bot.db.batches import Batcher
from bot.db.engine import Database
from bot.db.models import User

__all__ = ["UserWriter"]


class UserWriter:
    """Pending changes to users' rows, written in batches.

    Args:
        db: Where the rows live.
        delay: Seconds between the first queued change and the write (more changes join).
        retry_delay: Seconds before trying again after a failed write (changes are kept).
    """

    def __init__(self, db: Database, *, delay: float = 0.25, retry_delay: float = 5.0) -> None:
        self.db = db
        self._batches: Batcher[int, dict[str, object]] = Batcher(
            "user-writes", self._write, delay=delay, retry_delay=retry_delay, merge=_merged
        )

    @property
    def pending(self) -> int:
        """How many users have changes not written yet."""
        return self._batches.pending

    def later(self, user_id: int, values: Mapping[str, object]) -> None:
        """Queue ``values`` for the user's row; newer values replace queued ones."""
        self._batches.later(user_id, dict(values))

    async def now(self, user_id: int, values: Mapping[str, object]) -> None:
        """Write ``values`` (and everything queued) before returning."""
        self._batches.later(user_id, dict(values))
        await self.flush()

    async def flush(self) -> None:
        """Write everything queued, in one transaction; on failure nothing queued is lost."""
        await self._batches.flush()

    async def close(self) -> None:
        """Stop the timer and write what is queued."""
        await self._batches.close()

    async def _write(self, batch: dict[int, dict[str, object]]) -> None:
        rows = [{"id": user_id, **values} for user_id, values in batch.items()]
        async with self.db.write() as session:
            # ORM bulk UPDATE by primary key: grouped by the set of columns changed.
            await session.execute(update(User), rows)


def _merged(old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
    return {**old, **new}
