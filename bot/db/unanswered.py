"""The unanswered log: what members asked that the bot did not understand.

Each entry holds the text, its language, the platform and when; never who asked. Entries are
written a moment after the reply, many per transaction; a "did you mean" the member then
picked is taken out again (:meth:`UnansweredLog.forget`); entries older than 90 days are
deleted. Staff read the most frequent of the last 30 days (``/unanswered``), so content and
vocabulary grow from what members actually ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from bot.db.batches import Batcher
from bot.db.engine import Database
from bot.db.models import Unanswered

__all__ = ["KEEP", "Asked", "UnansweredLog"]

# How long entries are kept.
KEEP = timedelta(days=90)
_PRUNE_EVERY = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Asked:
    """A question asked, how often, in what language, and when last.

    Attributes:
        text: The text as one member wrote it (the most recent spelling).
        language: Its language.
        count: How many times it was asked (folded: case and accents aside).
        last: When it was last asked.
    """

    text: str
    language: str
    count: int
    last: datetime


class UnansweredLog:
    """Records unanswered messages and reads the most frequent ones.

    Args:
        db: Where entries are stored.
        delay: Seconds between a reply and the write of its entry.
    """

    def __init__(self, db: Database, *, delay: float = 0.25) -> None:
        self.db = db
        # A token's entry to insert (a dict), or None to delete an entry already written.
        self._writes: Batcher[str, dict[str, object] | None] = Batcher(
            "unanswered-writes", self._write, delay=delay
        )
        self._pruned_at: datetime | None = None

    def record(
        self, text: str, *, key: str, language: str, platform: str, kind: str, at: datetime
    ) -> str:
        """Queue an entry; returns its token (to :meth:`forget` it if the member picks).

        Args:
            text: The message as written.
            key: What counts as the same question ("Qué es X" and "que es x" alike): the
                caller folds it, the database layer decides nothing.
            language: Its language.
            platform: Where it was asked.
            kind: ``fallback`` or ``did_you_mean``.
            at: When.
        """
        token = uuid.uuid4().hex
        clipped = " ".join(text.split())[:500]
        self._writes.later(
            token,
            {
                "token": token,
                "text": clipped,
                "folded": " ".join(key.split())[:500],
                "language": language,
                "platform": platform,
                "kind": kind,
                "at": at,
            },
        )
        return token

    def forget(self, token: str) -> None:
        """Take an entry out again (the member picked one of the names offered)."""
        if not self._writes.drop(token):
            self._writes.later(token, None)

    async def most_asked(self, *, since: datetime, limit: int = 10) -> list[Asked]:
        """The most frequent unanswered texts since ``since``, most asked first."""
        await self._writes.flush()
        count = func.count(Unanswered.id)
        last = func.max(Unanswered.at)
        statement = (
            select(Unanswered.folded, Unanswered.language, count, last)
            .where(Unanswered.at >= since)
            .group_by(Unanswered.folded, Unanswered.language)
            .order_by(count.desc(), last.desc())
            .limit(limit)
        )
        async with self.db.read() as session:
            groups = (await session.execute(statement)).all()
            found = []
            for folded, language, n, at in groups:
                text = await session.scalar(
                    select(Unanswered.text)
                    .where(Unanswered.folded == folded, Unanswered.language == language)
                    .order_by(Unanswered.at.desc())
                    .limit(1)
                )
                found.append(Asked(text or folded, language, int(n), _utc(at)))
        return found

    async def flush(self) -> None:
        """Write every entry queued."""
        await self._writes.flush()

    async def close(self) -> None:
        """Write what is queued and stop."""
        await self._writes.close()

    async def prune(self, *, now: datetime) -> int:
        """Delete entries older than :data:`KEEP`; how many went."""
        async with self.db.write() as session:
            result = await session.execute(delete(Unanswered).where(Unanswered.at < now - KEEP))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def _write(self, batch: dict[str, dict[str, object] | None]) -> None:
        rows = [row for row in batch.values() if row is not None]
        gone = [token for token, row in batch.items() if row is None]
        async with self.db.write() as session:
            if rows:
                await session.execute(Unanswered.__table__.insert(), rows)
            if gone:
                await session.execute(delete(Unanswered).where(Unanswered.token.in_(gone)))
        newest = max((r["at"] for r in rows), default=None)
        if isinstance(newest, datetime) and (
            self._pruned_at is None or newest - self._pruned_at >= _PRUNE_EVERY
        ):
            self._pruned_at = newest
            await self.prune(now=newest)


def _utc(at: datetime) -> datetime:
    # The UTCDateTime type is lost in an aggregate on SQLite: naive values come back.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
