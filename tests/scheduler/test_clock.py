"""The clock service end to end in one process: tick → outbox → console sender; the CLI."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from bot.adapters.console import ConsoleSender
from bot.app import build_app
from bot.config import Settings
from bot.core.messages import Incoming
from bot.core.ports import FixedClock
from bot.db import outbox
from bot.db.heartbeat import last
from scheduler.clock import TickService, clock_services

from .conftest import MADRID, PLAN

ROOT = Path(__file__).parents[2]


async def test_a_console_subscriber_gets_the_reminder_through_the_clock(tmp_path):
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", content_dir=PLAN)
    clock = FixedClock(datetime(2019, 6, 1, 12, tzinfo=MADRID))
    app = await build_app(settings, clock=clock)
    out = io.StringIO()
    try:
        await app.core.handle(Incoming("console", "me", "me", text="/subscribe EMA forum"))
        services = clock_services(app, senders=[ConsoleSender(out)])
        ticks = next(s for s in services if isinstance(s, TickService))
        await ticks.tick()
        clock.set(datetime(2019, 6, 5, 9, 0, 3, tzinfo=MADRID))
        for service in services[:-1]:  # the closer and the workers, not the scheduler
            await service.start()
        await ticks.tick()
        for _ in range(100):
            if "EMA Forum" in out.getvalue():
                break
            await asyncio.sleep(0.02)
        for service in reversed(services[:-1]):
            await service.stop()
        assert "[to console:me]" in out.getvalue()
        assert "EMA Forum: in 7 days, Wednesday, 12 June 2019." in out.getvalue()
        assert (await outbox.counts(app.db))["sent"] == 1
        heartbeat = await last(app.db, "clock")
        assert heartbeat is not None and heartbeat.detail["enqueued"] == 1
    finally:
        await app.close()


def test_python_m_bot_clock_starts_ticks_and_stops_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BOT_CONTENT_DIR": str(PLAN),
        "BOT_TICK_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "clock"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        announce = None
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            check = subprocess.run(
                [sys.executable, "-c", _READ_BEAT],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if check.stdout.strip() == "beat":
                break
            time.sleep(0.5)
        else:
            raise AssertionError("no clock heartbeat within 30 s")
        announce = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "announce",
                "mega",
                "--text-es",
                "Hola",
                "--text-en",
                "Hello",
                "--text-fr",
                "Bonjour",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert announce.returncode == 0, announce.stderr
        assert "0 delivery(ies) queued" in announce.stdout
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err


_READ_BEAT = """
import asyncio, os
from bot.db.engine import Database
from bot.db.heartbeat import last
async def main():
    db = Database(os.environ["DATABASE_URL"])
    try:
        print("beat" if await last(db, "clock") else "none")
    except Exception:
        print("none")
    finally:
        await db.dispose()
asyncio.run(main())
"""
