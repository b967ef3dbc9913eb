"""Fan-out: one reminder to many subscribers, through the real planner, outbox, pacer and
platform senders, against fake platform servers on 127.0.0.1 that enforce rate limits.

    python bench/fanout.py      # 10,000 Telegram users at 300/s, 500 Slack channels at 50/s
    python bench/fanout.py --telegram 10000 --telegram-limit 300 --slack 500 --slack-limit 50

For each platform: N users subscribe to one event; the planner's tick at 09:00 on the day of
the 7-day reminder puts N rows in the outbox; one DeliveryWorker (the real TelegramSender or
SlackSender, paced at ``--fraction`` of the limit) sends them to a fake server running in its
own process, which answers 429 beyond ``limit`` messages in any sliding second or beyond one
message per chat per second. Reported: planning time, achieved rate as a fraction of the
limit (first to last accepted message, measured by the server), 429s received, recipients
lost (no message) and duplicated (more than one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.core.content_store import ContentStore  # noqa: E402
from bot.db import outbox  # noqa: E402
from bot.db.engine import Database  # noqa: E402
from bot.db.models import Subscription, User  # noqa: E402
from bot.i18n.catalog import Catalog  # noqa: E402
from scheduler.planner import Planner  # noqa: E402
from scheduler.render import Renderer  # noqa: E402
from scheduler.senders import DeliveryWorker, SendPolicy  # noqa: E402

PLAN = ROOT / "tests" / "scheduler" / "plan"
MADRID = ZoneInfo("Europe/Madrid")
# 09:00 on 5 June 2019: 7 days before the test plan's EMA Forum (12 June).
DUE = datetime(2019, 6, 5, 9, 0, 1, tzinfo=MADRID)
TELEGRAM_TOKEN = "123456:TEST-fake-token-ABCdef"
SLACK_TOKEN = "xoxb-test-token"


class _RunningClock:
    """Starts at ``start`` and runs with real time (retry times must come)."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def today(self) -> date:
        return self.now().date()


def _start_fake(kind: str, limit: float) -> tuple[subprocess.Popen[str], int, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.limited_fakes", kind, "--limit", str(limit)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ports: dict[str, int] = {}
    while "PORT" not in ports:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the fake server did not start")
        name, _, value = line.strip().partition(" ")
        ports[name] = int(value)
    return process, ports["PORT"], ports.get("STATS", ports["PORT"])


def _stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_limits/stats/json") as answer:
        return json.loads(answer.read())


async def _subscribers(db: Database, platform: str, count: int) -> list[str]:
    chats = [f"C{n:06d}" if platform == "slack" else str(10_000_000 + n) for n in range(count)]
    early = datetime(2019, 5, 1, tzinfo=MADRID)
    async with db.write() as session:
        await session.execute(
            insert(User),
            [
                {
                    "platform": platform,
                    "platform_user_id": chat,
                    "chat_id": chat,
                    "language": ("es", "en", "fr")[n % 3],
                    "role": "member",
                }
                for n, chat in enumerate(chats)
            ],
        )
        ids = (
            await session.execute(select(User.id, User.chat_id).where(User.platform == platform))
        ).all()
        await session.execute(
            insert(Subscription),
            [
                {
                    "user_id": user_id,
                    "target_kind": "item",
                    "target": "ema-forum-2019",
                    "platform": platform,
                    "chat_id": chat,
                    "active": True,
                    "created_at": early,
                }
                for user_id, chat in ids
            ],
        )
    return chats


async def fan_out(
    platform: str, count: int, limit: float, fraction: float, concurrency: int = 16
) -> dict[str, Any]:
    """One reminder to ``count`` subscribers on ``platform``; returns the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/fanout.db")
        await db.create_all()
        content = ContentStore(db, PLAN)
        await content.sync(force=True)
        settings = Settings(content_dir=PLAN, slack_staff_channel=None)
        clock = _RunningClock(DUE)
        chats = await _subscribers(db, platform, count)
        started = time.perf_counter()
        report = await Planner(db, lambda: content.index, settings, clock).tick()
        planning = time.perf_counter() - started
        fake, port, stats_port = _start_fake(platform, limit)
        try:
            if platform == "telegram":
                from bot.adapters.telegram.sender import TelegramSender

                sender: Any = TelegramSender(TELEGRAM_TOKEN, f"http://127.0.0.1:{port}")
            else:
                from bot.adapters.slack.sender import SlackSender

                sender = SlackSender(SLACK_TOKEN, f"http://127.0.0.1:{port}/api/")
            renderer = Renderer(Catalog.load(), lambda: content.index, settings.timezone)
            policy = SendPolicy(
                rate=limit * fraction, per_chat=1.05, concurrency=concurrency, batch=100
            )
            worker = DeliveryWorker(db, sender, renderer, clock, policy)
            started = time.perf_counter()
            await worker.start()
            while (await outbox.counts(db, platform=platform))["pending"]:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            sending = time.perf_counter() - started
            await worker.stop()
            await sender.close()
            server = _stats(stats_port)
        finally:
            fake.terminate()
            fake.wait()
        counts = await outbox.counts(db, platform=platform)
        await db.dispose()
    delivered = server["delivered"]
    achieved = (server["accepted"] - 1) / server["span_seconds"] if server["span_seconds"] else 0
    return {
        "platform": platform,
        "recipients": count,
        "planned": report.inserted,
        "planning_seconds": round(planning, 2),
        "limit_per_second": limit,
        "paced_at": round(limit * fraction, 1),
        "sending_seconds": round(sending, 1),
        "achieved_per_second": round(achieved, 1),
        "fraction_of_limit": round(achieved / limit, 3),
        "429_received": worker.stats.rate_limited,
        "429_sent_by_server": server["rejected_429"],
        "lost": sum(1 for chat in chats if not delivered.get(chat)),
        "duplicated": sum(n - 1 for n in delivered.values() if n > 1),
        "outbox": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--telegram", type=int, default=10_000, help="Telegram subscribers")
    parser.add_argument("--telegram-limit", type=float, default=300.0, help="messages/s")
    parser.add_argument("--slack", type=int, default=500, help="Slack channels")
    parser.add_argument("--slack-limit", type=float, default=50.0, help="messages/s")
    parser.add_argument("--fraction", type=float, default=0.95, help="pace at this share")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    results = []
    if args.telegram:
        results.append(
            asyncio.run(
                fan_out(
                    "telegram", args.telegram, args.telegram_limit, args.fraction, args.concurrency
                )
            )
        )
    if args.slack:
        results.append(
            asyncio.run(
                fan_out("slack", args.slack, args.slack_limit, args.fraction, args.concurrency)
            )
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(
            f"{r['platform']}: {r['recipients']} recipients, planned {r['planned']} in "
            f"{r['planning_seconds']} s; limit {r['limit_per_second']:g}/s, paced at "
            f"{r['paced_at']:g}/s; sent in {r['sending_seconds']} s; achieved "
            f"{r['achieved_per_second']}/s = {r['fraction_of_limit']:.3f} of the limit; "
            f"429s received {r['429_received']}; lost {r['lost']}; duplicated "
            f"{r['duplicated']}; outbox {r['outbox']}"
        )


if __name__ == "__main__":
    main()
