"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

- ``database_url``: parametrised ``sqlite`` (a file in ``tmp_path``) and ``postgresql`` (a
  schema ``test_<random>`` of its own role, created on the server for this test and dropped
  afterwards); either is empty.
- ``db``: a :class:`bot.db.engine.Database` on it, migrated to the head revision (the same path
  as production start-up).
- ``postgres_database_url``: PostgreSQL only (multi-process tests hand it to subprocesses).

The PostgreSQL server is ``TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``). If it cannot be reached the PostgreSQL tests
are skipped with the reason, except in CI (``CI=true``) where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from bot.app import App, build_app
from bot.config import Settings
from bot.core.ports import FixedClock
from bot.db.engine import Database

T = TypeVar("T")

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def in_ci() -> bool:
    """Whether the tests run in CI, where PostgreSQL must be there."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a loop of its own in another thread (never disturbs the test's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _server_url() -> str:
    """``TEST_POSTGRES_URL`` as asyncpg wants it (no ``+driver``)."""
    return make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(_server_url(), timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server's URL, once it answered; skip (fail in CI) when it does not."""
    try:
        _run(_admin("SELECT 1"))
    except Exception as exc:  # refused, timed out, auth, missing database: all the same here
        reason = f"PostgreSQL at {make_url(POSTGRES_URL)!r} is unreachable: {exc!r}"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture
def postgres_database_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL schema for this test, as a ``postgresql+asyncpg://…`` URL.

    A role ``test_<random>`` owns a schema of the same name and has it as its
    ``search_path``; the URL logs in as that role, so every connection (subprocesses'
    included) lands in the empty schema. Much cheaper than ``CREATE DATABASE`` per test.
    """
    name = f"test_{uuid.uuid4().hex[:12]}"
    _run(
        _admin(
            f'CREATE ROLE "{name}" LOGIN; CREATE SCHEMA "{name}" AUTHORIZATION "{name}"; '
            f'ALTER ROLE "{name}" SET search_path = "{name}"'
        )
    )
    try:
        yield (
            make_url(postgres_server)
            .set(drivername="postgresql+asyncpg", username=name, password=None)
            .render_as_string(hide_password=False)
        )
    finally:
        # A subprocess killed by a test may still hold a connection: end it first.
        _run(
            _admin(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'; "
                f'DROP SCHEMA IF EXISTS "{name}" CASCADE; DROP OWNED BY "{name}"; '
                f'DROP ROLE IF EXISTS "{name}"'
            )
        )


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, then a PostgreSQL database (two runs of the test)."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "test.db")
    return request.getfixturevalue("postgres_database_url")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A :class:`Database` on ``database_url``, migrated to head; disposed afterwards."""
    from bot.db.schema import upgrade

    database = Database(database_url)
    try:
        await upgrade(database)
        yield database
    finally:
        await database.dispose()


# --- the real app on the real 2019 plan ----------------------------------------------------
# The plan is loaded once per session into a template database; each test gets its own copy
# in ``tmp_path`` (migrating and loading the plan for every test would cost ~0.5 s each).

PLAN_DIR = Path(__file__).resolve().parents[1] / "content" / "plan"
MADRID = ZoneInfo("Europe/Madrid")
TODAY = date(2019, 5, 20)


def at(day: date) -> datetime:
    """Noon of ``day`` in Madrid, for :meth:`FixedClock.set`."""
    return datetime.combine(day, time(12, 0), MADRID)


def copy_database(source: Path, target: Path) -> Path:
    """Copy a SQLite database (with its WAL files, if any) to ``target``."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="session")
def plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the real plan, built once."""
    path = tmp_path_factory.mktemp("plan-template") / "plan.db"

    async def build() -> None:
        app = await build_app(Settings(database_url=sqlite_url(path), content_dir=PLAN_DIR))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return path


@pytest.fixture
async def plan_app(plan_template: Path, tmp_path: Path) -> AsyncIterator[App]:
    """The real app on a copy of the template, with the clock on 20 May 2019 (a Monday)."""
    target = copy_database(plan_template, tmp_path / "bot.db")
    settings = Settings(database_url=sqlite_url(target), content_dir=PLAN_DIR)
    app = await build_app(settings, clock=FixedClock(at(TODAY)))
    yield app
    await app.close()
