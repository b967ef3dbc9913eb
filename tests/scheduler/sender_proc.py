"""A sender process for the crash test and the benchmark: the real DeliveryWorker with the
real TelegramSender or SlackSender, until the outbox holds nothing pending for its platform.

    python -m tests.scheduler.sender_proc --database-url URL --platform telegram \
        --api-url http://127.0.0.1:PORT --rate 200 --concurrency 1 --lease 3

Prints one JSON line with its stats when done.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from zoneinfo import ZoneInfo

from bot.core.ports import SystemClock
from bot.db import outbox
from bot.db.engine import Database
from bot.i18n.catalog import Catalog
from content.index import ContentIndex
from scheduler.render import Renderer
from scheduler.senders import DeliveryWorker, SendPolicy


def _sender(platform: str, api_url: str, token: str):
    if platform == "telegram":
        from bot.adapters.telegram.sender import TelegramSender

        return TelegramSender(token, api_url)
    from bot.adapters.slack.sender import SlackSender

    return SlackSender(token, api_url)


async def run(args: argparse.Namespace) -> dict:
    db = Database(args.database_url)
    index = ContentIndex.single(2019, {}, {})
    renderer = Renderer(Catalog.load(), lambda: index, "Europe/Madrid")
    sender = _sender(args.platform, args.api_url, args.token)
    policy = SendPolicy(
        rate=args.rate,
        per_chat=args.per_chat,
        concurrency=args.concurrency,
        batch=args.batch,
        lease_seconds=args.lease,
        poll_seconds=0.2,
    )
    worker = DeliveryWorker(db, sender, renderer, SystemClock(ZoneInfo("UTC")), policy)
    started = time.monotonic()
    await worker.start()
    try:
        # Polling the database is the point: other processes may add or hold rows.
        while (await outbox.counts(db, platform=args.platform))["pending"]:  # noqa: ASYNC110
            await asyncio.sleep(0.25)
    finally:
        await worker.stop()
        await sender.close()
        await db.dispose()
    stats = worker.stats
    return {
        "sent": stats.sent,
        "rate_limited": stats.rate_limited,
        "retried": stats.retried,
        "failed": stats.failed + stats.gone,
        "stale": stats.stale,
        "seconds": round(time.monotonic() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--platform", choices=("telegram", "slack"), default="telegram")
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", default="123456:TEST-fake-token-ABCdef")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--per-chat", type=float, default=1.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--lease", type=float, default=120.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
