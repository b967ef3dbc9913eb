"""Writes queued by key and made a moment later, many per transaction, nothing lost.

What the bot writes after an answer (the user's inferred facts, the conversation's state,
the unanswered log) need not hold the answer back: it is queued, merged per key, and written
by a timer a moment later in one transaction for every key queued. A failed write keeps its
values (newer ones queued meanwhile win) and is tried again later; :meth:`Batcher.close`
writes what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Batcher"]

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Batcher(Generic[K, V]):
    """Values queued by key and written in batches.

    Args:
        name: What is written, for the timer task's name and the logs ("user writes").
        write: Writes a batch in one transaction (raises to keep it for a later try).
        delay: Seconds between the first queued value and the write (more values join).
        retry_delay: Seconds before trying again after a failed write.
        merge: How a newer value joins a queued one (default: it replaces it).
    """

    def __init__(
        self,
        name: str,
        write: Callable[[dict[K, V]], Awaitable[None]],
        *,
        delay: float = 0.25,
        retry_delay: float = 5.0,
        merge: Callable[[V, V], V] | None = None,
    ) -> None:
        self.name = name
        self._write = write
        self.delay = delay
        self.retry_delay = retry_delay
        self._merge = merge
        self._pending: dict[K, V] = {}
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        """How many keys have values not written yet."""
        return len(self._pending)

    def queued(self, key: K) -> V | None:
        """The value queued for ``key`` and not written yet, if any."""
        return self._pending.get(key)

    def later(self, key: K, value: V) -> None:
        """Queue ``value`` for ``key``; it joins (or replaces) a value already queued."""
        old = self._pending.get(key)
        self._pending[key] = (
            value if old is None or self._merge is None else self._merge(old, value)
        )
        if self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._write_soon(), name=self.name)

    def drop(self, key: K) -> bool:
        """Forget what is queued for ``key``; whether something was."""
        return self._pending.pop(key, None) is not None

    async def flush(self) -> None:
        """Write everything queued, in one transaction; on failure nothing queued is lost."""
        async with self._lock:  # batches leave in the order they were queued
            batch, self._pending = self._pending, {}
            if not batch:
                return
            try:
                await self._write(batch)
            except BaseException:
                for key, value in batch.items():  # newer values queued meanwhile win
                    newer = self._pending.get(key)
                    if newer is None:
                        self._pending[key] = value
                    elif self._merge is not None:
                        self._pending[key] = self._merge(value, newer)
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
                # Shielded: cancelling the timer (close()) must not cut a transaction short
                # (an aiosqlite transaction cut short keeps SQLite's write lock); close()
                # then waits for it on the lock.
                await asyncio.shield(self.flush())
                delay = self.delay
            except Exception:
                log.warning(
                    "%s: writing %d failed; trying again in %.0fs",
                    self.name,
                    len(self._pending),
                    self.retry_delay,
                    exc_info=True,
                )
                delay = self.retry_delay
