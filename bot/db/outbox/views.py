"""The outbox seen by staff: how many deliveries in each status, the failed ones."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.models import Delivery
from bot.db.outbox.rows import STATUSES

__all__ = ["counts", "failed_deliveries"]


async def counts(db: Database, *, platform: str | None = None) -> dict[str, int]:
    """How many deliveries are in each status."""
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
    if platform is not None:
        query = query.where(Delivery.platform == platform)
    async with db.read() as session:
        found = {status: int(n) for status, n in (await session.execute(query)).all()}
    return {status: found.get(status, 0) for status in STATUSES} | found


async def failed_deliveries(db: Database, *, limit: int = 50) -> list[Delivery]:
    """The most recent failed deliveries, for staff."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Delivery)
            .where(Delivery.status == "failed")
            .order_by(Delivery.id.desc())
            .limit(limit)
        )
        return list(rows.all())
