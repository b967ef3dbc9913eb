"""The clock: APScheduler as a wake-up timer for the planner, plus the senders.

APScheduler holds no state here: its jobs only call :meth:`TickService.tick`, which plans
from the database (:class:`~scheduler.planner.Planner`) and wakes the senders. Two jobs:
an interval tick every ``tick_seconds`` (30 s by default) and a cron tick at two seconds past
every hour, so that 09:00 sends go out at 09:00:02 rather than up to a tick later. Both run
with ``max_instances=1`` and ``coalesce=True``, and a lock keeps the two from overlapping;
``misfire_grace_time=None`` means a late tick still runs (and, being idempotent, plans exactly
what the missed ones would have).

:func:`clock_services` returns the tick service and one
:class:`~scheduler.senders.DeliveryWorker` per sender it is handed; ``python -m bot clock``
runs them alone, ``python -m bot run`` with the adapters. The scheduler knows senders only by
the :class:`~bot.core.ports.Sender` port: the composition root (:func:`bot.app.build_senders`)
builds the platforms' senders and hands them over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.ports import Sender
from bot.db.heartbeat import beat
from bot.db.leases import LeasedService
from scheduler.planner import Planner
from scheduler.policy import SendPolicy, policy_for
from scheduler.render import Renderer
from scheduler.senders import DeliveryWorker

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["TickService", "clock_services", "make_workers"]

log = logging.getLogger(__name__)


def make_workers(
    app: App,
    senders: Sequence[Sender],
    policies: dict[str, SendPolicy] | None = None,
) -> list[DeliveryWorker]:
    """One delivery worker per sender, rendering with the app's content and texts, paced
    and leased as the settings say (unless ``policies`` names a platform's policy)."""
    renderer = Renderer(app.catalog, lambda: app.content.index, app.settings.timezone)
    policies = policies or {}
    return [
        DeliveryWorker(
            app.db,
            sender,
            renderer,
            app.clock,
            policies.get(sender.platform) or policy_for(sender.platform, app.settings),
        )
        for sender in senders
    ]


class TickService:
    """Ticks the planner on an AsyncIOScheduler and wakes the workers after each tick.

    Args:
        app: The assembled bot.
        wake: Called after each tick that enqueued something (the workers' ``wake``).
        tick_seconds: Interval of the regular tick (``BOT_TICK_SECONDS``).
        reload_content: Whether each tick reloads changed content files (and tells
            subscribers of the changes).
    """

    name = "clock"

    def __init__(
        self,
        app: App,
        *,
        wake: Sequence[Callable[[], None]] = (),
        tick_seconds: float | None = None,
        reload_content: bool = True,
    ) -> None:
        self.app = app
        self.planner = Planner(app.db, lambda: app.content.index, app.settings, app.clock)
        self._wake = list(wake)
        self.tick_seconds = tick_seconds or app.settings.tick_seconds
        self.reload_content = reload_content
        self._lock = asyncio.Lock()
        self.scheduler: AsyncIOScheduler | None = None
        self.ticks = 0

    async def tick(self) -> None:
        """Reload changed content, plan what is due, record the heartbeat, wake the senders."""
        async with self._lock:
            enqueued = 0
            if self.reload_content:
                try:
                    result = await self.app.content.sync()
                    if result is not None and result.changes:
                        enqueued += await self.planner.plan_changes(result.changes)
                except Exception:
                    log.exception("content reload failed; planning with the content as it was")
            try:
                report = await self.planner.tick()
            except Exception:
                log.exception("planning failed; the next tick will plan the same window again")
                return
            enqueued += report.inserted
            self.ticks += 1
            detail: dict[str, Any] = {
                "planned": report.planned,
                "enqueued": enqueued,
                "missed": report.missed,
            }
            try:
                await beat(self.app.db, "clock", detail, at=self.app.clock.now())
            except Exception:
                log.exception("heartbeat failed")
            if enqueued:
                log.info("clock: %d deliveries enqueued (%s)", enqueued, dict(report.by_kind))
                for wake in self._wake:
                    wake()

    async def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=self.app.settings.tz)
        options: dict[str, Any] = {
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": None,
        }
        scheduler.add_job(self.tick, "interval", seconds=self.tick_seconds, id="tick", **options)
        scheduler.add_job(self.tick, "cron", minute=0, second=2, id="hourly", **options)
        scheduler.start()
        self.scheduler = scheduler
        # A first tick at once: what fell due while the bot was down goes out now.
        asyncio.get_running_loop().create_task(self.tick())

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        # Wait for a running tick to finish before the caller closes the database.
        await self._lock.acquire()
        self._lock.release()


class _SenderCloser:
    """Closes the senders' HTTP clients after the workers stopped."""

    name = "senders"

    def __init__(self, senders: Sequence[Sender]) -> None:
        self.senders = list(senders)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for sender in self.senders:
            close = getattr(sender, "close", None)
            if close is not None:
                try:
                    await close()
                except Exception:
                    log.exception("closing the %s sender failed", sender.platform)


def clock_services(app: App, senders: Sequence[Sender]) -> list[Any]:
    """The clock's services in start order: the senders' closer, the workers, the ticks.

    (Stopped in reverse: ticks first, then the workers, then the HTTP clients.)

    Args:
        app: The assembled bot.
        senders: One sender per platform to deliver to (:func:`bot.app.build_senders`).
    """
    workers = make_workers(app, senders)
    ticks = TickService(app, wake=[w.wake for w in workers])
    # One sending process per platform across all processes (the sender lease): its pacer is
    # then the bot's whole rate; other clock processes stand by (docs/scaling.md).
    ttl = app.settings.sender_lease_seconds
    leased = [LeasedService(app.db, f"sender:{w.platform}", w, ttl=ttl) for w in workers]
    return [_SenderCloser(senders), *leased, ticks]
