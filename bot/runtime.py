"""Running several long-lived services (adapters, web server, scheduler) on one event loop."""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from typing import Protocol

from bot.lifetime import CLOSE_RESERVE, Lifetime, StartupCancelled

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
        """Stop and release resources; called once, in reverse start order — also after a
        start that failed or was cancelled, to release what it had opened."""
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
    services: Sequence[Service], lifetime: Lifetime | None = None, *, freeze: bool = False
) -> None:
    """Start ``services`` in order, run until ``lifetime`` stops, stop them in reverse.

    A stop during start-up cancels the service starting; a service whose start failed or
    was cancelled is stopped too, so that it releases what it had opened. Stopping keeps to
    the lifetime's budget (:data:`~bot.lifetime.SHUTDOWN_TIMEOUT` in all, minus
    :data:`~bot.lifetime.CLOSE_RESERVE` left for closing the app afterwards).

    Args:
        services: What to run, in start order.
        lifetime: When to stop; by default one of its own, stopped by SIGINT/SIGTERM.
        freeze: :func:`freeze_startup` once everything started (the commands that run the
            bot use it; tests do not).

    Raises:
        Exception: What a service's start raised (after the others were stopped).
    """
    if lifetime is None:
        async with Lifetime() as own:
            await run_services(services, own, freeze=freeze)
        return
    started: list[Service] = []
    try:
        for service in services:
            started.append(service)
            try:
                await lifetime.starting(service.start())
            except StartupCancelled:
                log.info("start-up cancelled while starting %s", service.name)
                return
            log.info("started %s", service.name)
        if freeze:
            freeze_startup()
        await lifetime.wait()
    finally:
        for service in reversed(started):
            try:
                done = await lifetime.bounded(
                    service.stop(), f"stopping {service.name}", reserve=CLOSE_RESERVE
                )
            except Exception:
                log.exception("stopping %s failed", service.name)
            else:
                if done:
                    log.info("stopped %s", service.name)
