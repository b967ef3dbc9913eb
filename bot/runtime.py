"""Running several long-lived services (adapters, web server, scheduler) on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Sequence
from typing import Protocol

__all__ = ["GC_THRESHOLDS", "Service", "freeze_startup", "run_services"]

log = logging.getLogger(__name__)

# Once running, nearly every allocation dies with its request (the payload, the reply, the
# HTTP objects), yet at the default (700, 10, 10) every 700 allocations trigger a young
# collection and every 7,000 a middle one, which also scan the answers still in flight:
# ~0.06 ms of CPU per Slack event in bench/slack_throughput.py. Fewer, larger young
# collections cost a few MB of not-yet-collected cycles at most.
GC_THRESHOLDS = (50_000, 20, 20)


class Service(Protocol):
    """Something that starts, runs in the background on the loop, and stops cleanly."""

    name: str

    async def start(self) -> None:
        """Start and return once running (work continues in background tasks)."""
        ...

    async def stop(self) -> None:
        """Stop and release resources; called once, in reverse start order."""
        ...


def freeze_startup() -> None:
    """Move what exists now (content, catalogs, the libraries' tables: ~100,000 objects that
    live as long as the process) out of the garbage collector's sight (:func:`gc.freeze`), so
    its full collections stop scanning it, and collect less often from then on
    (:data:`GC_THRESHOLDS`). Once, after start-up; never in tests (frozen garbage is never
    collected)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def run_services(
    services: Sequence[Service], stop: asyncio.Event | None = None, *, freeze: bool = False
) -> None:
    """Start ``services`` in order, wait for SIGINT/SIGTERM (or ``stop``), stop them in reverse.

    With ``freeze``, :func:`freeze_startup` once everything started (the commands that run
    the bot use it; tests do not).
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible outside the main thread or on non-Unix systems; Ctrl-C still works there.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    started: list[Service] = []
    try:
        for service in services:
            await service.start()
            started.append(service)
            log.info("started %s", service.name)
        if freeze:
            freeze_startup()
        await stop.wait()
    finally:
        for service in reversed(started):
            try:
                await service.stop()
            except Exception:
                log.exception("stopping %s failed", service.name)
            else:
                log.info("stopped %s", service.name)
