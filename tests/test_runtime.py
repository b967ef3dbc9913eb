"""bot.runtime: services started in order and stopped in reverse; the start-up freeze."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from bot.runtime import GC_THRESHOLDS, run_services


class Recorder:
    def __init__(self, name: str, log: list[str], *, fail_start: bool = False) -> None:
        self.name = name
        self.log = log
        self.fail_start = fail_start

    async def start(self) -> None:
        if self.fail_start:
            raise RuntimeError(f"{self.name} cannot start")
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        self.log.append(f"stop {self.name}")


async def test_started_in_order_stopped_in_reverse():
    log: list[str] = []
    stop = asyncio.Event()
    running = asyncio.create_task(run_services([Recorder("db", log), Recorder("web", log)], stop))
    await asyncio.sleep(0.05)
    assert log == ["start db", "start web"]
    stop.set()
    await running
    assert log == ["start db", "start web", "stop web", "stop db"]


async def test_a_failed_start_stops_what_had_started():
    log: list[str] = []
    with pytest.raises(RuntimeError, match="web cannot start"):
        await run_services(
            [Recorder("db", log), Recorder("web", log, fail_start=True)], asyncio.Event()
        )
    assert log == ["start db", "stop db"]


def test_freeze_moves_startup_objects_out_of_sight_and_raises_the_thresholds():
    # In a child process: freezing and thresholds are process-wide, and the test process
    # must keep collecting its own garbage.
    script = (
        "import asyncio, gc\n"
        "from bot.runtime import run_services\n"
        "async def main():\n"
        "    stop = asyncio.Event()\n"
        "    asyncio.get_running_loop().call_later(0.05, stop.set)\n"
        "    await run_services([], stop, freeze=True)\n"
        "asyncio.run(main())\n"
        "print(gc.get_freeze_count(), *gc.get_threshold())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    frozen, *thresholds = (int(n) for n in out)
    assert frozen > 1000  # the interpreter's and the libraries' objects at least
    assert tuple(thresholds) == GC_THRESHOLDS
