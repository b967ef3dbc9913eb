"""The crash test: a sender process delivering 2,000 messages to a fake Telegram server is
killed with SIGKILL halfway and restarted. Every recipient then holds the message, and at most
the messages in flight at the kill (one per concurrent send) are repeated."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import utcnow
from bot.db.outbox import Planned

from .limited_fakes import LimitedTelegramAPI

ROOT = Path(__file__).parents[2]
RECIPIENTS = 2000


async def _sender(database_url: str, api_url: str, concurrency: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.scheduler.sender_proc",
        "--database-url",
        database_url,
        "--api-url",
        api_url,
        "--rate",
        "250",
        "--concurrency",
        str(concurrency),
        "--lease",
        "3",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
@pytest.mark.parametrize("concurrency", [1, 4])
async def test_sigkill_halfway_then_restart_delivers_all_with_at_most_in_flight_repeated(
    tmp_path, concurrency
):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    db = Database(database_url)
    await db.create_all()
    now = utcnow()
    rows = [
        Planned(
            kind="broadcast",
            item_slug=None,
            occurrence="crash-test",
            platform="telegram",
            chat_id=str(n),
            language="en",
            due_at=now,
            expires_at=now + timedelta(hours=1),
            payload={"texts": {"en": f"Message for {n}"}},
        )
        for n in range(1, RECIPIENTS + 1)
    ]
    assert await outbox.enqueue(db, rows, now=now) == RECIPIENTS
    api = LimitedTelegramAPI(limit=0, per_chat=1.0)
    await api.start()
    try:
        first = await _sender(database_url, api.url, concurrency)
        await api.wait_for(lambda: sum(api.limiter.delivered.values()) >= RECIPIENTS // 2, 60)
        os.kill(first.pid, signal.SIGKILL)
        await first.wait()
        at_kill = sum(api.limiter.delivered.values())
        assert first.returncode == -signal.SIGKILL
        assert RECIPIENTS // 2 <= at_kill < RECIPIENTS
        second = await _sender(database_url, api.url, concurrency)
        out, err = await asyncio.wait_for(second.communicate(), 180)
        assert second.returncode == 0, err.decode()[-2000:]
        stats = json.loads(out.decode().strip().splitlines()[-1])
    finally:
        await api.stop()
    delivered = api.limiter.delivered
    missing = [n for n in range(1, RECIPIENTS + 1) if delivered[str(n)] == 0]
    repeated = {chat: count for chat, count in delivered.items() if count > 1}
    counts = await outbox.counts(db)
    await db.dispose()
    print(
        f"\ncrash test (concurrency {concurrency}): {at_kill} delivered before SIGKILL, "
        f"{stats['sent']} after restart, missing {len(missing)}, "
        f"repeated {sum(c - 1 for c in repeated.values())} {sorted(repeated)}, outbox {counts}"
    )
    assert missing == []
    assert sum(c - 1 for c in repeated.values()) <= concurrency
    assert counts == {"pending": 0, "sent": RECIPIENTS, "failed": 0, "skipped": 0}
