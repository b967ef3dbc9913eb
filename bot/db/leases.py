"""Named leases: one process at a time does a job, and another takes over if it dies.

Used for the **sender lease**: whichever process holds ``sender:telegram`` is the only one
sending Telegram messages, so its in-process :class:`~scheduler.pacing.Pacer` (overall rate
and 1/s per chat) is the whole bot's rate; the others stand by. The holder renews the lease
every ``ttl / 3``; if it is killed, the lease runs out after ``ttl`` and a standby takes it.
(Why this rather than a shared budget in the database: docs/scaling.md.)

:func:`acquire` is a single ``INSERT … ON CONFLICT (name) DO UPDATE … WHERE`` (the row is
free, expired, or already ours), atomic on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import case, delete, or_

from bot.db.engine import Database
from bot.db.models import Lease, utcnow

__all__ = ["LeaseInfo", "LeasedService", "acquire", "holder", "owner_name", "release"]

log = logging.getLogger(__name__)


def owner_name(prefix: str = "") -> str:
    """A lease owner unique to this process: host, pid and a random part."""
    host = socket.gethostname()[:40]
    return f"{prefix}{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class LeaseInfo:
    """Who holds a lease, until when."""

    name: str
    owner: str
    until: datetime
    acquired_at: datetime

    def held(self, now: datetime | None = None) -> bool:
        """Whether the lease is still running."""
        return self.until > (now or utcnow())


async def acquire(
    db: Database, name: str, owner: str, *, ttl: float, now: datetime | None = None
) -> bool:
    """Take or renew lease ``name`` for ``ttl`` seconds; ``True`` if ``owner`` now holds it.

    Succeeds when nobody holds it, when its holder let it expire, or when ``owner`` already
    holds it (a renewal).
    """
    now = now or utcnow()
    insert = db.insert(Lease).values(
        name=name, owner=owner, until=now + timedelta(seconds=ttl), acquired_at=now
    )
    statement = insert.on_conflict_do_update(
        index_elements=["name"],
        set_={
            "owner": insert.excluded.owner,
            "until": insert.excluded.until,
            # A renewal keeps the time the lease was first taken.
            "acquired_at": case(
                (Lease.owner == insert.excluded.owner, Lease.acquired_at),
                else_=insert.excluded.acquired_at,
            ),
        },
        where=or_(Lease.owner == insert.excluded.owner, Lease.until < now),
    ).returning(Lease.owner)
    async with db.write() as session:
        row = (await session.execute(statement)).first()
    return row is not None and row[0] == owner


async def release(db: Database, name: str, owner: str) -> bool:
    """Give lease ``name`` up (only if ``owner`` holds it), so a standby need not wait."""
    async with db.write() as session:
        result = await session.execute(
            delete(Lease).where(Lease.name == name, Lease.owner == owner)
        )
    return bool(result.rowcount)


async def holder(db: Database, name: str) -> LeaseInfo | None:
    """The lease row of ``name`` (check :meth:`LeaseInfo.held`: it may have expired)."""
    async with db.read() as session:
        row = await session.get(Lease, name)
        if row is None:
            return None
        return LeaseInfo(row.name, row.owner, row.until, row.acquired_at)


class _Service(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LeasedService:
    """Runs ``service`` only while this process holds lease ``lease``.

    A background task tries to take the lease every ``ttl / 3`` seconds (renewing it once
    held). On taking it, ``service.start()``; on losing it (another process took it after
    we failed to renew for ``ttl`` seconds, e.g. the database was unreachable), or when the
    renewals have failed for longer than ``ttl * 0.8`` (we must assume it is lost),
    ``service.stop()``. :meth:`stop` stops the service and releases the lease at once.

    Args:
        db: The database.
        lease: The lease's name, e.g. ``"sender:telegram"``.
        service: What to run (e.g. a :class:`~scheduler.senders.DeliveryWorker`).
        ttl: Seconds a holder that stops renewing keeps the lease (the failover delay).
        owner: This process's owner name (:func:`owner_name` by default).
    """

    def __init__(
        self,
        db: Database,
        lease: str,
        service: _Service,
        *,
        ttl: float = 30.0,
        owner: str | None = None,
    ) -> None:
        self.db = db
        self.lease = lease
        self.service = service
        self.ttl = ttl
        self.owner = owner or owner_name()
        self.name = f"leased:{service.name}"
        self.holding = False
        self.running = False
        self.takeovers = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._last_renewal: float | None = None

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._stop_service()
        if self.holding:
            self.holding = False
            try:
                await release(self.db, self.lease, self.owner)
            except Exception:
                log.exception("releasing lease %s failed (it will expire)", self.lease)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        every = max(0.05, self.ttl / 3)
        while not self._stopping.is_set():
            try:
                held = await acquire(self.db, self.lease, self.owner, ttl=self.ttl)
            except Exception:
                log.exception("renewing lease %s failed", self.lease)
                held = self.holding and (
                    self._last_renewal is not None
                    and loop.time() - self._last_renewal < self.ttl * 0.8
                )
            else:
                if held:
                    self._last_renewal = loop.time()
            if held and not self.running:
                log.info("%s: lease %s taken by %s", self.service.name, self.lease, self.owner)
                self.takeovers += 1
                self.holding = True
                await self.service.start()
                self.running = True
            elif not held and self.running:
                log.warning("%s: lease %s lost; stopping", self.service.name, self.lease)
                self.holding = False
                await self._stop_service()
            self.holding = held
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=every)

    async def _stop_service(self) -> None:
        if self.running:
            self.running = False
            try:
                await self.service.stop()
            except Exception:
                log.exception("stopping %s failed", self.service.name)
