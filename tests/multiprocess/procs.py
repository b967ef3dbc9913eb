"""The processes of the multi-process tests and of ``bench/claim.py``, one role each.

    python -m tests.multiprocess.procs clock  --database-url URL --plan DIR --start ISO --anchor T
    python -m tests.multiprocess.procs sender --database-url URL --api-url URL --start ISO \
        --anchor T [--lease-ttl 2] [--delivery-lease 3] [--no-lease]

- ``clock``: the real :class:`~scheduler.planner.Planner` ticking every ``--tick`` seconds,
  writing ``beat(db, "clock", …)`` each time (as the clock process does);
- ``sender``: the real :class:`~scheduler.senders.DeliveryWorker` with the real
  :class:`~bot.adapters.telegram.sender.TelegramSender`, run under the ``sender:telegram``
  lease (:class:`~bot.db.leases.LeasedService`) unless ``--no-lease``.

Every process reads the bot's time from one shifted clock: ``--start`` (an ISO instant) plus
the real seconds elapsed since ``--anchor`` (a Unix time), so all of them agree and time still
moves (leases expire). They run until SIGTERM and then print one JSON line of stats.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.db.engine import Database
from bot.db.heartbeat import beat
from bot.db.leases import LeasedService

TOKEN = "123456:TEST-fake-token-ABCdef"


class ShiftedClock:
    """``start`` + real time elapsed since ``anchor``: shared by processes, and moving."""

    def __init__(self, start: datetime, anchor: float, tz: str = "Europe/Madrid") -> None:
        self.start = start
        self.anchor = anchor
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        return (self.start + timedelta(seconds=time.time() - self.anchor)).astimezone(self.tz)

    def today(self):  # the Clock port has it; nothing here needs more
        return self.now().date()


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _clock(args: argparse.Namespace, db: Database, clock: ShiftedClock) -> dict[str, Any]:
    from scheduler.planner import Planner

    settings = Settings(database_url=args.database_url, content_dir=Path(args.plan))
    content = ContentStore(db, settings.content_dir)
    await content.sync()
    planner = Planner(db, lambda: content.index, settings, clock)
    stop = _stop_event()
    ticks = inserted = 0
    while not stop.is_set():
        report = await planner.tick()
        ticks += 1
        inserted += report.inserted
        await beat(db, "clock", {"pid": os.getpid(), "tick": ticks, "inserted": report.inserted})
        try:
            await asyncio.wait_for(stop.wait(), timeout=args.tick)
        except TimeoutError:
            pass
    return {"role": "clock", "pid": os.getpid(), "ticks": ticks, "inserted": inserted}


async def _sender(args: argparse.Namespace, db: Database, clock: ShiftedClock) -> dict[str, Any]:
    from bot.adapters.telegram.sender import TelegramSender
    from bot.i18n.catalog import Catalog
    from scheduler.render import Renderer
    from scheduler.senders import DeliveryWorker, SendPolicy

    content = ContentStore(db, Path(args.plan))
    await content.sync()
    renderer = Renderer(Catalog.load(), lambda: content.index, "Europe/Madrid")
    sender = TelegramSender(TOKEN, args.api_url)
    policy = SendPolicy(
        rate=args.rate,
        per_chat=0.0,
        concurrency=args.concurrency,
        batch=args.batch,
        lease_seconds=args.delivery_lease,
        poll_seconds=0.1,
    )
    owner = f"sender-{os.getpid()}"
    worker = DeliveryWorker(db, sender, renderer, clock, policy, owner=owner)
    service = (
        worker
        if args.no_lease
        else LeasedService(db, "sender:telegram", worker, ttl=args.lease_ttl, owner=owner)
    )
    stop = _stop_event()
    await service.start()
    try:
        await stop.wait()
    finally:
        await service.stop()
        await sender.close()
    stats = worker.stats
    return {
        "role": "sender",
        "pid": os.getpid(),
        "owner": owner,
        "sent": stats.sent,
        "stale": stats.stale,
        "failed": stats.failed,
        "retried": stats.retried,
        "takeovers": getattr(service, "takeovers", None),
    }


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    db = Database(args.database_url)
    clock = ShiftedClock(datetime.fromisoformat(args.start), args.anchor)
    try:
        if args.role == "clock":
            return await _clock(args, db, clock)
        return await _sender(args, db, clock)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=("clock", "sender"))
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--plan", default=str(Path(__file__).with_name("plan")))
    parser.add_argument("--start", required=True, help="the bot's time at --anchor (ISO)")
    parser.add_argument("--anchor", type=float, required=True, help="a Unix time")
    parser.add_argument("--tick", type=float, default=0.5)
    parser.add_argument("--api-url", default="")
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--delivery-lease", type=float, default=3.0)
    parser.add_argument("--lease-ttl", type=float, default=2.0)
    parser.add_argument("--no-lease", action="store_true")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_main(args))), flush=True)


if __name__ == "__main__":
    main()
