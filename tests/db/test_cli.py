"""``python -m bot db …`` and the cost of start-up on a database already at head."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bot(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_db_upgrade_then_current(database_url: str) -> None:
    before = _bot("db", "current", database_url=database_url)
    assert before.returncode == 1 and "database: empty" in before.stdout, before.stderr
    first = _bot("db", "upgrade", database_url=database_url)
    assert first.returncode == 0, first.stderr
    assert "upgraded: empty -> " in first.stdout
    again = _bot("db", "upgrade", database_url=database_url)
    assert again.returncode == 0 and "already at head" in again.stdout, again.stderr
    now = _bot("db", "current", database_url=database_url)
    assert now.returncode == 0 and "(up to date)" in now.stdout, now.stderr


def test_start_up_at_head_does_not_load_alembic(database_url: str) -> None:
    _bot("db", "upgrade", database_url=database_url).check_returncode()
    probe = (
        "import asyncio, sys\n"
        "from bot.db.engine import Database\n"
        "from bot.db.schema import ensure_schema\n"
        "async def main():\n"
        f"    db = Database({database_url!r})\n"
        "    assert await ensure_schema(db) is None\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
