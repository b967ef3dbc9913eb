"""Senders: claim due deliveries of one platform, pace, send, and mark each one at once.

One :class:`DeliveryWorker` per platform and process. A claimer task leases small batches
(:func:`bot.db.outbox.claim`) into a queue; ``concurrency`` tasks take rows from it, wait for
the :class:`~scheduler.pacing.Pacer`, call the platform's :class:`~bot.core.ports.Sender`, and
record the outcome right away:

- ok → ``sent``;
- ``retry_after`` (429) → the chat *and* the whole platform pause for that long (Telegram's
  answer does not say whether the chat's limit or the bot's was hit): nothing more is sent,
  not even the slots the pacer had booked, until it has passed; the row goes back to pending
  without using up an attempt (it is still bounded by ``expires_at``);
- ``permanent`` (Forbidden, channel_not_found, account_inactive) → ``failed``; the chat's
  subscriptions are deactivated and its other pending rows skipped;
- any other error (network, 5xx) → retried with exponential backoff, ``failed`` after
  ``max_attempts``.

A row whose lease ran out while it waited in the queue is dropped unsent (another sender may
hold it now), so a slow queue never makes two senders send it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.core.messages import Address
from bot.core.ports import Clock, Sender, SendResult
from bot.db import outbox
from bot.db.engine import Database
from bot.db.outbox import Claimed
from scheduler.pacing import Pacer
from scheduler.policy import SendPolicy, policy_for
from scheduler.render import Renderer

# SendPolicy and policy_for live in scheduler.policy; they are offered here too, beside the
# worker they configure.
__all__ = ["DeliveryWorker", "SendPolicy", "WorkerStats", "policy_for"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_LOCKS: weakref.WeakKeyDictionary[Database, asyncio.Lock] = weakref.WeakKeyDictionary()


def _write_lock(db: Database) -> asyncio.Lock:
    """One lock per SQLite database per process, shared by every worker."""
    lock = _LOCKS.get(db)
    if lock is None:
        lock = _LOCKS[db] = asyncio.Lock()
    return lock


@dataclass
class WorkerStats:
    """What a worker did since it started."""

    sent: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    gone: int = 0
    skipped: int = 0
    stale: int = 0
    errors: list[str] = field(default_factory=list)


class DeliveryWorker:
    """Delivers one platform's outbox rows with a :class:`Sender`.

    Args:
        db: The database.
        sender: The platform's sender (Telegram, Slack, console or a fake).
        renderer: Turns rows into messages.
        clock: The bot's clock (timestamps in the database, due times, expiry).
        policy: Pacing and retry settings.
        owner: This worker's lease owner name (unique per process).
        monotonic, sleep: Time for pacing and backoff waits; tests pass fakes.
    """

    def __init__(
        self,
        db: Database,
        sender: Sender,
        renderer: Renderer,
        clock: Clock,
        policy: SendPolicy | None = None,
        *,
        owner: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.sender = sender
        self.platform = sender.platform
        self.renderer = renderer
        self.clock = clock
        self.policy = policy or policy_for(self.platform)
        self.owner = owner or f"{self.platform}-{uuid.uuid4().hex[:12]}"
        self.pacer = Pacer(self.policy.rate, self.policy.per_chat, monotonic=monotonic, sleep=sleep)
        self.stats = WorkerStats()
        self._sleep = sleep
        self._wake = asyncio.Event()
        self._queue: asyncio.Queue[Claimed] = asyncio.Queue()
        self._held: set[int] = set()
        self._idle = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._lock = _write_lock(db) if db.is_sqlite else None
        self._warm, self._warming = asyncio.Event(), False
        self._marks: list[tuple[int, asyncio.Future[None]]] = []
        self._marker: asyncio.Task[None] | None = None

    async def _db(self, call: Callable[..., Awaitable[_T]], *args: Any, **kwargs: Any) -> _T:
        # SQLite has one writer at a time; when this process's tasks queue on an asyncio lock
        # instead of SQLite's busy handler (which sleeps in steps of up to 100 ms), a mark
        # takes a millisecond or two instead of tens.
        if self._lock is None:
            return await call(*args, **kwargs)
        async with self._lock:
            return await call(*args, **kwargs)

    async def _mark_sent(self, delivery_id: int) -> None:
        # Group commit: every row sent while the previous commit ran is marked in the next
        # one. Each task still waits for its own row's commit before taking another row, so
        # no more than ``concurrency`` rows are ever sent-but-not-marked.
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._marks.append((delivery_id, future))
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._flush_marks())
        await future

    async def _flush_marks(self) -> None:
        while self._marks:
            batch, self._marks = self._marks, []
            try:
                await self._db(
                    outbox.mark_sent_many, self.db, [i for i, _ in batch], now=self.clock.now()
                )
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)

    @property
    def name(self) -> str:
        return f"sender:{self.platform}"

    def wake(self) -> None:
        """Look for due rows now (the planner just enqueued some)."""
        self._wake.set()

    # -- one delivery -------------------------------------------------------------------------

    async def deliver(self, row: Claimed) -> str:
        """Pace, send and record one claimed row; returns its new status."""
        now = self.clock.now()
        if now >= row.lease_until:
            self.stats.stale += 1
            return "stale"
        if row.expires_at is not None and now >= row.expires_at:
            await self._db(outbox.mark_skipped, self.db, row.id, reason="expired")
            self.stats.skipped += 1
            return "skipped"
        try:
            reply = self.renderer.render(row, now)
        except Exception as exc:
            log.exception("rendering delivery %s failed", row.id)
            await self._db(
                outbox.mark_failed, self.db, row, now=now, error=f"render: {exc!r}"[:200]
            )
            self.stats.failed += 1
            return "failed"
        if reply is None:
            await self._db(outbox.mark_skipped, self.db, row.id, reason="nothing to say")
            self.stats.skipped += 1
            return "skipped"
        await self.pacer.acquire(row.chat_id)
        if self.clock.now() >= row.lease_until:
            self.stats.stale += 1
            return "stale"
        try:
            result = await self.sender.send(Address(row.platform, row.chat_id), reply)
        except Exception as exc:  # a sender must not raise; treat it as a transient error
            log.exception("sender %s raised", self.platform)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:200])
        now = self.clock.now()
        if result.ok:
            await self._mark_sent(row.id)
            self.stats.sent += 1
            return "sent"
        if result.permanent:
            await self._db(
                outbox.recipient_gone, self.db, row, now=now, error=result.error or "permanent"
            )
            self.stats.gone += 1
            return "failed"
        # Rate limited or failed: the row goes back for later, on one path. A 429 pauses the
        # chat and the whole platform and uses no attempt (the message itself is fine).
        limited = result.retry_after is not None
        if limited:
            delay = max(0.0, float(result.retry_after or 0.0))
            self.pacer.pause(delay, row.chat_id)
            self.pacer.pause(delay)
            error = f"rate limited: retry after {delay:g}s"
        else:
            backoff = self.policy.backoff_base * 2 ** min(row.attempts, 16)
            delay = min(self.policy.backoff_max, backoff) * random.uniform(0.8, 1.2)
            error = result.error or "error"
        status = await self._db(
            outbox.mark_retry,
            self.db,
            row,
            now=now,
            delay=delay,
            error=error,
            count_attempt=not limited,
            max_attempts=self.policy.max_attempts,
        )
        if limited:
            self.stats.rate_limited += 1
        elif status == "failed":
            self.stats.failed += 1
            log.warning(
                "delivery %s failed after %s attempts: %s", row.id, row.attempts + 1, result.error
            )
        else:
            self.stats.retried += 1
        return status

    async def _claim(self) -> list[Claimed]:
        """Lease the next batch of this platform's due rows (one claim for both loops)."""
        return await self._db(
            outbox.claim,
            self.db,
            self.platform,
            owner=self.owner,
            now=self.clock.now(),
            limit=self.policy.batch,
            lease_seconds=self.policy.lease_seconds,
        )

    # -- draining (tests, CLI) ----------------------------------------------------------------

    async def drain(self, *, max_rounds: int = 1_000_000) -> WorkerStats:
        """Send everything due now, one claim batch at a time; returns the stats."""
        for _ in range(max_rounds):
            rows = await self._claim()
            if not rows:
                break
            if self.policy.concurrency <= 1:
                for row in rows:
                    await self.deliver(row)
            else:
                await self._deliver_all(rows)
        return self.stats

    async def _deliver_all(self, rows: list[Claimed]) -> None:
        if not self._warm.is_set():
            self._warm.set()
            await self.deliver(rows.pop(0))
        queue: asyncio.Queue[Claimed] = asyncio.Queue()
        for row in rows:
            queue.put_nowait(row)

        async def work() -> None:
            while not queue.empty():
                await self.deliver(queue.get_nowait())

        await asyncio.gather(*(work() for _ in range(min(self.policy.concurrency, len(rows)))))

    # -- running ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the claimer and the send tasks in the background."""
        self._stopping = False
        self._warm, self._warming = asyncio.Event(), False
        self._tasks = [asyncio.create_task(self._claimer(), name=f"{self.name}:claim")]
        self._tasks += [
            asyncio.create_task(self._sender_task(), name=f"{self.name}:{n}")
            for n in range(self.policy.concurrency)
        ]

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop: let messages in flight finish (up to ``grace`` seconds), then give back the
        leases of rows not sent yet so that other senders need not wait for them to expire."""
        self._stopping = True
        self._wake.set()
        if self._held:
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=grace)
            except TimeoutError:
                log.warning("%s: %d message(s) still in flight at stop", self.name, len(self._held))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        left = []
        while not self._queue.empty():
            left.append(self._queue.get_nowait().id)
        left.extend(self._held)
        self._held.clear()
        if left:
            try:
                await self._db(outbox.release, self.db, left, owner=self.owner)
            except Exception:
                log.exception("releasing leases failed")

    async def run_until(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set (for ``python -m bot clock``-like callers and tests)."""
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    async def _claimer(self) -> None:
        low_water = max(1, self.policy.batch // 2)
        while not self._stopping:
            try:
                if self._queue.qsize() < low_water:
                    rows = await self._claim()
                    for row in rows:
                        self._queue.put_nowait(row)
                    if rows:
                        continue
                await self._wait(self.policy.poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("claiming %s deliveries failed", self.platform)
                await self._wait(max(5.0, self.policy.poll_seconds))

    async def _wait(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def _sender_task(self) -> None:
        while not self._stopping:
            row = await self._queue.get()
            if self._queue.qsize() < max(1, self.policy.batch // 2):
                self._wake.set()  # the claimer tops the queue up before it runs dry
            if self._stopping:
                self._queue.put_nowait(row)
                return
            self._held.add(row.id)
            self._idle.clear()
            # The first message goes alone: it opens the connection (and, for Telegram,
            # checks the token), and the others would otherwise wait for that and then
            # reach the platform together, over its limit.
            first = not self._warming
            self._warming = True
            try:
                if not first:
                    await self._warm.wait()
                await self.deliver(row)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database hiccuped while recording: the lease will expire and the row
                # will be claimed again (it may then be sent a second time: logged loudly).
                log.exception("delivery %s: recording the outcome failed", row.id)
                await self._sleep(1.0)
            finally:
                if first:
                    self._warm.set()
                self._held.discard(row.id)
                if not self._held:
                    self._idle.set()
