"""The live content index, rebuilt from the database after each (re)load."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.models import Heartbeat, Item
from content.index import ContentIndex
from content.loader import LoadResult, sync_content

__all__ = ["ContentStore"]


class ContentStore:
    """Holds the current :class:`ContentIndex`; swapped atomically on reload."""

    def __init__(self, db: Database, directory: Path) -> None:
        self._db = db
        self.directory = directory
        self._index: ContentIndex | None = None
        self._version: tuple[int, int] | None = None

    @property
    def index(self) -> ContentIndex:
        """The current index (call :meth:`refresh` or :meth:`sync` first)."""
        if self._index is None:
            raise RuntimeError("content not loaded yet")
        return self._index

    async def refresh(self) -> ContentIndex:
        """Rebuild the index from the items table."""
        async with self._db.read() as session:
            rows = (await session.scalars(select(Item))).all()
            plan = await session.get(Heartbeat, "plan")
        self._index = ContentIndex.from_rows(rows, plan.detail if plan else {})
        self._version = (len(rows), sum(row.sequence for row in rows))
        return self._index

    async def version(self) -> tuple[int, int]:
        """``(items, sum of sequences)``: grows with every change, from any process."""
        async with self._db.read() as session:
            count, total = (
                await session.execute(select(func.count(), func.sum(Item.sequence)))
            ).one()
        return int(count or 0), int(total or 0)

    async def sync(self, *, force: bool = False) -> LoadResult | None:
        """Load the files if they changed since the last load, then rebuild the index.

        Raises:
            ContentError: The files are broken; database and index stay as they were.
        """
        result = await sync_content(self._db, self.directory, force=force)
        # Another process may have changed the items (a staff edit, a reload): re-read them then.
        if result is not None or self._index is None or await self.version() != self._version:
            await self.refresh()
        return result
