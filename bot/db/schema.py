"""The schema, managed by Alembic on SQLite and PostgreSQL alike.

- :func:`ensure_schema` is what start-up calls: nothing to do when the database is already at
  the head revision (one small query, Alembic not even imported), otherwise :func:`upgrade`.
- :func:`upgrade` runs the migrations in one transaction that first takes a lock, so several
  processes starting together on an empty database migrate it once: PostgreSQL takes a
  transaction-level advisory lock, SQLite ``BEGIN IMMEDIATE``.
- A database made by ``create_all`` before migrations existed (tables, no ``alembic_version``)
  is adopted (stamped) if it matches the models, and refused with the differences otherwise.
- :func:`make_revision` writes a new migration from the difference between the head and the
  models (``python -m bot db revision -m "…"``).
"""

from __future__ import annotations

import ast
import asyncio
import logging
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from bot.db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

__all__ = [
    "MIGRATIONS",
    "VERSION_TABLE",
    "SchemaError",
    "UpgradeResult",
    "alembic_config",
    "current_revision",
    "differences",
    "downgrade",
    "ensure_schema",
    "head_revision",
    "is_at_head",
    "is_empty",
    "make_revision",
    "upgrade",
]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"
# pg_advisory_xact_lock key held while migrating ("metropolis" as a number, any constant does).
_PG_LOCK = 0x6D6574726F
# Tries at taking SQLite's write lock when SQLite refuses it without waiting (see _migrate).
_LOCK_ATTEMPTS = 20


