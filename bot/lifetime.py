"""When a long-running process stops, and how long stopping may take.

A platform that restarts the bot sends SIGTERM and kills it 10 to 30 seconds later (Docker
waits 10 s, Heroku and Kubernetes 30 s). So:

- from the first moment of start-up (before the database is even reached), SIGTERM and
  SIGINT are handled: during start-up they cancel what is starting (a Socket Mode connection,
  a database that does not answer, Telegram's ``getMe``), afterwards they end the wait;
- stopping has :data:`SHUTDOWN_TIMEOUT` seconds in all: the services get them first (messages
  in flight finish, leases are given back), keeping :data:`CLOSE_RESERVE` for the last step,
  which saves the users' pending changes and closes the database; a step that overruns is
  left behind with a WARNING line, and the process still exits, with 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable
from types import TracebackType
from typing import TypeVar

__all__ = ["CLOSE_RESERVE", "SHUTDOWN_TIMEOUT", "Lifetime", "StartupCancelled"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Docker's grace period, the shortest of the usual platforms.
SHUTDOWN_TIMEOUT = 10.0
# Of which the final step (user writes flushed, database closed) always keeps this much.
CLOSE_RESERVE = 2.0
# A step whose budget is spent still gets this long (closing HTTP sessions takes no longer).
_MIN_STEP = 0.5
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartupCancelled(Exception):
    """A stop was asked for while the process was starting."""


class Lifetime:
    """A process's life: start-up, running, stopping.

    ``async with Lifetime() as lifetime:`` handles SIGINT and SIGTERM inside the block
    (outside the main thread or on Windows, only :meth:`stop` does).

    Args:
        shutdown_timeout: Seconds stopping may take in all.
    """

    def __init__(self, *, shutdown_timeout: float = SHUTDOWN_TIMEOUT) -> None:
        self.shutdown_timeout = shutdown_timeout
        self.stopping = asyncio.Event()
        self.reason: str | None = None
        self._starting: set[asyncio.Future[object]] = set()
        self._deadline: float | None = None
        self._handled: list[signal.Signals] = []

    async def __aenter__(self) -> Lifetime:
        loop = asyncio.get_running_loop()
        for sig in _SIGNALS:
            # Not possible outside the main thread or on non-Unix systems.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.stop, sig.name)
                self._handled.append(sig)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._handled:
            loop.remove_signal_handler(sig)
        self._handled.clear()

    def stop(self, reason: str = "stop requested") -> None:
        """Stop: cancel what is starting, end :meth:`wait`, start the shutdown clock."""
        if not self.stopping.is_set():
            log.info("%s: stopping (within %.0f s)", reason, self.shutdown_timeout)
            self.reason = reason
            self._begin_shutdown()
            self.stopping.set()
        for work in list(self._starting):
            work.cancel()

    async def starting(self, work: Awaitable[T]) -> T:
        """Run ``work`` as part of start-up: a stop cancels it.

        Raises:
            StartupCancelled: A stop came first, or during ``work``.
        """
        if self.stopping.is_set():
            if asyncio.iscoroutine(work):
                work.close()
            raise StartupCancelled(self.reason)
        future = asyncio.ensure_future(work)
        self._starting.add(future)  # type: ignore[arg-type]
        try:
            return await future
        except asyncio.CancelledError:
            if self.stopping.is_set() and future.cancelled():
                raise StartupCancelled(self.reason) from None
            raise
        finally:
            self._starting.discard(future)  # type: ignore[arg-type]

    async def wait(self) -> None:
        """Until :meth:`stop` (or a signal)."""
        await self.stopping.wait()

    def _begin_shutdown(self) -> None:
        if self._deadline is None:
            self._deadline = asyncio.get_running_loop().time() + self.shutdown_timeout

    def time_left(self, *, reserve: float = 0.0) -> float:
        """Seconds the next shutdown step may take (at least a short minimum), keeping
        ``reserve`` seconds for the steps after it."""
        self._begin_shutdown()
        assert self._deadline is not None
        left = self._deadline - reserve - asyncio.get_running_loop().time()
        return max(left, _MIN_STEP)

    async def bounded(self, step: Awaitable[object], what: str, *, reserve: float = 0.0) -> bool:
        """Run one shutdown step within :meth:`time_left`; ``False`` (and a WARNING line) if
        it overran and was left behind."""
        budget = self.time_left(reserve=reserve)
        try:
            async with asyncio.timeout(budget):
                await step
        except TimeoutError:
            log.warning("%s took more than %.1f s: left behind", what, budget)
            return False
        return True
