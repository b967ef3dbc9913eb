"""Claiming: deliveries claimed and marked sent per second with 1, 2 and 4 sender processes,
on SQLite and on PostgreSQL, against a fake Telegram Bot API with no rate limit.

    python bench/claim.py                       # 3,000 deliveries; 1, 2, 4 processes; both DBs
    python bench/claim.py -n 5000 --procs 1 2 4 --databases sqlite postgresql --senders ptb null

Each run: a new database migrated to head, ``-n`` due rows in the outbox (one per chat), then
``k`` sender processes, each the real :class:`~scheduler.senders.DeliveryWorker` (claims of 50
with a lease, 8 sends in flight, no pacing limit) started at the same instant. Senders:

- ``ptb``: the real :class:`~bot.adapters.telegram.sender.TelegramSender` (python-telegram-bot
  over httpx) posting ``sendMessage`` to the fake Bot API (``tests/fakes/telegram_api.py``), run
  in a process of its own;
- ``null``: a sender that answers "ok" at once: what is left is the database work (claim with
  ``FOR UPDATE SKIP LOCKED`` / ``BEGIN IMMEDIATE``, then one ``mark_sent`` per row).

Throughput = rows / (instant the outbox has no pending row - common start instant). Also
reported: the share each process sent, and duplicates (messages the fake received beyond one
per chat; must be 0). The sender lease is *not* used here: the point is how claims scale.
PostgreSQL is ``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.core.messages import Address, Reply  # noqa: E402
from bot.core.ports import SendResult  # noqa: E402
from bot.db import outbox  # noqa: E402
from bot.db.engine import Database  # noqa: E402
from bot.db.models import Delivery, utcnow  # noqa: E402
from bot.db.outbox import Planned  # noqa: E402
from bot.db.schema import upgrade  # noqa: E402

TOKEN = "123456:TEST-fake-token-ABCdef"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# --- a sender process --------------------------------------------------------------------------


class NullSender:
    """Accepts every message at once (no HTTP): leaves only the database work."""

    platform = "telegram"

    async def send(self, address: Address, reply: Reply) -> SendResult:
        return SendResult(ok=True)

    async def close(self) -> None:
        pass


async def _worker(args: argparse.Namespace) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from bot.core.ports import SystemClock
    from bot.i18n.catalog import Catalog
    from content.index import ContentIndex
    from scheduler.render import Renderer
    from scheduler.senders import DeliveryWorker, SendPolicy

    db = Database(args.database_url)
    if args.sender == "ptb":
        from bot.adapters.telegram.sender import TelegramSender

        sender: Any = TelegramSender(TOKEN, args.api_url)
        await sender._ensure_ready()  # getMe before the start line, like a running process
    else:
        sender = NullSender()
    index = ContentIndex.single(2019, {}, {})
    renderer = Renderer(Catalog.load(), lambda: index, "Europe/Madrid")
    policy = SendPolicy(
        rate=1_000_000.0, per_chat=0.0, concurrency=8, batch=50, lease_seconds=60, poll_seconds=0.05
    )
    worker = DeliveryWorker(db, sender, renderer, SystemClock(ZoneInfo("UTC")), policy)
    async with db.read() as session:  # open the pool before the start line
        await session.scalar(select(func.count()).select_from(Delivery))
    late = time.time() - args.start_at
    await asyncio.sleep(max(0.0, args.start_at - time.time()))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await worker.start()
    await stop.wait()
    await worker.stop()
    await sender.close()
    await db.dispose()
    return {"sent": worker.stats.sent, "stale": worker.stats.stale, "late": round(late, 2)}


# --- the orchestrator ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fake_api() -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_api", "--port", str(port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "fake Bot API on …": listening
    return proc, f"http://127.0.0.1:{port}"


def _start_workers(
    procs: int, url: str, api_url: str, sender: str, start_at: float
) -> list[subprocess.Popen[str]]:
    command = [sys.executable, __file__, "--worker", "--database-url", url, "--api-url", api_url]
    command += ["--sender", sender, "--start-at", str(start_at)]
    return [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(procs)
    ]


def _stop_workers(workers: list[subprocess.Popen[str]]) -> list[dict[str, Any]]:
    for w in workers:
        w.send_signal(signal.SIGTERM)
    results = []
    for w in workers:
        out, err = w.communicate(timeout=60)
        if w.returncode != 0:
            raise RuntimeError(err[-2000:])
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _fake_stats(api_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{api_url}/_fake/stats", timeout=10) as response:
        return json.loads(response.read())


async def _admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _new_database(kind: str, tmp: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / f'claim-{uuid.uuid4().hex[:6]}.db'}", None
    name = f"bench_claim_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False), name


async def _fill(db: Database, n: int) -> None:
    now = utcnow()
    rows = [
        Planned(
            kind="broadcast",
            item_slug=None,
            occurrence="bench-claim",
            platform="telegram",
            chat_id=str(1_000_000 + i),
            language="en",
            due_at=now,
            expires_at=now + timedelta(hours=1),
            payload={"texts": {"en": f"Benchmark message {i}"}},
        )
        for i in range(n)
    ]
    assert await outbox.enqueue(db, rows, now=now) == n


async def _pending(db: Database) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status == "pending")
            )
            or 0
        )


async def run_one(kind: str, procs: int, n: int, sender: str, tmp: Path) -> dict[str, Any]:
    """One measurement: ``procs`` sender processes drain ``n`` rows."""
    url, pg_name = await _new_database(kind, tmp)
    db = Database(url)
    fake = None
    try:
        await upgrade(db)
        await _fill(db, n)
        api_url = ""
        if sender == "ptb":
            fake, api_url = _fake_api()
        start_at = time.time() + 4.0 + procs  # imports and connections before the start line
        workers = _start_workers(procs, url, api_url, sender, start_at)
        await asyncio.sleep(max(0.0, start_at - time.time()))
        deadline = start_at + 600
        while await _pending(db):
            if time.time() > deadline:
                raise RuntimeError("the senders did not finish in 10 minutes")
            if any(w.poll() is not None for w in workers):
                raise RuntimeError(workers[0].stderr.read() if workers[0].stderr else "died")
            await asyncio.sleep(0.01)
        elapsed = time.time() - start_at
        results = _stop_workers(workers)
        async with db.read() as session:
            sent = await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status == "sent")
            )
        received = None
        if fake is not None:
            stats = _fake_stats(api_url)
            received = stats["counts"].get("sendMessage", 0)
        return {
            "database": kind,
            "sender": sender,
            "processes": procs,
            "rows": n,
            "sent": sent,
            "seconds": round(elapsed, 2),
            "per_second": round(n / elapsed),
            "shares": [r["sent"] for r in results],
            "duplicates": None if received is None else received - n,
            "late_starters": sum(1 for r in results if r["late"] > 0),
        }
    finally:
        if fake is not None:
            fake.terminate()
            fake.wait(10)
        await db.dispose()
        if pg_name:
            await _admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


async def _bench(args: argparse.Namespace) -> None:
    print(f"# python bench/claim.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"# {os.cpu_count()} CPUs; {args.n} deliveries per run")
    header = "database    sender  procs  seconds  per second  shares               duplicates"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases:
            for sender in args.senders:
                for procs in args.procs:
                    r = await run_one(kind, procs, args.n, sender, Path(tmp))
                    assert r["sent"] == args.n, r
                    print(
                        f"{r['database']:<11} {r['sender']:<7} {r['processes']:>5}  "
                        f"{r['seconds']:>7.2f}  {r['per_second']:>10}  "
                        f"{json.dumps(r['shares']):<20} "
                        f"{'-' if r['duplicates'] is None else r['duplicates']}",
                        flush=True,
                    )
                    if r["late_starters"]:
                        print(f"  ({r['late_starters']} process(es) started late)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3000, help="deliveries per run")
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--senders", nargs="+", default=["ptb", "null"], choices=["ptb", "null"])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--sender", default="ptb", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(_worker(args))), flush=True)
    else:
        asyncio.run(_bench(args))


if __name__ == "__main__":
    main()
