"""``/healthz`` reports the database for real: a SQLite file that goes away, a refused port."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import aiohttp

from bot.db.engine import Database
from bot.db.heartbeat import beat
from bot.db.models import utcnow
from bot.web.health import Health
from bot.web.server import WebServer
from tests.web.conftest import Served


async def test_healthy_database(served: Served) -> None:
    status, _, headers = await served.get("/healthz")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    async with served.session.get(served.url + "/healthz") as response:
        body = await response.json()
    assert body == {"status": "ok", "database": "ok", "clock": None}


async def test_reports_the_clock_heartbeat(served: Served) -> None:
    await beat(served.db, "clock", {"tick": 7}, at=utcnow() - timedelta(seconds=42))
    async with served.session.get(served.url + "/healthz") as response:
        assert response.status == 200
        body = await response.json()
    assert body["database"] == "ok"
    assert body["clock"]["last_tick"].endswith("+00:00")
    assert 41 <= body["clock"]["age_seconds"] < 120


async def test_503_while_the_sqlite_file_is_unreachable_then_200_again(
    served: Served, tmp_path: Path
) -> None:
    path = tmp_path / "calendar.db"
    assert (await served.get("/healthz"))[0] == 200
    # Close the pooled connections (they would keep the old file open), put the file away
    # and a directory in its place: SQLite cannot open it.
    await served.db.dispose()
    aside = tmp_path / "aside"
    aside.mkdir()
    for name in ("calendar.db", "calendar.db-wal", "calendar.db-shm"):
        if (tmp_path / name).exists():
            (tmp_path / name).rename(aside / name)
    path.mkdir()
    try:
        async with served.session.get(served.url + "/healthz") as response:
            assert response.status == 503
            body = await response.json()
        assert body["status"] == "unavailable"
        assert body["database"] == "unavailable"
        assert body["error"] == "OperationalError"
        assert str(tmp_path) not in str(body)  # no path, host or query in the answer
    finally:
        path.rmdir()
        for item in aside.iterdir():
            item.rename(tmp_path / item.name)
    status, _, _ = await served.get("/healthz")
    assert status == 200


async def test_503_when_postgresql_refuses_the_connection() -> None:
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/test")
    server = WebServer(host="127.0.0.1", port=0)
    Health(db, timeout=5).mount(server)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            async with session.get(f"http://127.0.0.1:{server.port}/healthz") as response:
                assert response.status == 503
                body = await response.json()
            assert time.monotonic() - started < 10
        assert body["database"] == "unavailable"
        assert "127.0.0.1" not in str(body)
    finally:
        await server.stop()
        await db.dispose()


async def test_503_on_timeout(tmp_path: Path) -> None:
    # A zero timeout runs out before the query can answer: reported as a timeout.
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'slow.db'}")
    await db.create_all()
    try:
        status, body = await Health(db, timeout=0).check()
        assert status == 503
        assert body["error"] == "timeout"
    finally:
        await db.dispose()
