"""bot.runtime and bot.lifetime: services started in order and stopped in reverse, within the
shutdown budget; a stop (or SIGTERM) during start-up cancels it; the start-up freeze."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from bot.lifetime import Lifetime, StartupCancelled
from bot.runtime import GC_THRESHOLDS, run_services


class Recorder:
    def __init__(
        self, name: str, log: list[str], *, fail_start: bool = False, slow: float = 0.0
    ) -> None:
        self.name = name
        self.log = log
        self.fail_start = fail_start
        self.slow = slow
        self.starting = asyncio.Event()

    async def start(self) -> None:
        if self.fail_start:
            raise RuntimeError(f"{self.name} cannot start")
        if self.slow:
            self.log.append(f"starting {self.name}")
            self.starting.set()
            await asyncio.sleep(self.slow)
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        self.log.append(f"stop {self.name}")


class Hanging(Recorder):
    async def stop(self) -> None:
        self.log.append(f"stopping {self.name}")
        await asyncio.sleep(3600)


async def test_started_in_order_stopped_in_reverse():
    log: list[str] = []
    lifetime = Lifetime()
    running = asyncio.create_task(
        run_services([Recorder("db", log), Recorder("web", log)], lifetime)
    )
    await asyncio.sleep(0.05)
    assert log == ["start db", "start web"]
    lifetime.stop()
    await running
    assert log == ["start db", "start web", "stop web", "stop db"]


async def test_a_failed_start_stops_it_and_what_had_started():
    log: list[str] = []
    with pytest.raises(RuntimeError, match="web cannot start"):
        await run_services([Recorder("db", log), Recorder("web", log, fail_start=True)], Lifetime())
    # The failed one is stopped too: it may have opened something before failing.
    assert log == ["start db", "stop web", "stop db"]


async def test_a_stop_during_start_up_cancels_the_service_starting():
    log: list[str] = []
    lifetime = Lifetime()
    services = [Recorder("db", log), Recorder("socket", log, slow=3600), Recorder("web", log)]
    running = asyncio.create_task(run_services(services, lifetime))
    await services[1].starting.wait()
    lifetime.stop("SIGTERM")
    await asyncio.wait_for(running, 10)  # a bound, not a speed measurement
    assert log == ["start db", "starting socket", "stop socket", "stop db"]


async def test_a_stop_before_the_work_starts_is_a_cancelled_start_up():
    lifetime = Lifetime()
    lifetime.stop()

    async def never() -> None:
        raise AssertionError("started anyway")

    with pytest.raises(StartupCancelled):
        await lifetime.starting(never())


async def test_a_stop_that_overruns_is_left_behind_within_the_budget():
    log: list[str] = []
    lifetime = Lifetime(shutdown_timeout=1.0)
    running = asyncio.create_task(
        run_services([Recorder("db", log), Hanging("sender", log)], lifetime)
    )
    await asyncio.sleep(0.05)
    lifetime.stop()
    await asyncio.wait_for(running, 10)
    assert log == ["start db", "start sender", "stopping sender", "stop db"]


async def test_sigterm_stops_the_services(monkeypatch: pytest.MonkeyPatch):
    log: list[str] = []
    async with Lifetime() as lifetime:
        running = asyncio.create_task(run_services([Recorder("web", log)], lifetime))
        await asyncio.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(running, 10)
    assert lifetime.reason == "SIGTERM"
    assert log == ["start web", "stop web"]


def test_freeze_moves_startup_objects_out_of_sight_and_raises_the_thresholds():
    # In a child process: freezing and thresholds are process-wide, and the test process
    # must keep collecting its own garbage.
    script = (
        "import asyncio, gc\n"
        "from bot.runtime import run_services\n"
        "async def main():\n"
        "    from bot.lifetime import Lifetime\n"
        "    lifetime = Lifetime()\n"
        "    asyncio.get_running_loop().call_later(0.05, lifetime.stop)\n"
        "    await run_services([], lifetime, freeze=True)\n"
        "asyncio.run(main())\n"
        "print(gc.get_freeze_count(), *gc.get_threshold())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    frozen, *thresholds = (int(n) for n in out)
    assert frozen > 1000  # the interpreter's and the libraries' objects at least
    assert tuple(thresholds) == GC_THRESHOLDS