class SchemaError(RuntimeError):
    """The database's schema cannot be brought to what this code expects."""


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade` found and left."""

    before: str | None
    after: str | None
    adopted: bool = False

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return self.before != self.after


# --- Alembic configuration (used by env.py and below) -----------------------------------------


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the models' own column types as plain SQLAlchemy types in migrations."""
    from bot.db.models import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def configure_context(context: Any, connection: Connection) -> None:
    """``context.configure`` as every online run needs it (called by env.py)."""
    from bot.db.models import Base

    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at ``bot/db/migrations``, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


# --- Revisions, read cheaply -----------------------------------------------------------------


def _literal(node: ast.AST | None) -> Any:
    return None if node is None else ast.literal_eval(node)


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, tuple[str, ...]]:
    """``{revision: down_revisions}`` parsed from the version files without importing Alembic."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        if path.name.startswith("__"):
            continue
        values: dict[str, Any] = {}
        # The identifiers sit above the functions: parse that header only (start-up is hot).
        header = path.read_text(encoding="utf-8").split("\ndef ", 1)[0]
        for node in ast.parse(header).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = _literal(value)
        if "revision" not in values:
            continue
        down = values.get("down_revision")
        graph[values["revision"]] = (
            () if down is None else (down,) if isinstance(down, str) else tuple(down)
        )
    return graph


def head_revision() -> str | None:
    """The head of the migrations in this checkout (``None`` if there are none yet).

    Raises:
        SchemaError: The migrations have several heads (merge them).
    """
    graph = _revision_graph()
    parents = {down for downs in graph.values() for down in downs}
    heads = sorted(set(graph) - parents)
    if len(heads) > 1:
        raise SchemaError(f"migrations have several heads {heads}: merge them")
    return heads[0] if heads else None


# --- Looking at a database -------------------------------------------------------------------


def _tables(connection: Connection) -> list[str]:
    return inspect(connection).get_table_names()


def _versions(connection: Connection) -> list[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    return [row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]


async def is_empty(db: Database) -> bool:
    """Whether the database has no tables at all."""
    async with db.engine.connect() as connection:
        return not await connection.run_sync(_tables)


async def current_revision(db: Database) -> str | None:
    """The revision the database is at (``None``: never migrated)."""
    async with db.engine.connect() as connection:
        versions = await connection.run_sync(_versions)
    return ",".join(sorted(versions)) or None


async def is_at_head(db: Database) -> bool:
    """Whether the database is at this code's head revision."""
    head = head_revision()
    return head is not None and await current_revision(db) == head


def _differences(connection: Connection) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.db.models import Base

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
    )
    return list(compare_metadata(context, Base.metadata))


async def differences(db: Database) -> list[Any]:
    """What autogenerate would change to make the database match the models (``[]``: none)."""
    async with db.engine.connect() as connection:
        return await connection.run_sync(_differences)


# --- Migrating -------------------------------------------------------------------------------


def _migrate_sync(connection: Connection, revision: str, direction: str) -> UpgradeResult:
    from alembic import command

    before = ",".join(sorted(_versions(connection))) or None
    adopted = False
    config = alembic_config(connection)
    if direction == "down":
        command.downgrade(config, revision)
    elif before is None and [t for t in _tables(connection) if t != VERSION_TABLE]:
        diff = _differences(connection)
        if diff:
            shown = "; ".join(str(d) for d in diff[:5])
            raise SchemaError(
                "the database has tables but no migration history, and they differ from the "
                f"models ({len(diff)} difference(s): {shown}). Migrate it by hand, or start "
                "from an empty database."
            )
        command.stamp(config, revision)
        adopted = True
    else:
        command.upgrade(config, revision)
    after = ",".join(sorted(_versions(connection))) or None
    return UpgradeResult(before=before, after=after, adopted=adopted)


async def _migrate(db: Database, revision: str, direction: str) -> UpgradeResult:
    """Run Alembic in one transaction that first takes the migration lock.

    On SQLite, processes starting together on a new file can be told "database is locked"
    at once, without SQLite's busy wait (it skips the wait where it fears a deadlock, e.g.
    while another connection sets up WAL mode); the transaction did nothing yet, so it is
    simply tried again a moment later.
    """
    for attempt in range(_LOCK_ATTEMPTS):
        try:
            return await _migrate_once(db, revision, direction)
        except OperationalError as exc:
            if not db.is_sqlite or "locked" not in str(exc) or attempt == _LOCK_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


async def _migrate_once(db: Database, revision: str, direction: str) -> UpgradeResult:
    options = {"sqlite_begin": "BEGIN IMMEDIATE"} if db.is_sqlite else {}
    async with db.engine.connect() as connection:
        connection = await connection.execution_options(**options)
        async with connection.begin():
            if not db.is_sqlite:
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                await connection.execute(lock, {"key": _PG_LOCK})
            result = await connection.run_sync(_migrate_sync, revision, direction)
    if result.changed:
        log.info("database schema: %s -> %s", result.before or "empty", result.after or "empty")
    return result


async def upgrade(db: Database, revision: str = "head") -> UpgradeResult:
    """Bring the database to ``revision`` (all migrations in one locked transaction).

    At head already: one query, Alembic not imported.

    Raises:
        SchemaError: The database was made without migrations and differs from the models.
    """
    if revision == "head":
        current = await current_revision(db)
        if current is not None and current == head_revision():
            return UpgradeResult(before=current, after=current)
    return await _migrate(db, revision, "up")


async def downgrade(db: Database, revision: str) -> UpgradeResult:
    """Undo migrations down to ``revision`` (``"base"``: everything; for development)."""
    return await _migrate(db, revision, "down")


async def ensure_schema(db: Database) -> UpgradeResult | None:
    """Start-up: migrate an empty or older database to head; ``None`` if it already was.

    A database at a revision this code does not know (newer code ran on it) is left alone
    with a warning: migrations are additive, so older code keeps working during a deploy.
    """
    current = await current_revision(db)
    head = head_revision()
    if current is not None and current == head:
        return None
    if current is not None and current not in _revision_graph():
        log.warning("database at revision %s, unknown to this code (head %s)", current, head)
        return None
    return await upgrade(db)


# --- Writing migrations ----------------------------------------------------------------------


def _next_rev_id() -> str:
    numbers = [int(rev) for rev in _revision_graph() if rev.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


async def make_revision(message: str, rev_id: str | None = None) -> Path | None:
    """Write a migration for what the models have and the head lacks; returns its path.

    The difference is computed on a scratch SQLite database at head; review the file (and
    run the schema tests on PostgreSQL) before committing it. ``None``: nothing to write.
    """
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'head.db'}")
        try:
            if head_revision() is not None:
                await upgrade(db)
            if head_revision() is not None and not await differences(db):
                return None
            async with db.engine.begin() as connection:
                script = await connection.run_sync(
                    lambda conn: command.revision(
                        alembic_config(conn),
                        message=message,
                        autogenerate=True,
                        rev_id=rev_id or _next_rev_id(),
                    )
                )
        finally:
            await db.dispose()
    _revision_graph.cache_clear()
    if script is None or isinstance(script, list):
        return None
    path = Path(script.path)
    for args in (("format", "--quiet"), ("check", "--fix", "--quiet")):
        command_line = [sys.executable, "-m", "ruff", *args, str(path)]
        await asyncio.to_thread(subprocess.run, command_line, check=False, capture_output=True)
    return path


# --- Command line (``python -m bot db …``) ---------------------------------------------------


async def cli(database_url: str, action: str, message: str | None = None) -> int:
    """``upgrade``, ``current`` or ``revision``; prints what it did, returns the exit code."""
    if action == "revision":
        path = await make_revision(message or "schema change")
        print(f"wrote {path}" if path else "the models match the migrations: nothing to write")
        return 0
    db = Database(database_url)
    try:
        head = head_revision()
        if action == "current":
            current = await current_revision(db)
            state = "up to date" if current == head else "behind: run `python -m bot db upgrade`"
            print(f"database: {current or 'empty'}; code head: {head} ({state})")
            return 0 if current == head else 1
        try:
            result = await upgrade(db)
        except SchemaError as exc:
            print(f"schema error: {exc}", file=sys.stderr)
            return 1
        if result.adopted:
            print(f"adopted: the existing tables match the models, stamped {result.after}")
        elif result.changed:
            print(f"upgraded: {result.before or 'empty'} -> {result.after}")
        else:
            print(f"already at head: {result.after}")
        return 0
    finally:
        await db.dispose()
