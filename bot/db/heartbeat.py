"""Heartbeats: the last sign of life of a process type, readable by /healthz and staff stats.

The clock calls ``beat(db, "clock", {...})`` on every tick; ``last(db, "clock")`` tells an
operator when that was. Rows live in the ``heartbeats`` table (one per name), which the
content loader also uses for its own bookkeeping under the names ``plan`` and ``content``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.db.engine import Database
from bot.db.models import Heartbeat, utcnow

__all__ = ["Beat", "beat", "last"]


@dataclass(frozen=True)
class Beat:
    """One heartbeat as read back."""

    name: str
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)

    def age(self, now: datetime | None = None) -> timedelta:
        """How long ago the beat was."""
        return (now or utcnow()) - self.at


async def beat(
    db: Database, name: str, detail: dict[str, Any] | None = None, *, at: datetime | None = None
) -> None:
    """Record that ``name`` is alive now (an upsert: one row per name, last write wins)."""
    at = at or utcnow()
    detail = dict(detail or {})
    insert = db.insert(Heartbeat).values(name=name, at=at, detail=detail)
    statement = insert.on_conflict_do_update(
        index_elements=["name"], set_={"at": insert.excluded.at, "detail": insert.excluded.detail}
    )
    async with db.write() as session:
        await session.execute(statement)


async def last(db: Database, name: str) -> Beat | None:
    """The last heartbeat of ``name``, or ``None`` if it never beat."""
    async with db.read() as session:
        row = await session.get(Heartbeat, name)
        if row is None:
            return None
        return Beat(name=row.name, at=row.at, detail=dict(row.detail or {}))
