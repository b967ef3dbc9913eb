"""The audit log: every staff action, and every refused attempt at one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import AuditEntry, utcnow

__all__ = ["recent", "record"]


async def record(
    db: Database,
    *,
    platform: str,
    actor: str,
    action: str,
    target: str | None = None,
    recipients: int = 0,
    allowed: bool = True,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Write one audit entry (in its own transaction, so a failed action is still logged)."""
    async with db.write() as session:
        session.add(
            AuditEntry(
                at=at or utcnow(),
                platform=platform[:16],
                actor=actor[:64],
                action=action[:48],
                target=target[:64] if target else None,
                recipients=recipients,
                allowed=allowed,
                detail=dict(detail or {}),
            )
        )


async def recent(db: Database, *, limit: int = 20) -> list[AuditEntry]:
    """The latest entries, newest first."""
    async with db.read() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return list(rows.all())
