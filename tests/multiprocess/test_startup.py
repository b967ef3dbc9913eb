"""Processes starting together on a new database: they all come up, content loaded once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "fixtures" / "plan"

# Import everything, wait for the common start instant, then build the app (migrations and
# content loading) and count the items it sees.
_PROBE = """
import asyncio, os, sys, time
from bot.app import build_app
from bot.config import load_settings
from bot.db.models import Item
from sqlalchemy import func, select

async def main():
    time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
    app = await build_app(load_settings())
    try:
        async with app.db.read() as session:
            print(await session.scalar(select(func.count()).select_from(Item)))
    finally:
        await app.close()

asyncio.run(main())
"""


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("released", [False, True], ids=["empty", "after-release-upgrade"])
def test_processes_starting_together_come_up(postgres_database_url: str, released: bool) -> None:
    # "after-release-upgrade": the Procfile's release step migrated the database, then web,
    # worker and clock start at once and all load the content (this used to fail with a
    # duplicate key on items on PostgreSQL).
    if released:
        subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": postgres_database_url},
            check=True,
            capture_output=True,
        )
    env = os.environ | {
        "DATABASE_URL": postgres_database_url,
        "BOT_CONTENT_DIR": str(PLAN),
        "PYTHONPATH": str(ROOT),
        "START_AT": str(time.time() + 4.0),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PROBE],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    counts = {out.strip() for out, _ in outputs}
    assert len(counts) == 1 and int(counts.pop()) > 0
